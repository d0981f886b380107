"""Searching the Messages tab (issue 14, item 5) on the demo network at 80×24: results come newest
matching message first (the README's promise; the demo used to write its newest threads first,
so message ids, which search walks, ran against time), Enter runs the search and moves to the
list, Escape clears it and all the threads are back."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input

from netmsg_tui.demo import build_demo
from netmsg_tui.store.sqlite import SQLiteStore
from tests.tui.conftest import SIZE, make_app, ready
from tests.waiting import wait_until


async def newest_match(store: SQLiteStore, conversation_id: int, word: str) -> object:
    page = await store.list_messages(conversation_id, limit=100)
    return max(m.sent_at for m in page.items if re.search(rf"\b{word}", m.body, re.I))


async def test_search_is_newest_first_enter_runs_it_and_escape_clears_it(
    tmp_path: Path,
) -> None:
    build_demo(tmp_path / "demo.db")
    store = SQLiteStore(tmp_path / "demo.db")
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(pilot)
            pane = screen.messages
            everything = (await store.list_conversations(limit=200)).items
            await wait_until(pilot, lambda: pane.items, "the rows")
            await pilot.press("slash", *"partial", "enter")  # no pause: Enter runs the search
            await wait_until(pilot, lambda: pane.filter.query == "partial", "the search run")
            await wait_until(pilot, lambda: app.focused is pane.list, "the list focused")
            found = [c.id for c in pane.list.conversations]
            assert len(found) >= 3
            times = [await newest_match(store, cid, "partial") for cid in found]
            assert times == sorted(times, reverse=True), "newest matching message first"
            # The rows on screen are these, in this order.
            shown = [pane.list.get_option_at_index(i).id for i in range(pane.list.option_count)]
            assert shown == [str(cid) for cid in found]

            await pilot.press("escape")
            await wait_until(pilot, lambda: pane.filter.query == "", "the search cleared")
            assert pane.search.value == ""
            await wait_until(pilot, lambda: len(pane.items) >= min(20, len(everything)), "rows")
            assert "matching" not in str(screen.query_one("#list-status").render())

            await pilot.press("slash", *"zzzz")
            await wait_until(pilot, lambda: pane.filter.query == "zzzz", "a search as typed")
            assert isinstance(app.focused, Input)
            await pilot.press("escape")  # from the search bar itself
            await wait_until(pilot, lambda: pane.filter.query == "", "cleared again")
            assert app.focused is pane.list
    finally:
        await store.close()
