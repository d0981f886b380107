"""Drafts on a SQLite store (issue 14, item 2): the new-conversation composer's draft (customer,
subject, body) survives ``ctrl+q`` → keep and a restart; a thread with a kept draft is marked in
the list; ctrl+r discards a draft after asking; ``ctrl+q`` → discard forgets it."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.unsent_text import DiscardDraftQuestion, UnsentTextQuestion
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.widgets.conversation_list import DRAFT_MARK
from tests.conftest import Network
from tests.tui.conftest import (
    SIZE,
    OpenStore,
    drafts_until,
    make_app,
    new_conversation_to_alpine,
    ready,
    screen_text,
)
from tests.tui.test_offline_sqlite import open_thread
from tests.waiting import wait_until


async def quit_and_answer(pilot: Pilot[object], key: str) -> None:
    app = pilot.app
    await pilot.press("ctrl+q")
    await wait_until(pilot, lambda: isinstance(app.screen, UnsentTextQuestion), "the question")
    text = screen_text(app.screen)
    for answer in ("Send it", "Keep as draft", "Discard it", "unsent text"):
        assert answer in text
    await pilot.press(key)
    await wait_until(pilot, lambda: app._exit, "the app quitting")


async def test_new_conversation_draft_kept_on_quit_is_back_after_a_restart(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_conversation_to_alpine(pilot)
        await pilot.press(*"Pallets", "tab")
        await pilot.press(*"three more, please")
        await quit_and_answer(pilot, "k")
    assert app.return_code == 0
    drafts = await store.drafts()
    assert drafts["new"]["subject"] == "Pallets"
    assert drafts["new"]["body"] == "three more, please"
    assert drafts["new"]["customer_id"] == network.customer_on
    await store.close()

    store = open_store(network.user_a)  # the restarted app's store
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await wait_until(pilot, lambda: screen.composer.body, "the draft back")
        await wait_until(pilot, lambda: screen.customer is not None, "the customer back")
        text = screen_text(screen)
        assert "Alpine Foods GmbH" in text
        assert screen.query_one("#subject", Input).value == "Pallets"
        assert screen.composer.body == "three more, please"
        # Sent: the draft is forgotten.
        screen.composer.text_area.focus()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ComposeScreen), "sent")
        await drafts_until(pilot, store, {}, "the draft forgotten once sent")
    page = await store.list_conversations()
    assert [c.subject for c in page.items] == ["Pallets"]


async def test_a_thread_with_a_draft_is_marked_and_ctrl_r_discards_it_after_asking(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Crates", "how many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert DRAFT_MARK not in screen_text(screen.messages.list)
        composer = await open_thread(pilot, conv.id)
        composer.text_area.focus()
        await pilot.press(*"twelve")
        await drafts_until(pilot, store, {f"thread:{conv.id}": "twelve"}, "the draft kept")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the list")
        lst = screen.messages.list
        await wait_until(pilot, lambda: DRAFT_MARK in str(lst.get_option_at_index(0).prompt), "✎")

        composer = await open_thread(pilot, conv.id)
        await wait_until(pilot, lambda: composer.body == "twelve", "the draft in the box")
        composer.text_area.focus()
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, DiscardDraftQuestion), "asked")
        await pilot.press("escape")  # changed my mind: nothing lost
        await wait_until(pilot, lambda: not isinstance(app.screen, DiscardDraftQuestion), "kept")
        assert composer.body == "twelve"
        assert f"thread:{conv.id}" in await store.drafts()
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, DiscardDraftQuestion), "asked")
        await pilot.press("d")
        await drafts_until(pilot, store, {}, "the draft discarded")
        assert composer.body == ""
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the list")
        await wait_until(pilot, lambda: DRAFT_MARK not in screen_text(lst), "no mark")


async def test_ctrl_q_discard_forgets_the_text_and_quit_without_text_does_not_ask(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_conversation_to_alpine(pilot)
        await pilot.press(*"Gone soon")
        await quit_and_answer(pilot, "d")
    assert await store.drafts() == {}

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+q")  # nothing typed: quits at once
        await wait_until(pilot, lambda: app._exit, "the app quitting")
        assert not isinstance(app.screen, UnsentTextQuestion)
    assert isinstance(app, NetmsgApp)
