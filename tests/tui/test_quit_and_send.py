"""ctrl+q with a new conversation typed, answered "Send it": the message is stored and the app
ends with status 0. The composer used to open the new thread while the app was exiting; the
thread's widgets mounting into an app being torn down failed the exit (status 1, a traceback
on the terminal: seen over ``ssh -t``)."""

from __future__ import annotations

import sqlite3

from netmsg_tui.tui.dialogs.unsent_text import UnsentTextQuestion
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, make_app, new_conversation_to_alpine, ready
from tests.tui.test_drafts_durable import quit_and_answer
from tests.waiting import wait_until


async def test_ctrl_q_send_it_stores_the_message_and_exits_cleanly(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_conversation_to_alpine(pilot)
        await pilot.press(*"Pallets", "tab", *"twelve on Friday")
        await quit_and_answer(pilot, "s")
    assert app.return_code == 0
    page = await store.list_conversations()
    assert [(c.subject, c.customer_id) for c in page.items] == [("Pallets", network.customer_on)]
    messages = await store.list_messages(page.items[0].id)
    assert [m.body for m in messages.items] == ["twelve on Friday"]


async def test_ctrl_q_typed_right_after_ctrl_s_quits_once_the_message_is_stored(
    network: Network, open_store: OpenStore
) -> None:
    """ctrl+s ctrl+q in one burst: the text is being sent, not unsent. The ctrl+q found it
    still in the form and asked about unsent text; the send then switched that question away
    and the app never ended (a pty test timed out waiting for it to exit, on a loaded machine).

    The store is made slow for real: another program holds the database's write lock until
    both keys are typed, so the send is still waiting when ctrl+q arrives."""
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_conversation_to_alpine(pilot)
        await pilot.press(*"Pallets", "tab", *"twelve on Friday")
        other = sqlite3.connect(network.path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another program writing
            await pilot.press("ctrl+s", "ctrl+q")
            assert not isinstance(app.screen, UnsentTextQuestion)
        finally:
            other.execute("ROLLBACK")
            other.close()
        await wait_until(pilot, lambda: app._exit, "the app quitting")
    assert app.return_code == 0
    page = await store.list_conversations()
    assert [(c.subject, c.customer_id) for c in page.items] == [("Pallets", network.customer_on)]
