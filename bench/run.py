"""The benchmark suite: one command, one table, each row against its goal.

    python bench/run.py                 # small sizes, under 5 minutes on 2 cores
    python bench/run.py --full          # the 1,000,000-message store (built once, then cached)
    python bench/run.py --only store attachments

Sections, in order: start-up in tmux (``startup.py``), the bytes the TUI writes to a tmux
terminal per key (``terminal_bytes.py``), TUI interactions (``interactions.py``), the
Documents tab (``documents_tab.py``), the SQLite store as it grows (``store_scale.py``), the
server under 1/10/50 clients (``server.py``), the server under ``wrk`` beside the bare framework
(``server_wrk.py``), and 10 MiB attachments (``attachments.py``). Each script runs in its own
process (a clean heap and event loop; its own table goes to ``bench/out/logs/``) and hands its
rows back through ``--json``. The table is printed at the end and written to
``bench/out/suite.json`` (``suite-full.json`` with ``--full``, ``suite-store.json`` with
``--only store``). A section that fails shows as a failed row and makes the exit status 1; the
others still run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    OUT,
    copy_store,
    machine,
    print_table,
    row,
    scale_store,
    summary,
    write_json,
)

SECTIONS = (
    "startup",
    "terminal",
    "interactions",
    "documents",
    "store",
    "server",
    "wrk",
    "attachments",
)
RSS_GOAL = 1.5  # start-up peak RSS: at most 1.5× the bare Textual app
LIST_P99_GOAL_MS = 20.0  # server list p99 at 50 clients
HTTP_FLOOR = 0.30  # the HTTP path: at least 30% of the in-process adapter's throughput
QUERY_GOAL_MS = 50.0  # a store query behind a keystroke
FLAT_GOAL = 1.5  # "cost per operation stays flat": at most 1.5× the smallest store's figure


def run_script(name: str, args: list[str]) -> list[dict[str, Any]]:
    """``python bench/NAME.py ARGS --json TMP``; its own output goes to ``out/logs/NAME.log``,
    its progress (stderr) shows here."""
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="netmsg-suite-") as folder:
        target = Path(folder) / f"{name}.json"
        with open(logs / f"{name}.log", "w") as log:
            done = subprocess.run(
                [sys.executable, str(BENCH / f"{name}.py"), *args, "--json", str(target)],
                stdout=log,
                cwd=BENCH.parent,
            )
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(f"{name}.py exited with {done.returncode} (see its output above)")
        rows: list[dict[str, Any]] = json.loads(target.read_text())["rows"]
        return rows


# -- sections -----------------------------------------------------------------------------------
def startup(full: bool, messages: int) -> list[dict[str, Any]]:
    # 21 interleaved runs a variant with --full (the script's default is 7): the ratio of two
    # medians of 7 moved by ±0.15 between consecutive runs on the shared machine, of 15 by ±0.1.
    args = ["--full", "--runs", "21"] if full else ["--messages", str(messages)]
    rows = run_script("startup", args)
    bare = next((r for r in rows if "peak_rss_mib" in r["detail"] and r["goal"] is None), None)
    derived = []
    for r in rows:
        if bare is None or r is bare or "peak_rss_mib" not in r["detail"]:
            continue
        ratio = r["detail"]["peak_rss_mib"] / bare["detail"]["peak_rss_mib"]
        derived.append(
            row(
                "startup",
                f"{r['name']}: peak RSS",
                ratio,
                f"{ratio:.2f}× bare ({r['detail']['peak_rss_mib']:.0f} vs "
                f"{bare['detail']['peak_rss_mib']:.0f} MiB)",
                goal=RSS_GOAL,
                goal_text=f"≤ {RSS_GOAL}× bare",
            )
        )
    return rows + derived


def terminal() -> list[dict[str, Any]]:
    return run_script("terminal_bytes", [])


def interactions(messages: int, repeats: int) -> list[dict[str, Any]]:
    return run_script("interactions", ["--messages", str(messages), "--repeats", str(repeats)])


def documents(messages: int) -> list[dict[str, Any]]:
    return run_script("documents_tab", ["--messages", str(messages)])


def store(sizes: list[int], repeats: int, sends: int, rounds: int = 5) -> list[dict[str, Any]]:
    import store_scale

    rows: list[dict[str, Any]] = []
    first: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="netmsg-suite-") as folder:
        copies: dict[int, Path] = {}
        queries: dict[int, dict[str, dict[str, float]]] = {}
        built: dict[int, float | None] = {}
        for messages in sizes:
            path, built[messages] = scale_store(messages)
            print(f"  store: {messages:,} messages …", file=sys.stderr, flush=True)
            queries[messages] = asyncio.run(store_scale.measure(path, repeats))
            copies[messages] = copy_store(path, Path(folder) / f"store-{messages}.db")
        # Sends take a fraction of a millisecond, so a busy second on the machine moved one
        # size's p50 by 1.5x in earlier runs: the sizes take turns, ``rounds`` times each, so a
        # disturbance falls on all of them alike.
        sent_ms: dict[int, list[float]] = {m: [] for m in sizes}
        wall_s: dict[int, float] = dict.fromkeys(sizes, 0.0)
        for _ in range(rounds):
            for messages in sizes:
                samples, wall = asyncio.run(
                    store_scale.send_samples(copies[messages], sends // rounds)
                )
                sent_ms[messages] += samples
                wall_s[messages] += wall
    for messages in sizes:
        sent = {
            **summary(sent_ms[messages]),
            "sends_per_s": len(sent_ms[messages]) / wall_s[messages],
        }
        at = f"@ {messages:,} msgs"
        base = first.setdefault("send", sent["p50_ms"])
        growth = sent["p50_ms"] / base
        rows.append(
            row(
                "store",
                f"SQLite send {at}",
                growth,
                f"{sent['sends_per_s']:.0f} sends/s, p50 {sent['p50_ms']:.2f} ms, "
                f"p99 {sent['p99_ms']:.1f} ms",
                goal=FLAT_GOAL,
                goal_text=f"p50 ≤ {FLAT_GOAL}× @ {sizes[0]:,}",
                detail={**sent, "built_s": built[messages]},
            )
        )
        for name in (
            "first page of threads (50)",
            "page of threads 1,000 rows down",
            "full-text search, common word",
            "customer search keystroke",
        ):
            stats = queries[messages][name]
            growth = stats["p50_ms"] / first.setdefault(name, stats["p50_ms"])
            rows.append(
                row(
                    "store",
                    f"SQLite {name} {at}",
                    stats["p99_ms"],
                    f"p50 {stats['p50_ms']:.2f} ms, p99 {stats['p99_ms']:.2f} ms "
                    f"(p50 {growth:.1f}× @ {sizes[0]:,})",
                    goal=QUERY_GOAL_MS,
                    goal_text=f"p99 ≤ {QUERY_GOAL_MS:.0f} ms",
                    detail=stats,
                )
            )
    return rows


def server(ops: int) -> list[dict[str, Any]]:
    rows = run_script("server", ["--ops", str(ops)])
    by_key = {}  # (adapter, operation, clients) -> the row "remote list 50 clients"
    for r in rows:
        found = re.fullmatch(r"(sqlite|remote)\s+(send|list)\s+(\d+) clients", r["name"].strip())
        if found:
            by_key[(found[1], found[2], int(found[3]))] = r
    derived = []
    for (adapter, op, clients), r in by_key.items():
        if adapter == "remote" and op == "list" and clients == 50:
            r.update(
                row(
                    "server",
                    r["name"],
                    r["detail"]["p99_ms"],
                    r["result"],
                    goal=LIST_P99_GOAL_MS,
                    goal_text=f"p99 ≤ {LIST_P99_GOAL_MS:.0f} ms",
                    detail=r["detail"],
                )
            )
        local = by_key.get(("sqlite", op, clients))
        if adapter != "remote" or local is None:
            continue
        ratio = r["detail"]["ops_per_s"] / local["detail"]["ops_per_s"]
        derived.append(
            row(
                "server",
                f"HTTP / in-process {op} throughput, {clients} client{'s' * (clients != 1)}",
                ratio,
                f"{ratio:.0%} ({r['detail']['ops_per_s']:.0f} vs "
                f"{local['detail']['ops_per_s']:.0f} ops/s)",
                goal=HTTP_FLOOR,
                goal_text=f"≥ {HTTP_FLOOR:.0%}",
                higher_is_better=True,
            )
        )
    return rows + derived


def attachments(sends: int) -> list[dict[str, Any]]:
    return run_script("attachments", ["--sends", str(sends)])


# -- the command --------------------------------------------------------------------------------
def wrk(full: bool) -> list[dict[str, Any]]:
    """The server under wrk beside the framework floor (``server_wrk.py``): SQLite only and
    1 s rows by default (wrk from Debian's packages); with --full also PostgreSQL, 3 s rows."""
    if full:
        return run_script("server_wrk", ["--duration", "3"])
    return run_script("server_wrk", ["--duration", "1", "--no-postgres"])


def compile_package() -> None:
    """Write netmsg_tui's .pyc files, as pip does when it installs the package. With
    PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), an editable checkout has
    none, and the sections timed in this process compiled each lazily imported module from
    source inside a sample (the first thread opened compiled the thread screen's modules)."""
    import compileall

    import netmsg_tui

    compileall.compile_dir(str(Path(netmsg_tui.__file__).parent), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the 1,000,000-message store")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    args = parser.parse_args()
    large = 1_000_000 if args.full else 100_000
    plan = {
        "startup": lambda: startup(args.full, large),
        "terminal": terminal,
        "interactions": lambda: interactions(large, 30 if args.full else 20),
        "documents": lambda: documents(large),
        "store": lambda: store(
            [10_000, 100_000, 1_000_000] if args.full else [10_000, 100_000], 200, 300
        ),
        "server": lambda: server(1000 if args.full else 300),
        "wrk": lambda: wrk(args.full),
        "attachments": lambda: attachments(5),
    }
    compile_package()
    rows: list[dict[str, Any]] = []
    timings: dict[str, float] = {}
    failed = False
    began = time.perf_counter()
    for section in args.only or SECTIONS:
        print(f"== {section}", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            rows += plan[section]()
        except Exception as exc:  # one broken section must not hide the others' numbers
            failed = True
            rows.append(row(section, "FAILED", float("nan"), f"{type(exc).__name__}: {exc}"))
        timings[section] = round(time.perf_counter() - start, 1)
    total = time.perf_counter() - began
    print()
    print(f"netmsg-tui benchmarks ({'full' if args.full else 'default'} sizes, {total:.0f} s)")
    print_table(rows)
    missed = [r for r in rows if r["verdict"].startswith("MISSED")]
    print(f"\n{len(missed)} of {sum(1 for r in rows if r['goal'] is not None)} goals missed")
    target = write_json(
        "suite" + ("-full" if args.full else "") + "".join(f"-{o}" for o in args.only or ()),
        {"machine": machine(), "full": args.full, "seconds": timings, "rows": rows},
    )
    print(f"written to {target}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
