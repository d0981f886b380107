"""Enter in the Messages tab's search box paints once, with the rows found (issue 15): while the
store answers, no frame shows the old rows under the focus moved to them (over ssh that was the
whole list sent twice). The store is kept busy by a real job on its connection thread, as a long
query would."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from netmsg_tui.tui.widgets.paged_list import PagedList
from tests.conftest import Network
from tests.tui.conftest import OpenStore, make_app, ready
from tests.waiting import wait_until

from .conftest import SIZE


async def test_enter_in_the_search_box_paints_the_rows_found_and_nothing_before(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Frames are held until the rows are in, at most SEARCH_FRAME_WAIT: long here, so that a
    # slow machine cannot end the wait before the store does.
    monkeypatch.setattr(PagedList, "SEARCH_FRAME_WAIT", 30.0)
    store = open_store(network.user_a)
    pallets = await store.start_conversation(network.customer_on, "Pallets", "Twelve pallets")
    invoice = await store.start_conversation(network.customer_on, "Invoice", "Invoice 42 paid")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        pane = screen.messages

        def rows() -> list[str]:
            return [str(c.id) for c in pane.list.conversations]

        await pilot.press("slash", *"invoice")
        await wait_until(pilot, lambda: rows() == [str(invoice.id)], "the invoice found")

        busy, release = threading.Event(), threading.Event()

        def long_query(conn: object) -> None:
            busy.set()
            release.wait(30)

        job = asyncio.ensure_future(store._run(long_query))
        await wait_until(pilot, busy.is_set, "the store busy")
        await pilot.press(*["backspace"] * len("invoice"), *"pallet")
        await wait_until(pilot, lambda: pane.search.value == "pallet", "the new query typed")
        await pilot.pause()

        frames: list[list[str]] = []  # the rows listed at each frame painted from here
        display = app._display

        def counted(target: Any, renderable: Any) -> None:
            frames.append(rows())
            display(target, renderable)

        monkeypatch.setattr(app, "_display", counted)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.focused is pane.list, "the rows focused")
        await pilot.pause(0.1)  # time for a frame, were one painted
        assert frames == [], "no frame while the store has not answered"

        release.set()
        await job
        await wait_until(pilot, lambda: pane.filter.query == "pallet", "the search run")
        await wait_until(pilot, lambda: bool(frames), "a frame")
        assert frames[0] == [str(pallets.id)], "the first frame shows the rows found"
