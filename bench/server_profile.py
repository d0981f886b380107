"""Where a request's time goes inside the server: the ASGI app called directly (no sockets, no
HTTP parser, no client), under cProfile, for the conversation list, a search, a thread page and
a send.

    python bench/server_profile.py               # 2,000 calls per request kind, top 25 functions
    python bench/server_profile.py --inline      # the store's SQL on the loop (no thread hop),
                                                 # so the profile shows the queries' own cost
    python bench/server_profile.py --top 40 --only list
    python bench/server_profile.py --answer-cache 0   # every list read from the store (a
                                                      # changed list), not answered from memory

The server over a SQLite file in a temporary folder with 60 conversations of 10 messages each
(the list answers 50 rows, as the issue's wrk figures). Each kind prints its calls per second
and CPU time per call (this process, the store's thread included: steadier than the rate on a
busy machine) first, profiling off; then the profile (cumulative and own time). Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from netmsg_tui.server import create_app
from netmsg_tui.store.sqlite import SQLiteStore
from server import build


async def asgi(
    app: Any, method: str, path: str, token: str, query: str = "", body: bytes = b"", tag: str = ""
) -> tuple[int, bytes, str]:
    """One request straight into the app; its status, body and ETag."""
    headers = [(b"authorization", f"Bearer {token}".encode()), (b"host", b"bench")]
    if tag:
        headers.append((b"if-none-match", tag.encode()))
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": headers, "client": ("127.0.0.1", 9),
        "server": ("127.0.0.1", 80), "state": {},
    }  # fmt: skip
    sent = False
    status, chunks, etag = 0, [], ""

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, etag
        if message["type"] == "http.response.start":
            status = message["status"]
            etag = dict(message["headers"]).get(b"etag", b"").decode()
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks), etag


async def fill(path: Path, net: dict[str, Any], threads: int, messages: int) -> list[int]:
    store = SQLiteStore(path, user_id=net["users"][0])
    ids = []
    for t in range(threads):
        conv = await store.start_conversation(net["customer"], f"Order {t} delivery", "hello")
        for m in range(messages - 1):
            await store.reply(conv.id, f"message {m} about pallets and invoice {t}")
        ids.append(conv.id)
    await store.close()
    return ids


async def main_async(
    calls: int, top: int, inline: bool, only: str | None, answer_cache: int = 32
) -> None:
    with tempfile.TemporaryDirectory(prefix="netmsg-profile-") as folder:
        path = Path(folder) / "network.db"
        net = build(path, 2)
        ids = await fill(path, net, 60, 10)
        token = net["tokens"][net["users"][0]]
        app = create_app(path, rate=0, answer_cache_mb=answer_cache)
        if inline:
            from netmsg_tui.store.sqlite import connection

            async def run_inline(self: Any, fn: Any) -> Any:
                return self._call(fn)

            connection.Connection.run = run_inline  # type: ignore[method-assign]
        send_body = json.dumps({"body": "profiled reply"}).encode()
        kinds: dict[str, tuple[str, str, str, bytes]] = {
            "list": ("GET", "/api/v1/conversations", "limit=50", b""),
            # the same list asked with If-None-Match: its ETag (a server without ETags: a 200)
            "list-304": ("GET", "/api/v1/conversations", "limit=50", b""),
            "search": ("GET", "/api/v1/conversations", "query=pallets&limit=50", b""),
            "thread": ("GET", f"/api/v1/conversations/{ids[0]}/messages", "limit=50", b""),
            "send": ("POST", f"/api/v1/conversations/{ids[1]}/messages", "", send_body),
        }
        async with app.router.lifespan_context(app):
            for name, (method, url, query, body) in kinds.items():
                if only and name != only:
                    continue
                status, answer, tag = await asgi(app, method, url, token, query, body)
                assert status in (200, 201), (name, status, answer[:200])
                tag = tag if name == "list-304" else ""
                status, answer, _tag = await asgi(app, method, url, token, query, body, tag)
                start, cpu = time.perf_counter(), time.process_time()
                for _ in range(calls):
                    await asgi(app, method, url, token, query, body, tag)
                rate = calls / (time.perf_counter() - start)
                cpu_us = (time.process_time() - cpu) / calls * 1e6  # the store's thread too
                print(
                    f"\n=== {name}: {rate:,.0f} calls/s, {cpu_us:,.0f} us CPU/call, {status}, "
                    f"{len(answer):,} bytes ==="
                )
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(calls):
                    await asgi(app, method, url, token, query, body, tag)
                profile.disable()
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out).strip_dirs()
                stats.sort_stats("cumulative").print_stats(top)
                stats.sort_stats("tottime").print_stats(top)
                print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--inline", action="store_true", help="run the SQL on the event loop")
    parser.add_argument("--only", choices=("list", "list-304", "search", "thread", "send"))
    parser.add_argument(
        "--answer-cache",
        type=int,
        default=32,
        metavar="MB",
        help="as netmsg serve's (0: every list and page read from the store)",
    )
    args = parser.parse_args()
    asyncio.run(main_async(args.calls, args.top, args.inline, args.only, args.answer_cache))


if __name__ == "__main__":
    sys.exit(main())
