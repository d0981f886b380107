"""Bytes over ssh (issue 15): a screen hidden under a thread sends nothing to the terminal, and
a focus change repaints what changed, not the whole screen.

Textual hands the repaints of the screen below to the screen on top even when that one is
opaque: keeping a reply draft rebuilt the home screen's list under the thread and repainted the
whole terminal twice (~10 KB for a pause in typing; bench/terminal_bytes.py). What the terminal
is sent is watched at Textual's App._display (a headless run computes it, then drops it).
"""

from __future__ import annotations

from typing import Any

from textual._compositor import ChopsUpdate, LayoutUpdate

from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets.conversation_list import ConversationList
from netmsg_tui.tui.widgets.thread_messages import ThreadMessages
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, make_app, ready
from tests.tui.test_offline_sqlite import open_thread
from tests.waiting import wait_until


def watch_display(app: Any) -> list[object]:
    """The updates the app sends to the terminal from now on (whole-screen ones are
    LayoutUpdate)."""
    sent: list[object] = []
    display = app._display

    def recording(screen: object, update: object) -> None:
        sent.append(update)
        display(screen, update)

    app._display = recording
    return sent


def whole_screens(sent: list[object]) -> int:
    return sum(isinstance(update, LayoutUpdate) for update in sent)


async def test_a_draft_kept_under_a_thread_repaints_nothing_until_the_list_shows_again(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Crates", "how many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        home = await ready(pilot)
        rows = home.query_one(ConversationList)
        composer = await open_thread(pilot, conv.id)
        thread = app.screen
        composer.text_area.focus()
        await thread.wait_for_refresh()
        sent = watch_display(app)
        await pilot.press("h")
        await wait_until(pilot, lambda: f"thread:{conv.id}" in app.draft_places, "draft kept")
        await wait_until(pilot, lambda: "Draft" in str(rows.get_option_at_index(0).prompt), "")
        await home.wait_for_refresh()
        await thread.wait_for_refresh()
        await pilot.pause()
        assert sent, "the typed character was not painted"
        assert whole_screens(sent) == 0, "the thread was repainted for the hidden list"

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the home screen")
        await home.wait_for_refresh()
        await pilot.pause()
        assert whole_screens(sent) >= 1, "the home screen did not repaint on its return"


def rows_painted(sent: list[object]) -> set[int]:
    return {y for update in sent if isinstance(update, ChopsUpdate) for y, _, _ in update.spans}


async def test_r_repaints_the_reply_box_and_what_lost_focus_not_the_whole_screen(
    network: Network, open_store: OpenStore
) -> None:
    """A focus change repaints the widget that got focus and the one that lost it (their
    looks change), not the whole screen (Textual's Screen.focused repaints all: ~1.3 KB
    more over ssh for every `r`, Tab or Escape)."""
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Crates", "how many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        composer = await open_thread(pilot, conv.id)
        box = composer.text_area
        thread = app.screen
        thread.set_focus(thread.query_one(ThreadMessages))
        await thread.wait_for_refresh()
        await pilot.pause()
        sent = watch_display(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: box.has_focus, "the reply box focused")
        await thread.wait_for_refresh()
        await pilot.pause()
        assert whole_screens(sent) == 0, "a focus change repainted the whole screen"
        box_rows = set(range(box.region.y, box.region.bottom))
        assert box_rows <= rows_painted(sent), "the reply box's focus was not painted"
