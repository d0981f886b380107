"""Time what a person does in the TUI on a large store: from the key press to the screen showing
the answer. Drives the real :class:`NetmsgApp` (over the real SQLite adapter) with Textual's
Pilot, headless: the app renders every frame as it would in a terminal, only the bytes to the
terminal are dropped (start-up in a real terminal is timed by ``startup.py``).

    python bench/interactions.py                # 100,000 messages (store cached in bench/out/)
    python bench/interactions.py --full         # 1,000,000 messages, 10,000 customers, 100,000 docs
    python bench/interactions.py --json X.json  # rows for run.py

Each sample: post the key to the app, wait until the widget holds the expected result (computed
beforehand from the store), then wait for the next screen refresh. Goal: 50 ms p95 each.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual import events
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Input, OptionList

from common import copy_store, ms_since, row, scale_store, summary, write_json
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs import customer_picker
from netmsg_tui.tui.screens import compose, main, thread
from netmsg_tui.tui.widgets import conversation_list
from netmsg_tui.tui.widgets.conversation_list import ConversationList
from netmsg_tui.tui.widgets.message_run import MessageRun

GOAL_MS = 50.0
SECTION = "interactions"
TERMINAL = (120, 40)
#: How often a condition is checked: often enough to resolve 1 ms, rarely enough to cost little.
POLL_S = float(os.environ.get("BENCH_POLL_S", "0.001"))
CUSTOMER_QUERIES = ["17", "254", "west ag", "3141", "munich", "88", "north gmbh", "702"]
SEARCH_QUERIES = ["certificate batch", "delivery", "4500000010", "warehouse harbour", "invoice"]


class Driver:
    """Keys in, conditions out: the few things every measurement needs from the running app."""

    def __init__(self, app: NetmsgApp) -> None:
        self.app = app

    def key(self, key: str) -> None:
        """The key as the terminal driver delivers it (not ``pilot.press``: that waits for the
        app to go idle in 20 ms steps, which would be timed too)."""
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(self.app)
        self.app.post_message(event)

    async def until(self, condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:.0f} s for {what}")
            await asyncio.sleep(POLL_S)

    async def shown(self) -> None:
        """Until the screen has painted what the widgets now hold."""
        await self.app.screen.wait_for_refresh()

    async def settle(self) -> None:
        """Until every worker but the change-feed poll is done, and the screen repainted."""
        await self.until(
            lambda: all(w.is_finished for w in self.app.workers if w.group != "live"),
            "the app's workers to finish",
        )
        await self.shown()


def listed(app: NetmsgApp) -> int:
    """Rows in the conversation list; 0 while the home screen is still being built."""
    screen = app.screen
    if not isinstance(screen, main.MainScreen):
        return 0
    try:
        return screen.messages.list.option_count
    except NoMatches:
        return 0


def thread_scroller(app: NetmsgApp) -> Widget | None:
    """The thread's message column once the thread screen is composed."""
    if not isinstance(app.screen, thread.ThreadScreen):
        return None
    try:
        return app.screen.query_one("#thread-messages")
    except NoMatches:
        return None


def option_ids(options: OptionList, limit: int = 50) -> list[str | None]:
    count = min(options.option_count, limit)
    return [options.get_option_at_index(i).id for i in range(count)]


def distinct_steps(queries: list[str], results: dict[str, list[str]]) -> list[str]:
    """Queries whose answer differs from the one before: a stale list can never pass as new."""
    kept: list[str] = []
    for q in queries:
        if not kept or results[q] != results[kept[-1]]:
            kept.append(q)
    if len(kept) < 2:
        raise RuntimeError(f"need two queries with different answers, got {kept}")
    return kept


async def customer_search(d: Driver, store: SQLiteStore, repeats: int) -> list[dict[str, Any]]:
    """In the "+" picker: the last key of a query → the matching customers listed."""
    app = d.app
    d.key("n")
    await d.until(lambda: isinstance(app.screen, compose.ComposeScreen), "the compose screen")
    await d.settle()
    d.key("plus")
    await d.until(lambda: isinstance(app.screen, customer_picker.CustomerPicker), "the picker")
    await d.settle()
    picker = app.screen
    field = picker.query_one("#customer-search", Input)
    options = picker.query_one("#customer-list", OptionList)

    async def answer(q: str) -> list[str]:
        page = await store.list_customers(q.strip(), limit=customer_picker.PAGE_SIZE)
        return [str(c.id) for c in page.items]

    wanted = {q: await answer(q) for q in CUSTOMER_QUERIES}
    prefixes = {q: await answer(q[:-1]) for q in CUSTOMER_QUERIES}
    queries = [q for q in CUSTOMER_QUERIES if wanted[q] != prefixes[q]]
    samples = []
    for i in range(repeats):
        q = queries[i % len(queries)]
        field.value = q[:-1]  # untimed: the person has typed all but the last key
        await d.until(lambda q=q: option_ids(options) == prefixes[q], f"results for {q[:-1]!r}")
        await d.settle()
        start = time.perf_counter()
        d.key(q[-1] if q[-1] != " " else "space")
        await d.until(lambda q=q: option_ids(options) == wanted[q], f"customers for {q!r}")
        await d.shown()
        samples.append(ms_since(start))
    d.key("escape")  # the picker
    await d.until(lambda: not isinstance(app.screen, customer_picker.CustomerPicker), "no picker")
    d.key("escape")  # the empty compose screen
    await d.until(lambda: isinstance(app.screen, main.MainScreen), "the main screen")
    await d.settle()
    # A key typed while the store is idle searches at once (no debounce to subtract).
    return [_row("customer search: key → list", summary(samples))]


async def open_big_thread(d: Driver, store: SQLiteStore, repeats: int) -> list[dict[str, Any]]:
    """Open the 10,000-message thread → its newest page on screen (Enter on a row calls
    ``open_thread``; the thread is the oldest, far down the list, so it is opened by id)."""
    app = d.app
    big = await store.get_conversation(1)
    newest_id = (await store.list_messages(big.id, limit=1)).items[-1].id
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        # What the Enter on its row does besides opening it: input, which the app's idle
        # garbage collector (tui/idle_gc.py) waits a second after. Without it every open came
        # after a second without keys, and a full collection (50-170 ms) fell inside some.
        app._collector.saw(events.Key("enter", "\r"))
        app.open_thread(big.id)
        await d.until(lambda: thread_scroller(app) is not None, "the thread screen")
        views = thread_scroller(app).children  # type: ignore[union-attr]  # live list: cheap
        # The newest message mounted (the thread mounts the page's newest messages first, the
        # ones that fill the screen; the older ones of the page when the user scrolls up).
        await d.until(
            lambda views=views: _newest_view(views, newest_id) is not None,
            "the newest message of the thread",
        )
        # Mounted is not shown: the page is mounted inside a batch update (no frame until it
        # ends), and a refresh asked for during a batch is answered at once. The newest message
        # has a place on the screen once the layout that follows the batch ran; that layout
        # paints in the same step.
        newest = _newest_view(views, newest_id)
        assert newest is not None
        await d.until(
            lambda newest=newest: newest.region_of(newest_id) is not None,
            "the newest message laid out",
        )
        await d.shown()
        samples.append(ms_since(start))
        await d.settle()  # marking read, the composer
        d.key("escape")
        await d.until(lambda: isinstance(app.screen, main.MainScreen), "back on the list")
        await d.settle()
    return [_row(f"open {big.message_count:,}-message thread → first page", summary(samples))]


def _newest_view(views: Sequence[Widget], message_id: int) -> MessageRun | None:
    """The run that draws message ``message_id`` when it is the last message in ``views``."""
    last = next((v for v in reversed(views) if isinstance(v, MessageRun)), None)
    return last if last is not None and last.messages[-1].id == message_id else None


async def full_text_search(d: Driver, store: SQLiteStore, repeats: int) -> list[dict[str, Any]]:
    """Search bar of the Messages tab: Enter after the query → matching threads listed. (Typing
    alone searches after a pause of ``messages_pane.SEARCH_DELAY``; Enter searches at once.)"""
    app = d.app
    screen = app.screen
    assert isinstance(screen, main.MainScreen)
    field = screen.messages.search
    conversations = screen.messages.list

    async def answer(q: str) -> list[str]:
        # A new search lists a first screenful; more rows load as the highlight moves down.
        page = await store.list_conversations(q, limit=conversation_list.FIRST_PAGE)
        return [str(c.id) for c in page.items]

    wanted = {q: await answer(q) for q in SEARCH_QUERIES}
    queries = distinct_steps(SEARCH_QUERIES, wanted)
    samples = []
    for i in range(repeats):
        q = queries[i % len(queries)]
        d.key("slash")
        await d.until(lambda: field.has_focus, "focus in the search bar")
        field.value = q  # untimed: typed; Enter comes before the typing pause ends
        await d.until(lambda q=q: field.value == q, "the query in the field")
        # The person sees what they typed before they press Enter (each key is painted as it
        # is typed): without this wait, painting the query fell inside the Enter's sample.
        await d.shown()
        start = time.perf_counter()
        d.key("enter")
        await d.until(lambda q=q: option_ids(conversations) == wanted[q], f"threads for {q!r}")
        await d.shown()
        samples.append(ms_since(start))
        await d.settle()
    # Back to the whole list for the next measurement.
    d.key("slash")
    await d.until(lambda: field.has_focus, "focus in the search bar")
    field.value = ""
    d.key("enter")
    await d.until(lambda: screen.messages.filter.query == "", "the whole list again")
    await d.settle()
    return [_row("full-text search: Enter → threads listed", summary(samples))]


async def list_length(store: SQLiteStore, at_least: int) -> int:
    """How many threads the list has, counted up to ``at_least``."""
    count, cursor = 0, None
    while count < at_least:
        page = await store.list_conversations(cursor=cursor, limit=100)
        count += len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    return count


async def move_down(d: Driver, store: SQLiteStore, rows: int) -> list[dict[str, Any]]:
    """↓ through the conversation list, one row per key, pages loading as the highlight nears
    the end of what is loaded. A key pressed at the very end of the loaded rows does nothing:
    the person presses again, and the time counts from the first press."""
    app = d.app
    screen = app.screen
    assert isinstance(screen, main.MainScreen)
    conversations: ConversationList = screen.messages.list
    rows = min(rows, await list_length(store, rows + 1) - 1)
    conversations.focus()
    conversations.highlighted = 0
    await d.settle()
    samples, again = [], 0
    started = time.perf_counter()
    for target in range(1, rows + 1):
        start = time.perf_counter()
        d.key("down")
        while True:
            try:
                await d.until(
                    lambda t=target: conversations.highlighted == t, f"row {target}", timeout=0.5
                )
                break
            except TimeoutError:
                if conversations.option_count > target or again > 100:
                    raise RuntimeError(
                        f"row {target}: highlighted {conversations.highlighted}, "
                        f"{conversations.option_count} rows loaded"
                    ) from None
                again += 1
                d.key("down")
        await d.shown()
        samples.append(ms_since(start))
    total_s = time.perf_counter() - started
    stats = summary(samples)
    stats["total_s"] = total_s
    stats["pressed_again"] = again
    return [_row(f"↓ through {rows:,} rows of the list, per key ({total_s:.0f} s)", stats)]


def progress(what: str) -> None:
    print(f"  interactions: {what} …", file=sys.stderr, flush=True)


def _row(name: str, stats: dict[str, float]) -> dict[str, Any]:
    result = f"p50 {stats['p50_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms (n={stats['n']})"
    return row(
        SECTION,
        name,
        stats["p95_ms"],
        result,
        goal=GOAL_MS,
        goal_text=f"p95 ≤ {GOAL_MS:.0f} ms",
        detail=stats,
    )


async def measure(
    path: Path, repeats: int = 20, rows: int = 1000, profile: Path | None = None
) -> list[dict[str, Any]]:
    """All interactions on a private copy of the store at ``path`` (opening threads marks them
    read; the cached original stays as built). ``profile``: a folder for one cProfile file per
    interaction (the event loop's thread only: where Textual renders)."""
    with tempfile.TemporaryDirectory(prefix="netmsg-bench-") as folder:
        store = SQLiteStore(copy_store(path, Path(folder) / "store.db"))
        app = NetmsgApp(store)
        results: list[dict[str, Any]] = []
        async with app.run_test(size=TERMINAL):
            d = Driver(app)
            await d.until(lambda: listed(app) > 0, "the conversation list")
            await d.settle()
            phases = [
                ("customer_search", lambda: customer_search(d, store, repeats)),
                # As many opens as the other rows' samples: of 15, the p95 was the slowest one.
                ("open_big_thread", lambda: open_big_thread(d, store, repeats)),
                ("full_text_search", lambda: full_text_search(d, store, repeats)),
                ("move_down", lambda: move_down(d, store, rows)),
            ]
            for name, phase in phases:
                progress(name)
                profiler = cProfile.Profile() if profile else None
                if profiler is not None:
                    profiler.enable()
                results += await phase()
                if profiler is not None and profile is not None:
                    profiler.disable()
                    profile.mkdir(parents=True, exist_ok=True)
                    profiler.dump_stats(profile / f"{name}.prof")
        await store.close()
    return results


def main_cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 messages")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rows", type=int, default=1000, help="rows to move through")
    parser.add_argument("--profile", type=Path, help="a folder for cProfile files, one a phase")
    parser.add_argument("--json", type=Path, help="write the rows here (default bench/out/)")
    args = parser.parse_args()
    messages = 1_000_000 if args.full else args.messages
    path, _ = scale_store(messages)
    results = asyncio.run(measure(path, args.repeats, args.rows, args.profile))
    for r in results:
        r["name"] = f"{r['name']} @ {messages:,} msgs"
        print(f"{r['name']:<72} {r['result']:<36} {r['verdict']}")
    write_json(f"interactions_{messages}", {"messages": messages, "rows": results}, args.json)


if __name__ == "__main__":
    main_cli()
