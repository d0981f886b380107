"""Slow and idle clients cannot deny service: idle connections are closed first when a cap is
reached, request heads and bodies have deadlines, and a trickle is cut off with a 408."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx

from netmsg_tui.server.limits import Limits
from netmsg_tui.server.run import ServerThread

from .conftest import ServerProcess, issue

Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def connect(url: str) -> Conn:
    host, port = url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def answer(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection (bounded: 30 s)."""
    data = b""
    while chunk := await asyncio.wait_for(reader.read(65536), 30):
        data += chunk
    return data


async def trickle(writer: asyncio.StreamWriter, pieces: list[bytes], pause: float) -> None:
    """Send ``pieces`` one at a time, ``pause`` apart, until done or cut off."""
    with contextlib.suppress(ConnectionError):
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(pause)  # the trickle itself: what is under test


def json_body(raw: bytes) -> dict[str, object]:
    return json.loads(raw.split(b"\r\n\r\n", 1)[1])


async def test_300_idle_connections_do_not_deny_a_normal_client(network) -> None:
    """300 idle sockets against a cap of 250 in all and 100 per address (uvicorn's own limit
    answered 503 to everyone in this state): the oldest idle ones are closed to make room."""
    token = issue(network, "supplier", user_id=network.user_a)[1]
    server = ServerProcess(network.path, 0, "--max-connections", "250")
    url = server.start()
    idle = [await connect(url) for _ in range(300)]
    try:
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            for _ in range(3):
                r = await client.get("/api/v1/me")
                assert r.status_code == 200, r.text
        # The oldest idle sockets were the ones closed.
        assert await asyncio.wait_for(idle[0][0].read(), 30) == b""
    finally:
        for _, writer in idle:
            writer.close()
        server.kill()


async def test_when_every_connection_is_busy_a_new_one_gets_503_json(network) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    headers = {"Authorization": f"Bearer {token}"}
    with ServerThread(network.path, rate=0, limits=Limits(max_per_address=3)) as url:
        async with contextlib.AsyncExitStack() as stack:
            for _ in range(3):  # event streams: busy for as long as they are open
                client = await stack.enter_async_context(
                    httpx.AsyncClient(base_url=url, headers=headers, timeout=30)
                )
                stream = await stack.enter_async_context(client.stream("GET", "/api/v1/events"))
                assert stream.status_code == 200
            reader, writer = await connect(url)
            raw = await answer(reader)
            writer.close()
            assert raw.startswith(b"HTTP/1.1 503")
            assert json_body(raw)["error"] == "unavailable"
        # The streams closed: room again.
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
            assert (await client.get("/api/v1/me")).status_code == 200


async def test_a_connection_that_sends_nothing_is_closed(network) -> None:
    with ServerThread(network.path, rate=0, limits=Limits(head_timeout=0.5)) as url:
        reader, writer = await connect(url)
        assert await answer(reader) == b""  # closed quietly: nothing was asked
        writer.close()


async def test_headers_trickling_in_get_408(network) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    with ServerThread(network.path, rate=0, limits=Limits(head_timeout=1.0)) as url:
        reader, writer = await connect(url)
        lines = [b"GET /api/v1/me HTTP/1.1\r\n"]
        lines += [f"X-Line-{i}: a\r\n".encode() for i in range(40)]
        sender = asyncio.create_task(trickle(writer, lines, 0.2))
        raw = await answer(reader)
        sender.cancel()
        writer.close()
        assert raw.startswith(b"HTTP/1.1 408")
        assert json_body(raw)["error"] == "timeout"
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            assert (await client.get("/api/v1/me")).status_code == 200


async def test_a_trickling_body_gets_408_and_an_unread_one_is_dropped(network) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    limits = Limits(body_timeout=1.0, grace=0.5)
    # idle_timeout (a stall between chunks) is longer than the trickle's pauses: only the
    # whole-body deadline catches it.
    with ServerThread(network.path, rate=0, limits=limits, idle_timeout=30) as url:
        reader, writer = await connect(url)
        head = (
            "POST /api/v1/conversations HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n"
        ).encode()
        sender = asyncio.create_task(trickle(writer, [head] + [b" "] * 99, 0.2))
        raw = await answer(reader)
        sender.cancel()
        writer.close()
        assert raw.startswith(b"HTTP/1.1 408"), raw[:200]
        assert "did not arrive within" in str(json_body(raw)["message"])

        # A body nobody reads (a GET answered at once) may not keep the connection forever.
        reader, writer = await connect(url)
        head = b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
        sender = asyncio.create_task(trickle(writer, [head] + [b" "] * 999, 0.2))
        raw = await answer(reader)
        sender.cancel()
        writer.close()
        assert raw.startswith(b"HTTP/1.1 200")


async def test_a_stopping_server_ends_its_event_streams_with_a_whole_response(network) -> None:
    """The server's shutdown ends each open event stream itself: the client reads a complete
    response and reconnects as after any end. (Streams used to run on until uvicorn's grace
    period was over and then be cancelled: the connection cut mid-body, and an error with its
    traceback logged for each one.)"""
    token = issue(network, "supplier", user_id=network.user_a)[1]
    server = ServerThread(network.path, rate=0)
    url = server.start()
    try:
        async with (
            httpx.AsyncClient(
                base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
            ) as client,
            client.stream("GET", "/api/v1/events") as stream,
        ):
            assert stream.status_code == 200
            lines = stream.aiter_lines()
            assert (await anext(lines)).startswith("id: ")  # the cursor event: it streams
            stopping = asyncio.create_task(asyncio.to_thread(server.stop))
            rest = [line async for line in lines]  # a cut connection raises here
            await stopping
        assert rest[0] == "event: cursor"
    finally:
        server.stop()
