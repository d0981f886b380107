"""Shared pieces of the benchmark scripts: percentiles, peak RSS, scale stores cached on disk,
result rows measured against a goal, the table, and JSON under ``bench/out/``.

A *row* is one line of the suite's table: a measured number, how it was measured, and (when the
issue sets one) the goal it is held against. Scripts return rows as plain dicts (see :func:`row`)
so that ``run.py`` can collect them from a subprocess through ``--json PATH`` as well.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
SRC = BENCH.parent / "src" / "netmsg_tui"


# -- numbers ----------------------------------------------------------------------------------
def percentile(samples: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100), nearest-rank: a value that was actually observed."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max of samples in milliseconds, and how many there were."""
    return {
        "n": len(samples_ms),
        "p50_ms": percentile(samples_ms, 50),
        "p95_ms": percentile(samples_ms, 95),
        "p99_ms": percentile(samples_ms, 99),
        "max_ms": max(samples_ms) if samples_ms else math.nan,
    }


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


# -- memory -----------------------------------------------------------------------------------
def proc_status_kib(pid: int | str, field: str) -> int:
    """A ``kB`` field of /proc/PID/status, e.g. ``VmHWM`` (peak RSS) or ``VmRSS``."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(f"{field} not in /proc/{pid}/status")


def reset_peak_rss(pid: int | str) -> bool:
    """Start a new peak-RSS window for the process (Linux ``clear_refs`` value 5).
    Returns False where the kernel or permissions do not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# -- scale stores -------------------------------------------------------------------------------
def scale_store(messages: int) -> tuple[Path, float | None]:
    """A store built by ``build_scale(messages)``, cached under ``bench/out/stores/``.

    The cache key hashes the generator and schema sources, so a change there rebuilds. Returns
    the path and the build time in seconds (None when the cached file was reused). The file is
    built under a temporary name and renamed, so an interrupted build is never reused.
    """
    from netmsg_tui.demo import build_scale

    sources = [
        SRC / "demo.py",
        SRC / "store" / "sqlite" / "schema.py",
        SRC / "store" / "sqlite" / "search.py",
    ]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
    folder = OUT / "stores"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"scale-{messages}-{digest}.db"
    if path.exists():
        return path, None
    for stale in folder.glob(f"scale-{messages}-*"):
        stale.unlink()
    partial = folder / f"building-{messages}-{digest}.db"
    for leftover in folder.glob(f"building-{messages}-{digest}.db*"):
        leftover.unlink()
    print(f"building a {messages:,}-message store (cached for later runs) …", file=sys.stderr)
    start = time.perf_counter()
    build_scale(partial, messages)
    seconds = time.perf_counter() - start
    os.replace(partial, path)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    return path, seconds


def copy_store(path: Path, target: Path) -> Path:
    """A private copy of a store for benchmarks that write (sends, marking read)."""
    shutil.copyfile(path, target)
    return target


# -- rows and the table -----------------------------------------------------------------------
def row(
    section: str,
    name: str,
    value: float,
    result: str,
    *,
    goal: float | None = None,
    goal_text: str = "",
    higher_is_better: bool = False,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One line of the table. ``value`` is the number held against ``goal`` (a ceiling, or a
    floor when ``higher_is_better``); ``result`` is how the line shows it to a person."""
    return {
        "section": section,
        "name": name,
        "value": value,
        "result": result,
        "goal": goal,
        "goal_text": goal_text,
        "higher_is_better": higher_is_better,
        "verdict": verdict(value, goal, higher_is_better),
        "detail": detail or {},
    }


def verdict(value: float, goal: float | None, higher_is_better: bool = False) -> str:
    """How far a value is from its goal, in words: ``ok, 18% of the limit`` / ``MISSED, 3.2×``."""
    if goal is None:
        return ""
    if value is None or math.isnan(value):
        return "not measured"
    if goal == 0:
        return "ok" if value <= 0 else f"MISSED, {value:,.0f} over 0"
    if higher_is_better:
        ratio = value / goal
        return f"ok, {ratio:.1f}× the floor" if ratio >= 1 else f"MISSED, {ratio:.2f}× the floor"
    ratio = value / goal
    if ratio <= 1:
        return f"ok, {ratio:.0%} of the limit"
    return f"MISSED, {ratio:.1f}× the limit"


def print_table(rows: Iterable[dict[str, Any]], file: Any = None) -> None:
    """One plain-text table: section, measurement, result, goal, and how far from it."""
    rows = list(rows)
    headers = ("section", "measurement", "result", "goal", "vs goal")
    cells = [(r["section"], r["name"], r["result"], r["goal_text"], r["verdict"]) for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = file or sys.stdout
    print(line(headers), file=out)
    print(line(["-" * w for w in widths]), file=out)
    previous = None
    for c in cells:
        shown = list(c)
        if c[0] == previous:
            shown[0] = ""  # the section once, at the top of its group
        previous = c[0]
        print(line(shown), file=out)


def write_json(name: str, data: Any, path: Path | None = None) -> Path:
    """Write ``data`` to ``path`` or ``bench/out/<name>.json``; returns where it went."""
    target = path or OUT / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return target


def machine() -> dict[str, Any]:
    """What the numbers were measured on: they only compare within one run on one machine."""
    import platform
    import sqlite3

    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
