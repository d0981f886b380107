"""Size limits at the server: checked while the body streams, refused with 413 and a JSON reason,
and the server process does not hold an oversized body in memory."""

from __future__ import annotations

import asyncio
import json
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
