"""The server's own CPU time per request over real HTTP on loopback: ``netmsg serve`` in a child
process (one worker, rate limit off), driven by a few keep-alive httpx clients, for the
conversation list, the same list asked with its ETag (304), a search, a thread page and a send.

    python bench/server_cpu.py                  # 1,000 requests per kind, 4 clients
    python bench/server_cpu.py --requests 3000 --clients 8

CPU milliseconds per request (user + system time of the server process, from /proc, divided by
the requests) hardly move when other programs share the machine, where requests per second and
latencies do: on a busy machine compare this column, and the ratios of one run. Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from server import build, start_server
from server_profile import fill

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


async def drive(url: str, token: str, method: str, path: str, params: dict[str, Any],
                body: dict[str, Any] | None, tag: bool, requests: int,
                clients: int) -> tuple[int, float]:  # fmt: skip
    """Send ``requests`` in all from ``clients`` connections; the status seen and the wall time."""
    headers = {"Authorization": f"Bearer {token}"}
    statuses: set[int] = set()
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as first:
        etag = (await first.get(path, params=params)).headers.get("etag") if tag else None
    extra = {"If-None-Match": etag} if etag else {}

    async def client(count: int) -> None:
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
            for _ in range(count):
                r = await http.request(method, path, params=params, json=body, headers=extra)
                statuses.add(r.status_code)

    start = time.perf_counter()
    await asyncio.gather(*(client(requests // clients) for _ in range(clients)))
    wall = time.perf_counter() - start
    assert len(statuses) == 1, statuses
    return statuses.pop(), wall


async def main_async(requests: int, clients: int) -> None:
    with tempfile.TemporaryDirectory(prefix="netmsg-cpu-") as folder:
        path = Path(folder) / "network.db"
        net = build(path, 2)
        ids = await fill(path, net, 60, 10)
        token = net["tokens"][net["users"][0]]
        proc, url = start_server(path)
        try:
            kinds: list[tuple[str, str, str, dict[str, Any], dict[str, Any] | None, bool]] = [
                ("list", "GET", "/api/v1/conversations", {"limit": 50}, None, False),
                ("list 304", "GET", "/api/v1/conversations", {"limit": 50}, None, True),
                ("search", "GET", "/api/v1/conversations", {"query": "pallets"}, None, False),
                ("thread", "GET", f"/api/v1/conversations/{ids[0]}/messages", {}, None, False),
                ("send", "POST", f"/api/v1/conversations/{ids[1]}/messages", {},
                 {"body": "measured reply"}, False),
            ]  # fmt: skip
            print(f"{'request':<8} {'status':>6} {'server CPU ms/req':>18} {'req/s':>8}")
            for name, method, target, params, body, tag in kinds:
                before = cpu_seconds(proc.pid)
                status, wall = await drive(
                    url, token, method, target, params, body, tag, requests, clients
                )
                used = cpu_seconds(proc.pid) - before
                done = requests // clients * clients
                print(f"{name:<8} {status:>6} {used / done * 1000:>18.3f} {done / wall:>8.0f}")
        finally:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(main_async(args.requests, args.clients))


if __name__ == "__main__":
    sys.exit(main())
