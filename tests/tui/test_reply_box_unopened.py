"""A thread's reply box is drawn, not built, until it is used (issue 15: Textual's TextArea was a
fifth of opening a thread): no TextArea when the thread opens, and every way into the box (Tab,
a click, `r`, a paste) reaches a real one with every key and character, in order."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.unopened_body import UnopenedBody
from tests.conftest import Network
from tests.tui.conftest import OpenStore, enter_first_thread
from tests.waiting import wait_until

from .conftest import SIZE, make_app
from .test_type_ahead import bodies, keys


async def opened_unused(pilot: object, thread: ThreadScreen) -> Composer:
    """The thread's first page shown, its reply box unopened: no TextArea in it."""
    await wait_until(pilot, lambda: thread._opened and thread.query(Composer), "the reply box")
    assert thread.query(UnopenedBody) and not thread.query(TextArea)
    return thread.query_one(Composer)


async def test_tab_then_typing_at_once_fills_the_box(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pallets", "How many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        composer = await opened_unused(pilot, thread)
        # From the messages, Tab reaches the box; the keys after it go in, none lost.
        await pilot.press("tab", *keys("twelve, thanks"), "ctrl+s")
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the reply shown")
        assert await bodies(store, conv.id) == ["How many?", "twelve, thanks"]
        assert app.focused is composer.text_area
        assert not thread.query(UnopenedBody)


async def test_r_then_typing_at_once_fills_the_box(network: Network, open_store: OpenStore) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        composer = await opened_unused(pilot, thread)
        await pilot.press("r", *keys("abc"), "left", "X")
        await wait_until(pilot, lambda: composer.body == "abXc", "the keys in order")


async def test_a_click_on_the_drawn_box_puts_the_cursor_in_the_real_one(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        composer = await opened_unused(pilot, thread)
        await pilot.click(UnopenedBody)
        await pilot.press(*keys("ten"))
        await wait_until(pilot, lambda: composer.body == "ten", "the keys in the box")
        assert isinstance(app.focused, TextArea)


async def test_a_paste_that_reaches_the_drawn_box_goes_into_the_real_one(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        composer = await opened_unused(pilot, thread)
        # A paste the terminal sent as the focus arrived: queued to the drawn box.
        thread.query_one(UnopenedBody).post_message(events.Paste("pasted\x1b[31m text"))
        await wait_until(pilot, lambda: composer.body == "pasted␛[31m text", "the paste")
        assert isinstance(app.focused, TextArea)


async def test_a_thread_with_a_draft_opens_with_the_real_box(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await opened_unused(pilot, thread)
        await pilot.press("r", *keys("draft"), "escape", "enter")  # kept, and opened again
        again = await wait_until_new_thread(pilot, thread)
        await wait_until(pilot, lambda: again._opened, "the thread again")
        composer = again.query_one(Composer)
        assert composer.body == "draft" and not again.query(UnopenedBody)
        assert app.focused is composer.text_area


async def wait_until_new_thread(pilot: object, old: ThreadScreen) -> ThreadScreen:
    app = pilot.app  # type: ignore[attr-defined]
    await wait_until(
        pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen is not old, "reopened"
    )
    screen = app.screen
    assert isinstance(screen, ThreadScreen)
    return screen
