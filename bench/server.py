"""Send, list (the whole answer) and list again (nothing changed: the ETag's 304) over the
network server on loopback, beside the in-process SQLite adapter, at 1, 10 and 50 concurrent
clients (closed loop: each client sends its next request as soon as the last is answered, so
these rows show the ceiling); 50 people at a human pace (open loop); how fast a customer's
reply is pushed to a watching client, and shown by an open TUI.

    python bench/server.py                 # 300 operations per measurement (small, ~1 minute)
    python bench/server.py --ops 3000      # more samples
    python bench/server.py --json X.json   # rows for run.py
    python bench/server.py --postgres auto --workers 2
        # also PostgreSQL (a throwaway cluster, or an empty database's URL), servers of 2 processes

Each client is one supplier user with its own store object (SQLite: its own connection thread;
remote: its own HTTP client, token and outbox file) replying in its own thread, so clients do not
queue behind each other's idempotency keys. The server runs as ``netmsg serve`` in a child
process (rate limit off) over a SQLite file in a temporary folder; the clients share this
process, so at 50 clients part of what is measured is the client side's own event loop.
Throughput is operations per second of wall time over all clients; latency is per operation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from common import machine, ms_since, print_table, row, summary, write_json
from netmsg_tui.model import Contact
from netmsg_tui.store import MessageStore
from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.store.sqlite import SQLiteStore, admin
from netmsg_tui.store.sqlite.admin import create_customer_contact, issue_token

SECTION = "server"
LEVELS = (1, 10, 50)
PUSH_GOAL_MS = 1000.0  # the issue: new messages reach connected clients within 1 second


def build(path: Path, users: int) -> dict[str, Any]:
    conn = admin.connect(path)
    conn.execute("BEGIN")
    account = admin.create_account(conn, "Bench Supplier GmbH", "enterprise")
    contact = Contact("Bea Buyer", "bea@buyer.example", "+49 1", "Str. 1, Berlin")
    customer = admin.create_customer(
        conn, "Bench Buyer AG", "AN09000000001", "Berlin", contact, trading_with=[account]
    )
    user_ids = [
        admin.create_user(conn, account, f"User {i}", f"user{i}@bench.example")
        for i in range(users)
    ]
    tokens = {u: issue_token(conn, "supplier", user_id=u)[1] for u in user_ids}
    contact_id = create_customer_contact(conn, customer, "Bea Buyer", "bea@buyer.example")
    customer_token = issue_token(conn, "customer", contact_id=contact_id)[1]
    conn.execute("COMMIT")
    conn.close()
    return {"customer": customer, "users": user_ids, "tokens": tokens, "buyer": customer_token}


def start_server(path: Path | str, workers: int = 1) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "netmsg_tui", "serve", "--store", str(path), "--port", "0",
         "--rate", "0", "--log-level", "warning", "--workers", str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "netmsg server on " not in line:
        proc.kill()
        raise SystemExit(f"the server did not start: {line}")
    return proc, line.split("netmsg server on ", 1)[1].split()[0]


async def run_clients(
    stores: list[MessageStore],
    per_client: int,
    op: Callable[[MessageStore, int, int], Awaitable[Any]],
) -> tuple[float, list[float]]:
    latencies: list[float] = []

    async def client(index: int, store: MessageStore) -> None:
        for i in range(per_client):
            start = time.perf_counter()
            await op(store, index, i)
            latencies.append(ms_since(start))

    start = time.perf_counter()
    await asyncio.gather(*(client(n, s) for n, s in enumerate(stores)))
    return time.perf_counter() - start, latencies


async def measure(
    adapter: str, make: Callable[[int], MessageStore], net: dict[str, Any], ops: int
) -> list[dict[str, Any]]:
    rows = []
    for level in LEVELS:
        users = net["users"][:level]
        stores = [make(u) for u in users]
        threads: list[int] = []
        for store in stores:  # one thread per client (set-up, not measured)
            conv = await store.start_conversation(net["customer"], "Bench", "start")
            threads.append(conv.id)
        per = max(1, ops // level)

        async def send(store: MessageStore, n: int, i: int, threads: list[int] = threads) -> Any:
            return await store.reply(threads[n], f"bench message {i}")

        async def listing(store: MessageStore, n: int, i: int) -> Any:
            # The whole answer each time: the remote store's kept ETag is forgotten first (a
            # store without one, or an older version, just lists).
            kept = getattr(getattr(store, "_http", None), "_tagged", None)
            if kept is not None:
                kept.clear()
            return await store.list_conversations(limit=50)

        async def relisting(store: MessageStore, n: int, i: int) -> Any:
            # The same list again with nothing changed: a 304 where the server sends ETags.
            return await store.list_conversations(limit=50)

        kinds = (("send", send), ("list", listing), ("list again", relisting))
        for name, op in kinds:
            wall, latencies = await run_clients(stores, per, op)
            stats = summary(latencies)
            rate = len(latencies) / wall
            rows.append(
                row(
                    SECTION,
                    f"{adapter:<6} {name:<10} {level:>2} clients",
                    stats["p99_ms"],
                    f"{rate:7.0f} ops/s  p50 {stats['p50_ms']:6.1f} ms  "
                    f"p99 {stats['p99_ms']:6.1f} ms",
                    detail={**stats, "ops_per_s": rate, "clients": level, "adapter": adapter},
                )
            )
            print(rows[-1]["name"], rows[-1]["result"], file=sys.stderr)
        for store in stores:
            await store.close()
    return rows


async def paced(
    adapter: str, make: Callable[[int], MessageStore], net: dict[str, Any], seconds: int
) -> list[dict[str, Any]]:
    """Open loop: 50 clients each list once a second (as an open TUI polls) and send once every
    five seconds, at random phases, for ``seconds``. This is 50 people at work rather than 50
    scripts hammering the server; the closed-loop rows above show the ceiling."""
    import random

    level = max(LEVELS)
    stores = [make(u) for u in net["users"][:level]]
    threads = [(await s.start_conversation(net["customer"], "Paced", "start")).id for s in stores]
    lists: list[float] = []
    sends: list[float] = []
    rng = random.Random(7)

    async def client(n: int, store: MessageStore) -> None:
        await asyncio.sleep(rng.random())
        for tick in range(seconds):
            start = time.perf_counter()
            await store.list_conversations(limit=50)
            lists.append(ms_since(start))
            if tick % 5 == n % 5:
                start = time.perf_counter()
                await store.reply(threads[n], f"paced {tick}")
                sends.append(ms_since(start))
            await asyncio.sleep(1.0)

    await asyncio.gather(*(client(n, s) for n, s in enumerate(stores)))
    for store in stores:
        await store.close()
    rows = []
    for name, samples in (("list", lists), ("send", sends)):
        stats = summary(samples)
        rows.append(
            row(
                SECTION,
                f"{adapter:<6} {name:<4} {level} people (list 1/s, send 1/5 s)",
                stats["p99_ms"],
                f"p50 {stats['p50_ms']:6.1f} ms  p99 {stats['p99_ms']:6.1f} ms  (n={len(samples)})",
                detail={**stats, "people": level, "transport": adapter},
            )
        )
        print(rows[-1]["name"], rows[-1]["result"], file=sys.stderr)
    return rows


async def push_latency(
    url: str, net: dict[str, Any], out: Path, samples: int, name: str = "push"
) -> dict[str, Any]:
    import httpx

    user = net["users"][0]
    store = RemoteStore(url, net["tokens"][user], outbox_path=out / f"{name}-outbox.db")
    conv = await store.start_conversation(net["customer"], "Push", "are you there?")
    stream = store.watch()
    await anext(stream)
    latencies = []
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {net['buyer']}"}
    ) as buyer:
        for i in range(samples):
            start = time.perf_counter()
            r = await buyer.post(
                f"/api/v1/customer/conversations/{conv.id}/messages", json={"body": f"yes {i}"}
            )
            wanted = r.json()["id"]
            while True:
                batch = await asyncio.wait_for(anext(stream), 30)
                if any(c.message_id == wanted for c in batch.changes):
                    break
            latencies.append(ms_since(start))
            await asyncio.sleep(0.05)  # spread the samples over the server's polling phase
    await stream.aclose()
    await store.close()
    stats = summary(latencies)
    return row(
        SECTION,
        "push: customer reply -> watching client",
        stats["p99_ms"],
        f"p50 {stats['p50_ms']:6.1f} ms  p99 {stats['p99_ms']:6.1f} ms  (n={len(latencies)})",
        goal=PUSH_GOAL_MS,
        goal_text="p99 <= 1000 ms",
        detail=stats,
    )


async def tui_latency(url: str, net: dict[str, Any], out: Path, samples: int) -> dict[str, Any]:
    """A customer's reply until the supplier's open TUI counts it (the app as shipped: it
    polls the change feed once a second), headless."""
    import httpx

    from netmsg_tui.tui.app import NetmsgApp

    user = net["users"][1]
    store = RemoteStore(url, net["tokens"][user], outbox_path=out / "tui-outbox.db")
    conv = await store.start_conversation(net["customer"], "TUI", "watching?")
    app = NetmsgApp(store)
    latencies = []
    async with (
        app.run_test(size=(80, 24)) as pilot,
        httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {net['buyer']}"}
        ) as buyer,
    ):
        while app.identity is None:
            await pilot.pause(0.01)
        await asyncio.sleep(2.5)  # past the app's first poll, which takes the starting cursor
        for i in range(samples):
            before = app.unread_total
            start = time.perf_counter()
            await buyer.post(
                f"/api/v1/customer/conversations/{conv.id}/messages", json={"body": f"tui {i}"}
            )
            deadline = start + 30
            while app.unread_total == before and time.perf_counter() < deadline:
                await pilot.pause(0.005)
            latencies.append(ms_since(start))
            await asyncio.sleep(0.37)  # spread the samples over the app's polling phase
    await store.close()
    stats = summary(latencies)
    return row(
        SECTION,
        "tui: customer reply -> open TUI counts it",
        stats["p99_ms"],
        f"p50 {stats['p50_ms']:6.1f} ms  p99 {stats['p99_ms']:6.1f} ms  (n={len(latencies)})",
        goal=2000.0,
        goal_text="p99 <= 2000 ms",
        detail=stats,
    )


async def postgres_rows(
    path: Path, pg: str, workers: int, net: dict[str, Any], out: Path, ops: int, push: int
) -> list[dict[str, Any]]:
    """The same network copied into PostgreSQL: in-process, and its server with ``workers``
    processes (push measured across them: the reply and the stream may be on different ones)."""
    from netmsg_tui.store import copy_store, open_store

    copy_store(path, pg)
    proc, url = start_server(pg, workers)
    try:
        rows = await measure("pg", lambda u: open_store(pg, user_id=u), net, ops)
        rows += await measure(
            f"pg-w{workers}",
            lambda u: RemoteStore(url, net["tokens"][u], outbox_path=out / f"pg-{u}.db"),
            net,
            ops,
        )
        push_row = await push_latency(url, net, out, push, "pg-push")
        push_row["name"] = f"push over PostgreSQL, {workers} server processes"
        rows.append(push_row)
    finally:
        proc.terminate()
        proc.wait(30)
    return rows


async def main_async(
    ops: int, push_samples: int, paced_seconds: int, postgres: str | None = None, workers: int = 1
) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="netmsg-bench-") as folder:
        out = Path(folder)
        path = out / "network.db"
        net = build(path, max(LEVELS))
        proc, url = start_server(path, workers)
        try:
            rows = await measure("sqlite", lambda u: SQLiteStore(path, user_id=u), net, ops)
            rows += await measure(
                "remote",
                lambda u: RemoteStore(url, net["tokens"][u], outbox_path=out / f"outbox-{u}.db"),
                net,
                ops,
            )
            rows += await paced(
                "sqlite", lambda u: SQLiteStore(path, user_id=u), net, paced_seconds
            )
            rows += await paced(
                "remote",
                lambda u: RemoteStore(url, net["tokens"][u], outbox_path=out / f"paced-{u}.db"),
                net,
                paced_seconds,
            )
            rows.append(await push_latency(url, net, out, push_samples))
            rows.append(await tui_latency(url, net, out, max(5, push_samples // 2)))
        finally:
            proc.terminate()
            proc.wait(30)
        if postgres is not None:
            with postgres_database(postgres) as pg:
                rows += await postgres_rows(path, pg, workers, net, out, ops, push_samples)
    return rows


@contextlib.contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """The URL given, or ('auto') an empty database in a throwaway cluster, as the tests start."""
    if url != "auto":
        yield url
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.postgres_cluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (initdb/pg_ctl): give --postgres URL")
    cluster = Cluster(bindir)
    try:
        cluster.start()
        cluster.create_template()
        yield cluster.url(cluster.new_database())
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=300, help="operations per measurement")
    parser.add_argument("--push", type=int, default=30, help="push latency samples")
    parser.add_argument("--paced", type=int, default=10, help="seconds of the open-loop run")
    parser.add_argument("--json", type=Path, help="write the rows here (for run.py)")
    parser.add_argument("--postgres", metavar="URL", help="also PostgreSQL ('auto': a cluster)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    args = parser.parse_args()
    rows = asyncio.run(main_async(args.ops, args.push, args.paced, args.postgres, args.workers))
    print_table(rows)
    target = write_json("server", {"machine": machine(), "ops": args.ops, "rows": rows}, args.json)
    print(f"\nwritten to {target}")


if __name__ == "__main__":
    main()
