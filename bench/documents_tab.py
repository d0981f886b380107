"""The Documents tab on a large store: from a key press to the screen showing the answer.

Drives the real app (real SQLite adapter) headless with keys posted as the terminal driver
delivers them, on the store of ``build_scale(1,000,000)`` by default: 100,000 documents.

    python bench/documents_tab.py                   # 100,000 documents (store cached in bench/out/)
    python bench/documents_tab.py --messages 100000 # 10,000 documents, quicker
    python bench/documents_tab.py --json X.json     # rows for run.py

Measured: opening the tab (first page on screen; after the app has built the hidden tab, as it
does half a second after start-up); paging down through the table, each
``pagedown`` a sample (those that load the next page from the store counted apart);
searching a document number; switching the kind filter. Goal: 50 ms p95 each.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events

from common import machine, ms_since, print_table, row, scale_store, summary, write_json
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.main import MainScreen

GOAL_MS = 50.0
SECTION = "documents tab"
TERMINAL = (80, 24)


def cpu_since(start: float) -> float:
    return (time.process_time() - start) * 1000


def key(app: NetmsgApp, name: str) -> None:
    event = events.Key(name, name if len(name) == 1 else None)
    event.set_sender(app)
    app.post_message(event)


async def until(condition: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(0.0005)


class Profiles:
    """cProfile of the steps of one kind (``--profile page``), summed over its samples."""

    def __init__(self, step: str | None) -> None:
        self.step = step
        self.stats: pstats.Stats | None = None
        self._now: cProfile.Profile | None = None

    def start(self, *steps: str) -> None:
        if self.step in steps:
            self._now = cProfile.Profile()
            self._now.enable()

    def stop(self, step: str) -> None:
        if self._now is None:
            return
        self._now.disable()
        if step == self.step:
            if self.stats is None:
                self.stats = pstats.Stats(self._now)
            else:
                self.stats.add(self._now)
        self._now = None


async def measure(
    path: Path, pages: int, repeats: int, profiles: Profiles | None = None
) -> list[dict[str, Any]]:
    profiles = profiles or Profiles(None)
    store = SQLiteStore(path)
    app = NetmsgApp(store)
    samples: dict[str, list[float]] = {"open": [], "key": [], "page": [], "search": [], "kind": []}
    # The process's CPU time (all threads: the store's too) for the same steps: steadier than
    # the wall clock on a loaded machine, where a step mostly waits for a core.
    cpu_ms: dict[str, list[float]] = {what: [] for what in samples}
    numbers = [d.number for d in (await store.list_documents(limit=500)).items[::25]]
    async with app.run_test(size=TERMINAL) as pilot:
        await until(lambda: isinstance(app.screen, MainScreen), "the home screen")
        main = app.screen
        assert isinstance(main, MainScreen)
        await until(lambda: main.query("ConversationList"), "the home screen built")
        await until(lambda: main.messages.list.option_count, "the conversation rows")
        # A person reads the first screen before pressing 2; by then the app has built the
        # hidden Documents tab (half a second after start-up). Wait for that, as they would.
        await until(lambda: main.query("DocumentsTable"), "the Documents tab built")
        await pilot.pause()

        profiles.start("open")
        start, cpu = time.perf_counter(), time.process_time()
        key(app, "2")
        await until(lambda: main.query("DocumentsTable"), "the Documents tab")
        pane = main.documents
        await until(lambda: pane.table.row_count, "the first page")
        await app.screen.wait_for_refresh()
        samples["open"].append(ms_since(start))
        cpu_ms["open"].append(cpu_since(cpu))
        profiles.stop("open")

        table = pane.table
        while table.row_count < pages * 40 and pane.has_more:
            rows_before, row_before = table.row_count, table.cursor_row
            profiles.start("key", "page")
            start, cpu = time.perf_counter(), time.process_time()
            key(app, "pagedown")
            await until(lambda r=row_before: table.cursor_row != r, "the cursor to move")
            await until(lambda: not pane._loading_more, "the next page", timeout=60)
            await app.screen.wait_for_refresh()
            taken = ms_since(start)
            step = "page" if table.row_count > rows_before else "key"
            samples[step].append(taken)
            cpu_ms[step].append(cpu_since(cpu))
            profiles.stop(step)
        shown = table.row_count

        for n in range(repeats):
            number = numbers[n % len(numbers)]
            profiles.start("search")
            start, cpu = time.perf_counter(), time.process_time()
            pane.search.value = number
            pane.search_now()  # as after the typing pause; the pause itself is not timed
            await until(
                lambda n=number: pane.documents and pane.documents[0].number == n, f"{number}"
            )
            await app.screen.wait_for_refresh()
            samples["search"].append(ms_since(start))
            cpu_ms["search"].append(cpu_since(cpu))
            profiles.stop("search")
        pane.search.value = ""
        pane.search_now()
        await until(lambda: pane.table.row_count >= 40, "the unfiltered list")

        table.focus()
        # The focus leaving the search box restyles it and lays out the screen: that is the
        # focus move's (a person's k is typed in the table), not the first kind filter's.
        await pilot.pause()
        await app.screen.wait_for_refresh()
        for n in range(repeats):
            want = ("purchase_order", "invoice", None)[n % 3]
            profiles.start("kind")
            start, cpu = time.perf_counter(), time.process_time()
            key(app, "k")
            await until(
                lambda want=want: (
                    pane.filter.kind == want
                    and pane.documents
                    and (want is None or {d.kind for d in pane.documents} == {want})
                    and not [w for w in app.workers if w.group == "documents" and w.is_running]
                ),
                "the kind filter",
            )
            await app.screen.wait_for_refresh()
            samples["kind"].append(ms_since(start))
            cpu_ms["kind"].append(cpu_since(cpu))
            profiles.stop("kind")
    await store.close()

    names = {
        "open": "open the tab, first 40 rows shown",
        "key": f"pagedown within loaded rows (to {shown:,} rows)",
        "page": "pagedown that loads the next 40 rows from the store",
        "search": "search a document number",
        "kind": "kind filter (purchase orders / invoices / all)",
    }
    rows = []
    for what, taken in samples.items():
        s = summary(taken)
        c = summary(cpu_ms[what])
        s["cpu_p50_ms"], s["cpu_p95_ms"] = c["p50_ms"], c["p95_ms"]
        rows.append(
            row(
                SECTION,
                names[what],
                s["p95_ms"],
                f"p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms (n={s['n']}); "
                f"CPU {c['p50_ms']:.1f} / {c['p95_ms']:.1f}",
                goal=GOAL_MS,
                goal_text=f"p95 ≤ {GOAL_MS:.0f} ms",
                detail=s,
            )
        )
    return rows


def main_cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000, help="store size (docs: /10)")
    parser.add_argument("--pages", type=int, default=30, help="pages to scroll through")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", type=Path, help="write the rows here (default bench/out/)")
    parser.add_argument(
        "--profile",
        choices=["open", "key", "page", "search", "kind"],
        help="print a cProfile of these steps (the event loop's thread; summed over the samples)",
    )
    args = parser.parse_args()
    path, _built = scale_store(args.messages)
    profiles = Profiles(args.profile)
    rows = asyncio.run(measure(path, args.pages, args.repeats, profiles))
    if profiles.stats is not None:
        profiles.stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)
    print(f"Documents tab, {args.messages // 10:,} documents, {TERMINAL[0]}×{TERMINAL[1]}:")
    print_table(rows)
    write_json("documents_tab", {"machine": machine(), "rows": rows}, args.json)


if __name__ == "__main__":
    main_cli()
