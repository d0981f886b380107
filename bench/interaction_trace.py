"""Where each sample of ``interactions.py`` went: one line per sample of the thread-open and
full-text-search rows, with its wall time, the process's CPU time, and what Textual did meanwhile
(garbage-collection passes, layouts of the screen, paints, CSS applied to new widgets, widgets
mounted). Not a section of ``run.py``: for finding what the slow tail is.

    python bench/interaction_trace.py                 # 100,000 messages, 10 opens, 10 searches
    python bench/interaction_trace.py --repeats 30    # more samples
    python bench/interaction_trace.py --full          # 1,000,000 messages

Columns: ``wall`` and ``cpu`` (ms, from the key to the answer on screen), ``gc`` (collector
passes as generation:ms), ``layout`` / ``paint`` (count and ms of the screen's layouts and of
compositor updates), ``css`` (stylesheet applications to nodes, count and ms), ``mounted``
(widgets registered). CPU time is the steadier figure on a shared machine: wall time also holds
the time other processes had the core.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

import interactions
from common import copy_store, scale_store
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp


class Probe:
    """Counters since the last :meth:`start` (a key posted, a thread opened)."""

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []
        self.start()
        self._gc_started = 0.0

    profiler: cProfile.Profile | None = None

    def start(self) -> None:
        if self.profiler is not None:
            self.profiler.enable()
        self.t0 = time.perf_counter()
        self.events: list[str] = []
        self.cpu0 = time.process_time()
        self.gc: list[str] = []
        self.layouts = [0, 0.0]
        self.paints = [0, 0.0]
        self.css = [0, 0.0]
        self.mounted = 0

    def gc_callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            ms = (time.perf_counter() - self._gc_started) * 1000
            self.gc.append(f"{info['generation']}:{ms:.0f}")
            if info["generation"] or ms > 2:
                self.event(f"gc{info['generation']}", self._gc_started, ms)

    def event(self, name: str, started: float, ms: float) -> None:
        self.events.append(f"{(started - self.t0) * 1000:.0f}+{ms:.0f} {name}")

    def sample(self, name: str, wall_ms: float) -> None:
        if self.profiler is not None:
            self.profiler.disable()
        self.lines.append(
            {
                "row": name,
                "wall": wall_ms,
                "cpu": (time.process_time() - self.cpu0) * 1000,
                "gc": " ".join(self.gc) or "-",
                "layout": f"{self.layouts[0]}/{self.layouts[1]:.0f}",
                "paint": f"{self.paints[0]}/{self.paints[1]:.0f}",
                "css": f"{self.css[0]}/{self.css[1]:.0f}",
                "mounted": self.mounted,
                "events": list(self.events),
            }
        )


PROBE = Probe()


def _extra() -> list[tuple[type, str]]:
    from textual.widget import Widget

    from netmsg_tui.tui.screens.thread import ThreadScreen
    from netmsg_tui.tui.widgets.paged_list import PagedList
    from netmsg_tui.tui.widgets.reply_box import ReplyBox
    from netmsg_tui.tui.widgets.thread_messages import ThreadMessages

    return [
        (PagedList, "_show_first"),
        (ThreadMessages, "show_first"),
        (ReplyBox, "show_for"),
        (ThreadScreen, "_show_header"),
        (ThreadScreen, "compose"),
        (Widget, "focus"),
        (Stylesheet, "update_nodes"),
    ]


EXTRA = _extra()


def timed(
    owner: type, name: str, counter: Callable[[], list[Any]] | None = None, log: bool = True
) -> None:
    original = getattr(owner, name)
    label = f"{owner.__name__}.{name}"

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            ms = (time.perf_counter() - start) * 1000
            if counter is not None:
                count = counter()
                count[0] += 1
                count[1] += ms
            if log:
                PROBE.event(label, start, ms)

    setattr(owner, name, wrapper)


@contextmanager
def probed() -> Iterator[None]:
    gc.callbacks.append(PROBE.gc_callback)
    timed(Screen, "_refresh_layout", lambda: PROBE.layouts)
    timed(Screen, "_compositor_refresh", lambda: PROBE.paints)
    timed(Stylesheet, "apply", lambda: PROBE.css, log=False)
    for owner, name in EXTRA:
        timed(owner, name)
    register = App._register

    def counted_register(self: App[Any], parent: Any, *widgets: Any, **kw: Any) -> Any:
        PROBE.mounted += len(widgets)
        return register(self, parent, *widgets, **kw)

    App._register = counted_register  # type: ignore[method-assign]
    # A sample starts where interactions.py starts its clock: a key posted, a thread opened.
    key = interactions.Driver.key

    def key_and_start(self: interactions.Driver, k: str) -> None:
        if k != "escape":  # leaving a thread is not a sample: not in the profile either
            PROBE.start()
        key(self, k)

    interactions.Driver.key = key_and_start  # type: ignore[method-assign]
    open_thread = NetmsgApp.open_thread

    def open_and_start(self: NetmsgApp, *args: Any, **kw: Any) -> None:
        PROBE.start()
        open_thread(self, *args, **kw)

    NetmsgApp.open_thread = open_and_start  # type: ignore[method-assign]
    ms_since = interactions.ms_since
    rows = {
        "open_big_thread": "open",
        "full_text_search": "search",
        "customer_search": "customer",
        "move_down": "down",
    }
    current = {"row": "?"}

    def sample_ms(start: float) -> float:
        ms = ms_since(start)
        PROBE.sample(current["row"], ms)
        return ms

    interactions.ms_since = sample_ms
    progress = interactions.progress

    def named_progress(what: str) -> None:
        current["row"] = rows.get(what, what)
        progress(what)

    interactions.progress = named_progress
    try:
        yield
    finally:
        gc.callbacks.remove(PROBE.gc_callback)


async def trace(path: Path, repeats: int, phases: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="netmsg-trace-") as folder:
        store = SQLiteStore(copy_store(path, Path(folder) / "store.db"))
        app = NetmsgApp(store)
        async with app.run_test(size=interactions.TERMINAL):
            d = interactions.Driver(app)
            await d.until(lambda: interactions.listed(app) > 0, "the conversation list")
            await d.settle()
            runs = {
                "open": lambda: interactions.open_big_thread(d, store, repeats),
                "search": lambda: interactions.full_text_search(d, store, repeats),
                "customer": lambda: interactions.customer_search(d, store, repeats),
            }
            for name in phases:
                interactions.progress(
                    {
                        "open": "open_big_thread",
                        "search": "full_text_search",
                        "customer": "customer_search",
                    }[name]
                )
                await runs[name]()
        await store.close()


def report(lines: list[dict[str, Any]]) -> None:
    print(
        f"{'row':<8} {'wall':>6} {'cpu':>6}  {'layout':>7} {'paint':>6} {'css':>8} "
        f"{'mounted':>7}  gc"
    )
    for line in lines:
        print(
            f"{line['row']:<8} {line['wall']:6.1f} {line['cpu']:6.1f}  {line['layout']:>7} "
            f"{line['paint']:>6} {line['css']:>8} {line['mounted']:>7}  {line['gc']}"
        )
        if TIMELINE:
            for event in line["events"]:
                print("          " + event)
    for row in sorted({line["row"] for line in lines}):
        walls = [line["wall"] for line in lines if line["row"] == row]
        cpus = [line["cpu"] for line in lines if line["row"] == row]
        print(
            f"{row}: wall p50 {statistics.median(walls):.1f} max {max(walls):.1f} ms; "
            f"cpu p50 {statistics.median(cpus):.1f} max {max(cpus):.1f} ms (n={len(walls)})"
        )


TIMELINE = False


def main_cli() -> None:
    global TIMELINE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 messages")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--phases", default="open,search", help="open, search, customer")
    parser.add_argument("--profile", type=Path, help="a cProfile of the timed samples only")
    parser.add_argument("--timeline", action="store_true", help="each sample's events")
    args = parser.parse_args()
    TIMELINE = args.timeline
    if args.profile:
        PROBE.profiler = cProfile.Profile()
    path, _ = scale_store(1_000_000 if args.full else args.messages)
    with probed():
        asyncio.run(trace(path, args.repeats, args.phases.split(",")))
    report(PROBE.lines)
    if PROBE.profiler is not None:
        PROBE.profiler.dump_stats(args.profile)


if __name__ == "__main__":
    sys.exit(main_cli())
