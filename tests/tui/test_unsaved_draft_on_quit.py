"""A draft the store could not keep is asked about when the app quits.

Closing a thread keeps its text as a draft: in the app at once, in the store a moment later.
When the store refuses (here: another program holds the database's write lock for longer than
the store waits), a toast says so and the text lives only in the app; ctrl+q then quit without
asking, and the text was gone. The draft keeper's timer is made longer than the test, so only
the closing saves."""

from __future__ import annotations

import pytest

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.dialogs.unsent_text import UnsentTextQuestion
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets import outbox_drafts
from tests.conftest import Network
from tests.tui.conftest import SIZE, make_app, ready, toasts_into
from tests.tui.test_send_while_closing import reply_in_thread, write_locked
from tests.waiting import wait_until


@pytest.fixture(autouse=True)
def no_save_while_typing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox_drafts, "SAVE_DELAY", 3600)


async def test_ctrl_q_asks_about_a_draft_the_store_could_not_keep(network: Network) -> None:
    store = SQLiteStore(network.path, user_id=network.user_a, busy_timeout=0.2)
    try:
        conv = await store.start_conversation(network.customer_on, "Pallets", "twelve?")
        toasts: list[tuple[str, str]] = []
        app = make_app(store)
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            await reply_in_thread(pilot, conv.id)
            await pilot.press(*"Friday it is")
            with write_locked(network.path):
                await pilot.press("escape")
                await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "home")
                await wait_until(
                    pilot,
                    lambda: any(m.startswith("Could not keep the draft") for _, m in toasts),
                    "the store's refusal said",
                )
            await pilot.press("ctrl+q")
            await wait_until(
                pilot, lambda: isinstance(app.screen, UnsentTextQuestion), "the question"
            )
            await pilot.press("k")
            await wait_until(pilot, lambda: app._exit, "the app quitting")
            drafts = await store.drafts()
            assert drafts[f"thread:{conv.id}"]["body"] == "Friday it is"
    finally:
        await store.close()
