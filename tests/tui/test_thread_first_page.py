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
from netmsg_tui.tui.widgets.message_run import MessageRun
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


def _shown(thread: ThreadScreen) -> list[int]:
    """The ids of the messages mounted in the column, top to bottom."""
    return [m.id for run in thread.query(MessageRun) for m in run.messages]


def _in_sight(thread: ThreadScreen, message: Message) -> bool:
    region = thread.thread.region_of(message.id)
    return region is not None and thread.thread.region.contains_region(region)


def _top(thread: ThreadScreen, message: Message) -> int | None:
    region = thread.thread.region_of(message.id)
    return None if region is None else region.y


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
        assert len(_shown(thread)) < MESSAGES
        assert oldest.id not in _shown(thread)

        await pilot.press("home")
        await wait_until(pilot, lambda: _in_sight(thread, oldest), "the page's oldest in sight")
        assert _shown(thread) == [m.id for m in thread.messages]  # all of the page, oldest first
        run = thread.thread.run_of(oldest.id)
        assert run is not None and "message 0" in run.plain


async def test_scrolling_up_brings_the_rest_of_the_page_in_without_moving_what_is_in_sight(
    network: Network, open_store: OpenStore
) -> None:
    app = await _thread_of_one_page(network, open_store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await _open(pilot)
        oldest, newest = thread.messages[0], thread.messages[-1]
        await wait_until(pilot, lambda: _in_sight(thread, newest), "the newest message in sight")
        top = _top(thread, newest)
        assert top is not None
        thread.thread.focus()
        await pilot.press("up")  # one line up: the page's older messages go above

        def moved_one_line() -> bool:
            return _top(thread, oldest) is not None and _top(thread, newest) == top + 1

        await wait_until(pilot, moved_one_line, "the rest of the page mounted, one line scrolled")
        assert len(_shown(thread)) == MESSAGES
        await pilot.press("up", "up")
        await wait_until(pilot, lambda: _top(thread, newest) == top + 3, "two more lines scrolled")


async def test_the_rest_of_the_page_comes_when_the_terminal_grows_taller_than_it(
    network: Network, open_store: OpenStore
) -> None:
    app = await _thread_of_one_page(network, open_store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await _open(pilot)
        oldest, newest = thread.messages[0], thread.messages[-1]
        await wait_until(pilot, lambda: _in_sight(thread, newest), "the newest message in sight")
        assert oldest.id not in _shown(thread)
        await pilot.resize_terminal(SIZE[0], 120)  # taller than the messages mounted at 24
        await wait_until(pilot, lambda: _in_sight(thread, oldest), "the page's oldest in sight")
        assert _in_sight(thread, newest)
        assert len(_shown(thread)) == MESSAGES
