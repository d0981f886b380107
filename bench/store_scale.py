"""Build a large SQLite store and time the queries the Messages tab runs on it.

    python bench/store_scale.py                 # 100,000 messages (about half a minute)
    python bench/store_scale.py --full          # 1,000,000 messages, 10,000 customers, 100,000 docs
    python bench/store_scale.py --store X.db    # reuse a store built earlier
    python bench/store_scale.py --postgres auto # the same store copied into PostgreSQL (a
                                                # throwaway cluster; or an empty database's URL)

Prints one table (median and p95 over repeated runs) and writes it as JSON to bench/out/.
Goals: build under 5 minutes at 1,000,000 messages; each query under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from common import summary
from netmsg_tui.demo import build_scale
from netmsg_tui.store import MessageStore, copy_store, open_store
from netmsg_tui.store.sqlite import SQLiteStore

GOAL_MS = 50.0


async def timed(fn, repeats: int = 15) -> dict[str, float]:  # type: ignore[no-untyped-def]
    await fn()  # warm-up: first touch of the pages from disk
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    return summary(samples)  # p50, p95, p99 (nearest rank), max


async def send_samples(path: Path, count: int = 200) -> tuple[list[float], float]:
    """``count`` replies one after another, spread over threads whose customers accept
    messages: each send's milliseconds, and the wall time in seconds. Writes to the store:
    pass a copy."""
    store = SQLiteStore(path)
    page = await store.list_conversations(limit=50)
    threads = [
        c.id for c in page.items if (await store.get_customer(c.customer_id)).messaging_enabled
    ]
    await store.reply(threads[0], "warm-up")
    samples = []
    start = time.perf_counter()
    for i in range(count):
        one = time.perf_counter()
        await store.reply(threads[i % len(threads)], f"bench send {i}")
        samples.append((time.perf_counter() - one) * 1000)
    wall = time.perf_counter() - start
    await store.close()
    return samples, wall


async def sends_per_second(path: Path, count: int = 200) -> dict[str, float]:
    """Send timings of :func:`send_samples` as p50/p95/p99 and sends per second."""
    samples, wall = await send_samples(path, count)
    return {**summary(samples), "sends_per_s": count / wall}


async def measure(path: Path | str, repeats: int = 15) -> dict[str, dict[str, float]]:
    """The Messages tab's queries on the store at ``path`` (a SQLite file or a PostgreSQL URL),
    each timed ``repeats`` times."""
    store: MessageStore = open_store(str(path))
    time_it = functools.partial(timed, repeats=repeats)
    first = await store.list_conversations(limit=50)
    deep_cursor = first.next_cursor
    for _ in range(20):  # a cursor 1,000 rows down the list
        page = await store.list_conversations(cursor=deep_cursor, limit=50)
        deep_cursor = page.next_cursor
    big = first.items[-1].id if first.items else 1
    results = {
        "first page of threads (50)": await time_it(lambda: store.list_conversations(limit=50)),
        "page of threads 1,000 rows down": await time_it(
            lambda: store.list_conversations(cursor=deep_cursor, limit=50)
        ),
        "unread-only first page": await time_it(
            lambda: store.list_conversations(unread_only=True, limit=50)
        ),
        "full-text search, rare word": await time_it(
            lambda: store.list_conversations("certificate batch", limit=50)
        ),
        "full-text search, common word": await time_it(
            lambda: store.list_conversations("delivery", limit=50)
        ),
        "full-text search, document number": await time_it(
            lambda: store.list_conversations("4500000010", limit=50)
        ),
        "customer search keystroke": await time_it(lambda: store.list_customers("alp", limit=50)),
        "documents first page": await time_it(lambda: store.list_documents(limit=50)),
        "newest page of the 10,000-message thread": await time_it(
            lambda: store.list_messages(1, limit=50)
        ),
        "newest page of a 20-message thread": await time_it(
            lambda: store.list_messages(big, limit=50)
        ),
        "unread total": await time_it(store.unread_total),
    }
    await store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 messages")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="an existing store built with --scale")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also copy the store into this empty PostgreSQL database and time it there "
        "('auto': a throwaway cluster, as the tests start)",
    )
    args = parser.parse_args()
    messages = 1_000_000 if args.full else args.messages
    build_s = None
    if args.store and args.store.exists():
        path = args.store
    else:
        path = args.store or Path(tempfile.mkdtemp()) / f"scale-{messages}.db"
        start = time.perf_counter()
        build_scale(path, messages)
        build_s = time.perf_counter() - start
    results = asyncio.run(measure(path))
    print(f"store: {path} ({path.stat().st_size / 1e6:,.0f} MB)")
    if build_s is not None:
        print(f"build: {messages:,} messages in {build_s:,.1f} s (goal: under 300 s)")
    report = {"messages": messages, "build_s": build_s, "queries": results}
    columns = {"SQLite": results}
    if args.postgres:
        with _postgres(args.postgres) as url:
            start = time.perf_counter()
            copy_store(path, url)
            copy_s = time.perf_counter() - start
            print(f"copied into PostgreSQL in {copy_s:,.1f} s")
            columns["PostgreSQL"] = asyncio.run(measure(url))
            report.update(postgres_copy_s=copy_s, postgres_queries=columns["PostgreSQL"])
    header = "".join(f" {name + ' p50':>16} {'p95 ms':>8}" for name in columns)
    print(f"{'query':<44}{header}  goal {GOAL_MS:.0f} ms (p95)")
    for name in results:
        cells = "".join(
            f" {c[name]['p50_ms']:>16.2f} {c[name]['p95_ms']:>8.2f}" for c in columns.values()
        )
        worst = max(c[name]["p95_ms"] for c in columns.values())
        verdict = "ok" if worst <= GOAL_MS else f"MISSED x{worst / GOAL_MS:.1f}"
        print(f"{name:<44}{cells}  {verdict}")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / f"store_scale_{messages}.json").write_text(json.dumps(report, indent=2))


@contextlib.contextmanager
def _postgres(url: str) -> Iterator[str]:
    """The database to copy into: the URL given, or ('auto') one in a throwaway cluster."""
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


if __name__ == "__main__":
    main()
