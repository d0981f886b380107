"""A thread's first page is read in one query, but only its newest messages, the ones that fill
the view, are mounted when it opens; the older ones of the page come in above them when the
user scrolls up (issue 15). What the user sees at 80×24: the newest message on opening, the
messages in sight staying where they are when ↑ brings the rest in, Home going on to the page's
oldest message."""

from __future__ import annotations

from textual.pilot import Pilot

from netmsg_tui.model import Message
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.message_view import MessageView
from tests.conftest import Network
from tests.tui.conftest import OpenStore, enter_first_thread
from tests.waiting import wait_until

from .conftest import SIZE, make_app

#: One page (PAGE_SIZE is 30), five times the messages 80×24 shows.
MESSAGES = 25


async def _thread_of_one_page(network: Network, open_store: OpenStore) -> NetmsgApp:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Long thread", "message 0")
    for n in range(1, MESSAGES):
        await store.reply(conv.id, f"message {n}")
    return make_app(store)


async def _open(pilot: Pilot[object]) -> ThreadScreen:
    thread = await enter_first_thread(pilot)
    await wait_until(pilot, lambda: thread._opened, "the first page")
    return thread


def _view(thread: ThreadScreen, message: Message) -> MessageView | None:
    views = thread.query(f"#message-{message.id}").results(MessageView)
    return next(views, None)


def _in_sight(thread: ThreadScreen, message: Message) -> bool:
    view = _view(thread, message)
    return (
        view is not None and bool(view.region) and thread.thread.region.contains_region(view.region)
    )


async def test_the_thread_opens_on_its_newest_message_and_home_shows_the_oldest_of_the_page(
    network: Network, open_store: OpenStore
) -> None:
    app = await _thread_of_one_page(network, open_store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await _open(pilot)
        assert len(thread.messages) == MESSAGES  # the page, read in one query
        oldest, newest = thread.messages[0], thread.messages[-1]
        await wait_until(pilot, lambda: _in_sight(thread, newest), "the newest message in sight")
        # Only what fills the view (and a few lines) is mounted when the thread opens.
        assert len(thread.query(MessageView)) < MESSAGES
        assert _view(thread, oldest) is None

        await pilot.press("home")
        await wait_until(pilot, lambda: _in_sight(thread, oldest), "the page's oldest in sight")
        shown = [view.message.id for view in thread.query(MessageView)]
        assert shown == [m.id for m in thread.messages]  # all of the page, oldest first
        assert "message 0" in str(thread.query_one(f"#message-{oldest.id}").render())


async def test_scrolling_up_brings_the_rest_of_the_page_in_without_moving_what_is_in_sight(
    network: Network, open_store: OpenStore
) -> None:
    app = await _thread_of_one_page(network, open_store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await _open(pilot)
        oldest, newest = thread.messages[0], thread.messages[-1]
        await wait_until(pilot, lambda: _in_sight(thread, newest), "the newest message in sight")
        view = _view(thread, newest)
        assert view is not None
        top = view.region.y
        thread.thread.focus()
        await pilot.press("up")  # one line up: the page's older messages go above

        def moved_one_line() -> bool:
            first = _view(thread, oldest)
            return first is not None and bool(first.region) and view.region.y == top + 1

        await wait_until(pilot, moved_one_line, "the rest of the page mounted, one line scrolled")
        assert len(thread.query(MessageView)) == MESSAGES
        await pilot.press("up", "up")
        await wait_until(pilot, lambda: view.region.y == top + 3, "two more lines scrolled")


async def test_the_rest_of_the_page_comes_when_the_terminal_grows_taller_than_it(
    network: Network, open_store: OpenStore
) -> None:
    app = await _thread_of_one_page(network, open_store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await _open(pilot)
        oldest, newest = thread.messages[0], thread.messages[-1]
        await wait_until(pilot, lambda: _in_sight(thread, newest), "the newest message in sight")
        assert _view(thread, oldest) is None
        await pilot.resize_terminal(SIZE[0], 120)  # taller than the messages mounted at 24
        await wait_until(pilot, lambda: _in_sight(thread, oldest), "the page's oldest in sight")
        assert _in_sight(thread, newest)
        assert len(thread.query(MessageView)) == MESSAGES
