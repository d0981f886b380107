"""Enter in the Messages tab's search box paints once, with the rows found (issue 15): while the
store answers, no frame shows the old rows under the focus moved to them (over ssh that was the
whole list sent twice). But frames are held 0.2 s at most: a slow store, a screen opened or a
resize meanwhile are painted then. The store is kept busy by a real job on its connection
thread, as a long query would.

Frames are counted where Textual writes them (``App._display``; one asked for during a held
batch is dropped there). The checks after Enter poll without Pilot: ``Pilot.pause`` updates the
screen itself, which would paint what the app did not."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.help import HelpScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets.paged_list import PagedList
from tests.conftest import Network
from tests.tui.conftest import OpenStore, make_app, ready
from tests.waiting import TIMEOUT, wait_until

from .conftest import SIZE


@dataclass
class Frames:
    """What each frame that reached the terminal showed: the screen and the rows listed."""

    shown: list[tuple[str, list[str]]] = field(default_factory=list)


async def frame_until(condition: Callable[[], object], what: str) -> None:
    """Poll ``condition`` while the app runs on its own (no Pilot)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


@asynccontextmanager
async def busy_store(store: Any) -> AsyncIterator[None]:
    """The store's connection thread busy, as with a long query, until the block ends."""
    busy, release = threading.Event(), threading.Event()

    def long_query(conn: object) -> None:
        busy.set()
        release.wait(TIMEOUT)

    job = asyncio.ensure_future(store._run(long_query))
    await frame_until(busy.is_set, "the store busy")
    try:
        yield
    finally:
        release.set()
        await job


def count_frames(app: NetmsgApp, screen: MainScreen, monkeypatch: pytest.MonkeyPatch) -> Frames:
    frames = Frames()
    display = app._display

    def counted(target: Any, renderable: Any) -> None:
        if renderable is not None and not app._batch_count:  # not dropped: on the terminal
            rows = [str(c.id) for c in screen.messages.list.conversations]
            frames.shown.append((type(app.screen).__name__, rows))
        display(target, renderable)

    monkeypatch.setattr(app, "_display", counted)
    return frames


async def invoice_found(network: Network, open_store: OpenStore) -> tuple[Any, int, int]:
    store = open_store(network.user_a)
    pallets = await store.start_conversation(network.customer_on, "Pallets", "Twelve pallets")
    invoice = await store.start_conversation(network.customer_on, "Invoice", "Invoice 42 paid")
    return store, pallets.id, invoice.id


async def _search_invoice(pilot: Any, screen: MainScreen, invoice: int) -> None:
    pane = screen.messages
    await pilot.press("slash", *"invoice")
    await wait_until(pilot, lambda: pane.list.option_count == 1, "the search as typed")
    assert [c.id for c in pane.list.conversations] == [invoice]


@asynccontextmanager
async def pallet_typed_while_busy(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[NetmsgApp, Any, int, Frames]]:
    """The app with "invoice" searched, then "pallet" typed in its place while the store is
    busy (so not searched yet), the frames counted from there: (app, pilot, the invoice's
    thread, frames). The store stays busy until the block ends."""
    store, _pallets, invoice = await invoice_found(network, open_store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await _search_invoice(pilot, screen, invoice)
        async with busy_store(store):
            await pilot.press(*["backspace"] * len("invoice"), *"pallet")
            await wait_until(pilot, lambda: screen.messages.search.value == "pallet", "typed")
            yield app, pilot, invoice, count_frames(app, screen, monkeypatch)


async def test_enter_paints_the_rows_found_and_nothing_before_even_after_a_search_in_flight(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Held until the rows are in, at most SEARCH_FRAME_WAIT: long here, so that a slow machine
    # cannot end the wait before the store does.
    monkeypatch.setattr(PagedList, "SEARCH_FRAME_WAIT", TIMEOUT)
    store, pallets, invoice = await invoice_found(network, open_store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        pane = screen.messages
        await _search_invoice(pilot, screen, invoice)
        async with busy_store(store):
            await pilot.press(*["backspace"] * len("invoice"), *"palle")
            # The search of what was typed has started, and waits for the store; Enter comes
            # with a newer query (the older search is cancelled: its end is not Enter's).
            await wait_until(pilot, lambda: pane.filter.query == "palle", "a search in flight")
            await pilot.press("t")
            await wait_until(pilot, lambda: pane.search.value == "pallet", "the query")
            await pilot.pause()
            frames = count_frames(app, screen, monkeypatch)
            await pilot.press("enter")
            await frame_until(lambda: app.focused is pane.list, "the rows focused")
            await frame_until(lambda: pane.filter.query == "pallet", "Enter's search")
            assert frames.shown == [], "no frame while the store has not answered"
        await frame_until(lambda: frames.shown, "a frame")
        assert frames.shown[0] == ("MainScreen", [str(pallets)]), "the rows found, first"


async def test_a_slow_store_gets_a_frame_after_the_wait(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with pallet_typed_while_busy(network, open_store, monkeypatch) as typed:
        app, pilot, invoice, frames = typed
        await pilot.press("enter")
        # The focus on the (old) rows is painted while the store still works.
        await frame_until(lambda: frames.shown, "a frame before the store answers")
        assert frames.shown[0] == ("MainScreen", [str(invoice)])


async def test_a_screen_opened_during_the_wait_is_painted(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with pallet_typed_while_busy(network, open_store, monkeypatch) as typed:
        app, pilot, _invoice, frames = typed
        await pilot.press("enter", "f1")
        await frame_until(lambda: isinstance(app.screen, HelpScreen), "the help")
        # Its first frames came while frames were held and were dropped: it is painted
        # once the wait ends, the store still busy.
        await frame_until(
            lambda: any(name == "HelpScreen" for name, _rows in frames.shown), "help painted"
        )
