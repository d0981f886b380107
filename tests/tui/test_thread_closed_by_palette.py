"""A thread closed by the command palette keeps its reply box's text as a draft, as Escape does.

The text was saved only a moment after the last key (the draft keeper's timer), and a thread
the palette closed (a tab, a document, another thread) never kept it: what was typed in that
moment was lost. The timer is made longer than the test here, so only the closing can keep it."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets import outbox_drafts
from netmsg_tui.tui.widgets.composer import Composer
from tests.conftest import Network
from tests.tui.conftest import (
    SIZE,
    OpenStore,
    current_thread,
    drafts_until,
    make_app,
    ready,
    toasts_into,
)
from tests.tui.test_send_while_closing import reply_in_thread
from tests.waiting import wait_until


async def test_the_palette_closing_a_thread_keeps_what_was_just_typed(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox_drafts, "SAVE_DELAY", 3600)
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pallets", "twelve?")
    toasts: list[tuple[str, str]] = []
    app = make_app(store)
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        await ready(pilot)
        await reply_in_thread(pilot, conv.id)
        await pilot.press(*"Friday it is", "ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        palette = app.screen
        await pilot.press(*"Messages tab")
        await wait_until(
            pilot,
            lambda: str(palette.query_one(CommandList).options[0].prompt).startswith(
                "Messages tab"
            ),
            "the command first",
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "home")
        said = ("", "Draft kept: it is back when you open this thread again.")
        await wait_until(pilot, lambda: said in toasts, "told where the text is")
        await drafts_until(pilot, store, {f"thread:{conv.id}": "Friday it is"}, "the draft")
        app.open_thread(conv.id)
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        composer = thread.query_one(Composer)
        await wait_until(pilot, lambda: composer.body == "Friday it is", "the text back")
