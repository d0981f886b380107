"""Nothing lost, nothing sent twice: a New conversation on its way when its screen closes.

As for a reply (test_send_while_closing.py): another program holds the database's write lock
from before ctrl+s; the keys typed after Send wait for the send no longer than the key gate's
MAX_HOLD (made short here), so Escape closes the screen while the message waits on the store.
The closing screen used to keep the text as the New conversation draft although the store then
stored the message: the next New conversation offered it to be sent a second time."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui import key_gate
from netmsg_tui.tui.screens.compose import DELIVERY_GROUP, ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from tests.conftest import Network
from tests.tui.conftest import (
    SIZE,
    OpenStore,
    make_app,
    new_conversation_to_alpine,
    ready,
    toasts_into,
)
from tests.tui.test_send_while_closing import write_locked
from tests.waiting import wait_until


@pytest.fixture(autouse=True)
def short_key_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_gate, "MAX_HOLD", 0.3)


async def sent_and_left(pilot: Pilot[object]) -> None:
    """ctrl+s and Escape (the caller holds the write lock); returns once home again."""
    await pilot.press("ctrl+s", "escape")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MainScreen), "back home")


async def test_a_new_conversation_sent_as_its_screen_closes_is_sent_once_and_no_draft(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_conversation_to_alpine(pilot)
        await pilot.press(*"Pallets", "tab", *"twelve on Friday")
        with write_locked(network.path):
            await sent_and_left(pilot)
        delivery = [w for w in app.workers if w.group == DELIVERY_GROUP]
        assert delivery, "the message on its way as the screen closed"
        await delivery[0].wait()
        await pilot.pause()
        subjects = [c.subject for c in (await store.list_conversations()).items]
        assert subjects == ["Pallets"]
        assert "new" not in await store.drafts()
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await pilot.pause()
        assert screen.composer.body == ""  # nothing offered to be sent again


async def test_a_new_conversation_refused_after_its_screen_closed_is_the_draft(
    network: Network,
) -> None:
    # The store waits less for the lock than the lock is held: it gives up.
    store = SQLiteStore(network.path, user_id=network.user_a, busy_timeout=1.0)
    try:
        toasts: list[tuple[str, str]] = []
        app = make_app(store)
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            await new_conversation_to_alpine(pilot)
            await pilot.press(*"Pallets", "tab", *"twelve on Friday")
            with write_locked(network.path):
                await sent_and_left(pilot)
                await wait_until(pilot, lambda: "new" in app.drafts, "the text kept")
            await wait_until(
                pilot,
                lambda: any(m.startswith("Not sent: ") for _, m in toasts),
                "told where the text is",
            )
            assert not (await store.list_conversations()).items
            assert (await store.drafts())["new"]["body"] == "twelve on Friday"
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "composer")
            screen = app.screen
            assert isinstance(screen, ComposeScreen)
            await wait_until(
                pilot, lambda: screen.composer.body == "twelve on Friday", "the text back"
            )
    finally:
        await store.close()


async def test_quitting_as_a_new_conversation_is_stored_waits_for_it_and_quits(
    network: Network, open_store: OpenStore
) -> None:
    """ctrl+s, then ctrl+q once the key gate lets it through: the app waits for the message,
    which is stored once, and quits without asking (the text is sent). It used to ask about
    the text still in the form, then switch the new thread in over the question: the app
    never quit."""
    store = open_store(network.user_a)
    toasts: list[tuple[str, str]] = []
    app = make_app(store)
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        await ready(pilot)
        await new_conversation_to_alpine(pilot)
        await pilot.press(*"Pallets", "tab", *"twelve on Friday")
        with write_locked(network.path):
            await pilot.press("ctrl+s", "ctrl+q")
            said = ("", "Quitting once the message on its way is stored…")
            await wait_until(pilot, lambda: said in toasts, "the app waiting for it")
        await wait_until(pilot, lambda: app._exit, "the app quitting")
        subjects = [c.subject for c in (await store.list_conversations()).items]
        assert subjects == ["Pallets"]
        assert "new" not in await store.drafts()
