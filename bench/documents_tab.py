"""The Documents tab on a large store: from a key press to the screen showing the answer.

Drives the real app (real SQLite adapter) headless with keys posted as the terminal driver
delivers them, on the store of ``build_scale(1,000,000)`` by default: 100,000 documents.

    python bench/documents_tab.py                   # 100,000 documents (store cached in bench/out/)
    python bench/documents_tab.py --messages 100000 # 10,000 documents, quicker
    python bench/documents_tab.py --json X.json     # rows for run.py

Measured: opening the tab the first time (first page read and on screen; after the app has built
the hidden tab, as it does half a second after start-up; ``--opens`` apps started, one sample
each), and again after 1 (the rows it has); paging down through the table, each
``pagedown`` a sample (those that load the next page from the store counted apart);
searching a document number; switching the kind filter. Goal: 50 ms p95 each. The tab's rows
also say how many frames the app painted for each opening (one: the tab with its rows).
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
from textual._compositor import Compositor

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


class Frames:
    """Frames the app paints (compositor updates of the screen shown): how many, and when the
    first one showing what ``watch`` waits for was painted."""

    def __init__(self) -> None:
        self.count = 0
        self._want: Callable[[], object] | None = None
        #: perf_counter and process_time after painting the first frame that showed it.
        self.shown_at: tuple[float, float] | None = None
        self._render_update = Compositor.render_update

        def counted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            shown = self._want is not None and self.shown_at is None and self._want()
            update = self._render_update(compositor, *args, **kwargs)
            if shown:
                self.shown_at = (time.perf_counter(), time.process_time())
            return update

        Compositor.render_update = counted  # type: ignore[method-assign]

    def watch(self, want: Callable[[], object]) -> None:
        self.count, self._want, self.shown_at = 0, want, None

    def close(self) -> None:
        Compositor.render_update = self._render_update  # type: ignore[method-assign]


async def home_screen_with_tab_built(app: NetmsgApp, pilot: Any) -> MainScreen:
    await until(lambda: isinstance(app.screen, MainScreen), "the home screen")
    main = app.screen
    assert isinstance(main, MainScreen)
    await until(lambda: main.query("ConversationList"), "the home screen built")
    await until(lambda: main.messages.list.option_count, "the conversation rows")
    # A person reads the first screen before pressing 2; by then the app has built the
    # hidden Documents tab (half a second after start-up). Wait for that, as they would.
    await until(lambda: main.query("DocumentsTable"), "the Documents tab built")
    await pilot.pause()
    await main.wait_for_refresh()
    return main


async def open_tab(
    app: NetmsgApp, main: MainScreen, frames: Frames, shown: Callable[[], object]
) -> tuple[float, float, float]:
    """2, until a frame painted the Documents tab with ``shown()`` true: wall and CPU ms to
    that frame, and the frames painted from the key until the screen is still again."""
    await main.wait_for_refresh()
    start, cpu = time.perf_counter(), time.process_time()
    frames.watch(lambda: main.active_tab == "documents" and shown())
    key(app, "2")
    await until(lambda: frames.shown_at is not None, "a frame of the Documents tab")
    assert frames.shown_at is not None
    wall, cpu_ms = (frames.shown_at[0] - start) * 1000, (frames.shown_at[1] - cpu) * 1000
    await asyncio.sleep(0.1)  # a frame that follows (the tab fitting its columns, say)
    await main.wait_for_refresh()
    return wall, cpu_ms, frames.count


async def first_opens(
    path: Path, runs: int, frames: Frames, profiles: Profiles
) -> tuple[list[float], ...]:
    """Wall ms, CPU ms and frames of the tab's first opening (its first page read from the
    store), in ``runs`` apps started one after the other: an app opens it once."""
    wall: list[float] = []
    cpu_ms: list[float] = []
    painted: list[float] = []
    for _ in range(runs):
        store = SQLiteStore(path)
        app = NetmsgApp(store)
        async with app.run_test(size=TERMINAL) as pilot:
            main = await home_screen_with_tab_built(app, pilot)
            profiles.start("open")
            taken = await open_tab(app, main, frames, lambda m=main: m.documents.table.row_count)
            profiles.stop("open")
            wall.append(taken[0])
            cpu_ms.append(taken[1])
            painted.append(taken[2])
        await store.close()
    return wall, cpu_ms, painted


async def measure(
    path: Path, pages: int, repeats: int, opens: int, profiles: Profiles | None = None
) -> list[dict[str, Any]]:
    profiles = profiles or Profiles(None)
    frames = Frames()
    store = SQLiteStore(path)
    app = NetmsgApp(store)
    samples: dict[str, list[float]] = {
        "open": [],
        "back": [],
        "key": [],
        "page": [],
        "search": [],
        "kind": [],
    }
    # The process's CPU time (all threads: the store's too) for the same steps: steadier than
    # the wall clock on a loaded machine, where a step mostly waits for a core.
    cpu_ms: dict[str, list[float]] = {what: [] for what in samples}
    painted: dict[str, list[float]] = {what: [] for what in samples}
    numbers = [d.number for d in (await store.list_documents(limit=500)).items[::25]]
    async with app.run_test(size=TERMINAL) as pilot:
        main = await home_screen_with_tab_built(app, pilot)

        profiles.start("open")
        taken = await open_tab(app, main, frames, lambda: main.documents.table.row_count)
        profiles.stop("open")
        for what, value in zip((samples, cpu_ms, painted), taken, strict=True):
            what["open"].append(value)
        pane = main.documents
        table = pane.table

        for _ in range(repeats):  # 1 and 2 again: the tab shown with the rows it has
            key(app, "1")
            await until(lambda: main.focused is main.messages.list, "the Messages tab")
            await main.wait_for_refresh()
            profiles.start("back")
            taken = await open_tab(app, main, frames, lambda: main.focused is table)
            profiles.stop("back")
            for what, value in zip((samples, cpu_ms, painted), taken, strict=True):
                what["back"].append(value)

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
    if opens > 1:  # the first opening again, an app each time
        wall, cpu_more, painted_more = await first_opens(path, opens - 1, frames, profiles)
        samples["open"] += wall
        cpu_ms["open"] += cpu_more
        painted["open"] += painted_more
    frames.close()

    names = {
        "open": "open the tab, first 40 rows shown (an app's first time)",
        "back": "1 then 2: back to the tab, its rows shown",
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
        result = (
            f"p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms (n={s['n']}); "
            f"CPU {c['p50_ms']:.1f} / {c['p95_ms']:.1f}"
        )
        if painted[what]:
            s["frames_max"] = max(painted[what])
            result += f"; frames ≤ {s['frames_max']:.0f}"
        rows.append(
            row(
                SECTION,
                names[what],
                s["p95_ms"],
                result,
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
    parser.add_argument(
        "--opens", type=int, default=10, help="first openings of the tab (an app started each)"
    )
    parser.add_argument("--json", type=Path, help="write the rows here (default bench/out/)")
    parser.add_argument(
        "--profile",
        choices=["open", "back", "key", "page", "search", "kind"],
        help="print a cProfile of these steps (the event loop's thread; summed over the samples)",
    )
    args = parser.parse_args()
    path, _built = scale_store(args.messages)
    profiles = Profiles(args.profile)
    rows = asyncio.run(measure(path, args.pages, args.repeats, args.opens, profiles))
    if profiles.stats is not None:
        profiles.stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)
    print(f"Documents tab, {args.messages // 10:,} documents, {TERMINAL[0]}×{TERMINAL[1]}:")
    print_table(rows)
    write_json("documents_tab", {"machine": machine(), "rows": rows}, args.json)


if __name__ == "__main__":
    main_cli()
