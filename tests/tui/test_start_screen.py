"""Start-up with the first screen's data read before the app runs (tui/start.py, as ``netmsg``
does on a local file): the home screen is the first screen, with its rows, and works as the
one pushed above Textual's default screen does."""

from __future__ import annotations

from concurrent.futures import Future

from netmsg_tui.store import StoreError
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.start import StartData, read_start_aside
from tests.tui.conftest import SIZE, OpenStore, make_app, ready
from tests.waiting import wait_until


async def test_the_home_screen_is_the_first_screen(open_store: OpenStore, network) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    start = read_start_aside(store)
    start.result(timeout=30)  # in before the app asks, as while Textual is imported
    app = make_app(store, start=start)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert app.screen_stack == [screen]  # no blank default screen under it
        rows = screen.messages.list
        assert rows.option_count == len(start.result().first_page.items) > 0
        assert app.identity == start.result().identity
        await wait_until(pilot, lambda: app.home_shown, "the start finished")
        # A thread opens above it and Escape comes back to it.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back home")
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.active_tab == "documents", "the Documents tab")


async def test_without_the_data_in_time_the_app_reads_the_store(
    open_store: OpenStore, network
) -> None:
    """Not read yet (or failed): Textual's default screen first, the home screen pushed."""
    waiting: Future[StartData] = Future()
    failed: Future[StartData] = Future()
    failed.set_exception(StoreError("the file was busy"))
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    for start in (waiting, failed):
        app = make_app(store, start=start)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(pilot)
            assert isinstance(screen, MainScreen)
            assert len(app.screen_stack) == 2 and app.screen_stack[-1] is screen
            assert screen.messages.list.option_count > 0
