"""Size limits at the server: checked while the body streams, refused with 413 and a JSON reason,
and the server process does not hold an oversized body in memory."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx

from netmsg_tui.model import MAX_ATTACHMENT_BYTES

from .conftest import ServerProcess, Tenants, issue


def peak_memory(pid: int) -> int:
    """The process's high-water mark of resident memory (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc status")


def reply_form(body: str, name: str, size: int) -> dict[str, object]:
    return {
        "data": {"message": json.dumps({"body": body})},
        "files": [("file", (name, b"\1" * size, "application/octet-stream"))],
    }


async def test_one_byte_over_10_mib_gets_413_without_growing_server_memory(
    network, server_process: ServerProcess
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    url = server_process.start()
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as client:
        r = await client.post(
            "/api/v1/conversations",
            json={"customer_id": network.customer_on, "subject": "Sizes", "body": "start"},
        )
        conv = r.json()["id"]
        path = f"/api/v1/conversations/{conv}/messages"
        warm = await client.post(path, **reply_form("warm-up", "small.bin", 300_000))  # type: ignore[arg-type]
        assert warm.status_code == 201
        before = peak_memory(server_process.pid)

        r = await client.post(path, **reply_form("too big", "over.bin", MAX_ATTACHMENT_BYTES + 1))  # type: ignore[arg-type]
        assert r.status_code == 413
        assert r.json()["error"] == "attachment_too_large"
        assert "over.bin" in r.json()["message"] and "10,485,761 bytes" in r.json()["message"]
        grown = peak_memory(server_process.pid) - before
        assert grown < (MAX_ATTACHMENT_BYTES + 1) // 2, f"server memory grew by {grown:,} bytes"

        messages = (await client.get(path)).json()["items"]
        assert [m["body"] for m in messages] == ["start", "warm-up"]  # nothing of the refusal


async def test_exactly_10_mib_is_accepted(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        r = await client.post(
            f"/api/v1/conversations/{tenants.conv_a}/messages",
            **reply_form("exact", "exact.bin", MAX_ATTACHMENT_BYTES),  # type: ignore[arg-type]
        )
        assert r.status_code == 201, r.text
        assert r.json()["attachments"][0]["size"] == MAX_ATTACHMENT_BYTES


async def test_declared_body_over_the_cap_is_refused_before_reading(tenants: Tenants) -> None:
    host, port = tenants.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST /api/v1/conversations/{tenants.conv_a}/messages HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {tenants.supplier_a}\r\n"
        "Content-Type: application/json\r\nContent-Length: 5000000000\r\n\r\n".encode()
    )
    await writer.drain()
    answer = b""
    while b"body_too_large" not in answer and (
        chunk := await asyncio.wait_for(reader.read(65536), 30)
    ):
        answer += chunk
    writer.close()
    assert answer.startswith(b"HTTP/1.1 413") and b"body_too_large" in answer


async def test_file_count_empty_file_and_missing_message_part(tenants: Tenants) -> None:
    path = f"/api/v1/conversations/{tenants.conv_a}/messages"
    message = {"message": json.dumps({"body": "files"})}
    async with tenants.client(tenants.supplier_a) as client:
        eleven = [("file", (f"f{i}.txt", b"x", "text/plain")) for i in range(11)]
        r = await client.post(path, data=message, files=eleven)
        assert r.status_code == 400 and "at most 10" in r.json()["message"]
        r = await client.post(
            path, data=message, files=[("file", ("empty.txt", b"", "text/plain"))]
        )
        assert r.status_code == 400 and "empty" in r.json()["message"]
        r = await client.post(path, files=[("file", ("a.txt", b"x", "text/plain"))])
        assert r.status_code == 400 and "'message' part" in r.json()["message"]
        r = await client.post(path, data={"other": "1"}, files=[("file", ("a.txt", b"x"))])
        assert r.status_code == 400 and "Unexpected form field" in r.json()["message"]


async def test_hostile_file_name_cannot_forge_a_download_header(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        r = await client.post(
            f"/api/v1/conversations/{tenants.conv_a}/messages",
            data={"message": json.dumps({"body": "names"})},
            files=[("file", ("../../.bashrc", b"rm -rf ~", "text/plain"))],
        )
        attachment = r.json()["attachments"][0]
        assert attachment["filename"] == "../../.bashrc"  # kept as sent; saving makes it safe
        content = await client.get(f"/api/v1/attachments/{attachment['id']}/content")
    assert content.content == b"rm -rf ~"
    assert content.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''..%2F..%2F.bashrc"
    )
    assert content.headers["x-content-type-options"] == "nosniff"


async def raw_post(url: str, path: str, token: str, boundary: str, parts: Iterator[bytes]) -> bytes:
    """POST a chunked multipart body streamed from ``parts`` on a raw socket; the answer (the
    server may answer, and close, before the body is through: the sending just stops)."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode()
    )

    async def send() -> None:
        with contextlib.suppress(ConnectionError):
            for piece in parts:
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                await writer.drain()
            writer.write(b"0\r\n\r\n")
            await writer.drain()

    sender = asyncio.create_task(send())
    answer = b""
    while chunk := await asyncio.wait_for(reader.read(65536), 60):
        answer += chunk
        if b"\r\n\r\n" in answer and answer.rstrip().endswith(b"}"):
            break
    sender.cancel()
    writer.close()
    return answer


def text_parts(boundary: str, name: str, count: int, size: int) -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="message"\r\n\r\n'
        '{"body": "abuse"}\r\n'
    ).encode()
    for _ in range(count):
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        for _ in range(size // 65536):
            yield b"x" * 65536
        yield b"\r\n"
    yield f"--{boundary}--\r\n".encode()


async def test_multipart_abuse_is_refused_early_with_bounded_server_memory(
    network, server_process: ServerProcess
) -> None:
    """40 MB of text parts, extra 'message' parts, 100,000 empty parts: each is refused when
    the headers of the first part a message cannot have arrive, and the server's peak memory
    barely moves (text parts were all held: +96 MiB per 100 MB, +253 MiB per 400,000 parts)."""
    token = issue(network, "supplier", user_id=network.user_a)[1]
    url = server_process.start()
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as client:
        r = await client.post(
            "/api/v1/conversations",
            json={"customer_id": network.customer_on, "subject": "Abuse", "body": "start"},
        )
        path = f"/api/v1/conversations/{r.json()['id']}/messages"
        warm = await client.post(path, **reply_form("warm-up", "small.bin", 300_000))  # type: ignore[arg-type]
        assert warm.status_code == 201
    before = peak_memory(server_process.pid)
    b = "b0undary"
    cases = [
        (text_parts(b, "note", 40, 1024 * 1024), "Unexpected form field 'note'"),
        (text_parts(b, "message", 40, 1024 * 1024), "send one 'message' part"),
        (text_parts(b, "file", 100_000, 0), "Unexpected form field 'file'"),
    ]
    for parts, reason in cases:
        answer = await raw_post(url, path, token, b, parts)
        assert answer.startswith(b"HTTP/1.1 400"), answer[:300]
        assert reason in json.loads(answer.split(b"\r\n\r\n", 1)[1])["message"]
    empty = (
        f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="e"\r\n\r\n\r\n'.encode()
        for _ in range(100_000)
    )
    answer = await raw_post(url, path, token, b, empty)
    assert answer.startswith(b"HTTP/1.1 400") and b"at most 10" in answer
    grown = peak_memory(server_process.pid) - before
    assert grown < 16 * 1024 * 1024, f"server peak memory grew by {grown:,} bytes"
