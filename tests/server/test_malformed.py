"""Every class of malformed input answers a 4xx with the JSON error body, never a 500 or a
traceback: ids and cursors beyond 64 bits or not of ASCII digits, deep JSON, huge numbers, lone
surrogates, header values that only look like numbers; and a refused method names the allowed
ones."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from netmsg_tui.server.run import bind

from .conftest import Tenants

HUGE = "99999999999999999999"  # 20 digits: beyond 64 bits (was an OverflowError, a 500)
OVER = str(2**63)  # one past SQLite's largest integer
TIME = "2026-01-01T00:00:00.000000Z"


def assert_refused(response: httpx.Response, status: int = 400) -> dict[str, object]:
    where = f"{response.request.method} {response.request.url}"
    assert response.status_code == status, f"{where}: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert set(body) >= {"error", "message"}, where
    assert "Traceback" not in response.text, where
    assert response.headers.get("x-request-id"), where
    return body


SUPPLIER_GETS = [
    f"/api/v1/conversations/{HUGE}",
    f"/api/v1/conversations/{OVER}",
    f"/api/v1/conversations/{HUGE}/messages",
    f"/api/v1/conversations?customer_id={HUGE}",
    f"/api/v1/conversations?document_id={OVER}",
    "/api/v1/conversations?customer_id=%D9%A1%D9%A2",  # Arabic-Indic ١٢: int() takes them
    "/api/v1/conversations?customer_id=%C2%B2",  # ²: str.isdigit() takes it
    "/api/v1/conversations?customer_id=1_000",
    "/api/v1/conversations?customer_id=%207",
    "/api/v1/conversations?customer_id=",
    f"/api/v1/conversations?cursor={TIME}|{HUGE}",
    f"/api/v1/conversations?query=secret&cursor={HUGE}",
    "/api/v1/conversations?limit=0",
    "/api/v1/conversations?limit=501",
    f"/api/v1/conversations?limit={HUGE}",
    f"/api/v1/customers/{HUGE}",
    f"/api/v1/customers?cursor=Name|{HUGE}",
    f"/api/v1/documents/{HUGE}",
    f"/api/v1/documents/{HUGE}/thread",
    f"/api/v1/documents?customer_id={HUGE}",
    f"/api/v1/documents?cursor=2026-01-01|{HUGE}",
    f"/api/v1/attachments/{HUGE}",
    f"/api/v1/attachments/{HUGE}/content",
    f"/api/v1/changes?cursor={HUGE}",
    "/api/v1/changes?cursor=-1",
    "/api/v1/changes?limit=0",
    f"/api/v1/events?cursor={HUGE}",
]


async def test_supplier_ids_cursors_and_numbers_are_checked(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        for path in SUPPLIER_GETS:
            assert_refused(await client.get(path))
        assert_refused(
            await client.get(f"/api/v1/conversations/{tenants.conv_a}/messages?cursor={HUGE}")
        )
        assert_refused(await client.post(f"/api/v1/conversations/{HUGE}/read"))
        assert_refused(await client.post(f"/api/v1/conversations/{HUGE}/messages", json={}))
        # Still fine: the largest id is a 404 like any id that does not exist.
        assert_refused(await client.get(f"/api/v1/conversations/{2**63 - 1}"), 404)


async def test_customer_routes_check_ids_and_cursors(tenants: Tenants) -> None:
    conv = tenants.conv_a
    async with tenants.client(tenants.customer_x) as client:
        for path in [
            f"/api/v1/customer/conversations/{HUGE}",
            f"/api/v1/customer/conversations/{HUGE}/messages",
            f"/api/v1/customer/conversations?cursor={TIME}|{HUGE}",
            f"/api/v1/customer/conversations/{conv}/messages?cursor={HUGE}",
            f"/api/v1/customer/attachments/{HUGE}/content",
            f"/api/v1/customer/changes?cursor={HUGE}",
            "/api/v1/customer/changes?limit=100000",
        ]:
            assert_refused(await client.get(path))
        assert_refused(
            await client.post(f"/api/v1/customer/conversations/{HUGE}/messages", json={})
        )


async def test_json_bodies_are_bounded_and_valid_unicode(tenants: Tenants) -> None:
    reply = f"/api/v1/conversations/{tenants.conv_a}/messages"
    headers = {"Content-Type": "application/json"}
    deep = '{"body": ' + "[" * 100_000 + "]" * 100_000 + "}"
    digits = '{"customer_id": 1' + "0" * 5000 + ', "subject": "x"}'
    async with tenants.client(tenants.supplier_a) as client:
        for content in [
            deep,
            '{"body": ' + "[" * 20 + "]" * 20 + "}",  # within the recursion limit, over depth
            digits,
            '{"body": "\\ud800"}',  # a lone surrogate: not a character, SQLite refuses it
            '{"body": "ok", "\\udfff": 1}',
            '{"body": NaN}',
            b'{"body": "\xff"}',
        ]:
            body = assert_refused(await client.post(reply, content=content, headers=headers))
            assert body["error"] == "invalid_input"
        start = {"customer_id": int(HUGE), "subject": "x"}
        assert_refused(await client.post("/api/v1/conversations", json=start))
        r = await client.post(
            reply,
            data={"message": '{"body": "\\ud800"}'},
            files=[("file", ("a.txt", b"x", "text/plain"))],
        )
        assert "lone surrogate" in str(assert_refused(r)["message"])
        # The store still answers normally afterwards.
        assert (await client.post(reply, json={"body": "fine"})).status_code == 201


async def test_headers_are_parsed_strictly(tenants: Tenants) -> None:
    async with tenants.client(tenants.support_a) as client:
        # b"\xb2" is "²" and b"\xb9" is "¹" in the Latin-1 that header values decode as.
        r = await client.get("/api/v1/conversations", headers={"X-Netmsg-Account": b"\xb2"})
        assert "X-Netmsg-Account" in str(assert_refused(r)["message"])
        r = await client.get("/api/v1/conversations", headers={"X-Netmsg-Account": HUGE})
        assert_refused(r)
    async with tenants.client(tenants.supplier_a) as client:
        for value in (b"\xb9", HUGE.encode(), b"-1"):
            r = await client.get("/api/v1/events", headers={"Last-Event-ID": value})
            assert "Last-Event-ID" in str(assert_refused(r)["message"])


async def test_wrong_method_names_the_allowed_ones(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        r = await client.delete(f"/api/v1/conversations/{tenants.conv_a}/messages")
        body = assert_refused(r, 405)
        assert body["error"] == "method_not_allowed"
        assert r.headers["allow"] == "GET, HEAD, POST"
        r = await client.put("/api/v1/me")
        assert_refused(r, 405)
        assert r.headers["allow"] == "GET, HEAD"


def test_cli_against_a_closed_port_prints_one_line(tmp_path: Path) -> None:
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    env = {
        **os.environ,
        "NETMSG_CONFIG": str(tmp_path / "config.toml"),
        "NETMSG_TOKEN": "nm_unused",
        "NETMSG_OUTBOX": str(tmp_path / "outbox.db"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "netmsg_tui", "threads", "--store", f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Cannot reach the network server" in done.stderr


@pytest.mark.parametrize("junk", ["x", "1.5", "0x10"])
async def test_non_numeric_path_ids_are_not_found(tenants: Tenants, junk: str) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        assert_refused(await client.get(f"/api/v1/conversations/{junk}"), 404)


def test_json_refusals_name_the_problem() -> None:
    from netmsg_tui.server.errors import ApiError
    from netmsg_tui.server.validation import load_json

    for data, words in [
        ("[" * 100_000, "nested deeper"),
        ("1" * 5000, "more than"),
        ('"\\ud800"', "lone surrogate"),
    ]:
        with pytest.raises(ApiError, match=words):
            load_json(data.encode())
    assert load_json(json.dumps({"a": [1, -2, "é"]}).encode()) == {"a": [1, -2, "é"]}


async def test_a_request_the_http_parser_cannot_read_gets_json_too(tenants: Tenants) -> None:
    host, port = tenants.url.removeprefix("http://").split(":")
    for garbage in (b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(garbage)
        answer = b""
        while chunk := await asyncio.wait_for(reader.read(65536), 30):
            answer += chunk
        writer.close()
        assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
        head, body = answer.split(b"\r\n\r\n", 1)
        assert b"content-type: application/json" in head and b"x-request-id: " in head
        assert json.loads(body)["error"] == "bad_request"
