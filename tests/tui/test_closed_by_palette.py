"""A thread or New conversation closed by the command palette keeps its text as a draft, as
Escape does.

The text was saved only a moment after the last key (the draft keeper's timer), and a screen
the palette closed (a tab, a document, another thread) never kept it: what was typed in that
moment was lost. The timer is made longer than the test here, so only the closing can keep it."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

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
    new_conversation_to_alpine,
    ready,
    toasts_into,
)
from tests.tui.test_send_while_closing import reply_in_thread
from tests.waiting import wait_until


@pytest.fixture(autouse=True)
def no_save_while_typing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox_drafts, "SAVE_DELAY", 3600)


async def messages_tab_from_the_palette(pilot: Pilot[object]) -> None:
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    palette = app.screen
    await pilot.press(*"Messages tab")
    await wait_until(
        pilot,
        lambda: str(palette.query_one(CommandList).options[0].prompt).startswith("Messages tab"),
        "the command first",
    )
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "home")


async def test_the_palette_closing_a_thread_keeps_what_was_just_typed(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pallets", "twelve?")
    toasts: list[tuple[str, str]] = []
    app = make_app(store)
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        await ready(pilot)
        await reply_in_thread(pilot, conv.id)
        await pilot.press(*"Friday it is")
        await messages_tab_from_the_palette(pilot)
        said = ("", "Draft kept: it is back when you open this thread again.")
        await wait_until(pilot, lambda: said in toasts, "told where the text is")
        await drafts_until(pilot, store, {f"thread:{conv.id}": "Friday it is"}, "the draft")
        app.open_thread(conv.id)
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        composer = thread.query_one(Composer)
        await wait_until(pilot, lambda: composer.body == "Friday it is", "the text back")


async def test_the_palette_closing_new_conversation_keeps_what_was_just_typed(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    toasts: list[tuple[str, str]] = []
    app = make_app(store)
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        await ready(pilot)
        await new_conversation_to_alpine(pilot)
        await pilot.press(*"Pallets", "tab", *"twelve on Friday")
        await messages_tab_from_the_palette(pilot)
        said = ("", "Draft kept: it is back when you return here.")
        await wait_until(pilot, lambda: said in toasts, "told where the text is")
        await drafts_until(pilot, store, {"new": "twelve on Friday"}, "the draft")
        assert (await store.drafts())["new"]["subject"] == "Pallets"
