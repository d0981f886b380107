"""A reply refused because the customer turned messaging off meanwhile: the reply box gives way
to the customer's contact card, and its text is kept as the thread's draft (it was simply
gone: no draft, no word of it), back in the box once the customer accepts messages again.
The draft keeper's timer is made longer than the test, so only the refusal can keep it."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from netmsg_tui.store.sqlite import admin
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets import outbox_drafts
from netmsg_tui.tui.widgets.line_text_area import LineTextArea
from netmsg_tui.tui.widgets.notices import ContactCard
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, drafts_until, make_app, ready, toasts_into
from tests.tui.test_send_while_closing import reply_in_thread
from tests.waiting import wait_until


@pytest.fixture(autouse=True)
def no_save_while_typing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox_drafts, "SAVE_DELAY", 3600)


def set_messaging(network: Network, enabled: bool) -> None:
    conn = admin.connect(network.path)
    try:
        admin.set_messaging(conn, network.customer_on, enabled)
    finally:
        conn.close()


async def test_a_reply_refused_as_messaging_was_turned_off_is_the_threads_draft(
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
        set_messaging(network, False)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen.query(ContactCard), "the contact card")
        said = (
            "",
            "Not sent: the customer does not accept messages now. Your text is kept as this "
            "thread's draft.",
        )
        await wait_until(pilot, lambda: said in toasts, "told where the text is")
        await drafts_until(pilot, store, {f"thread:{conv.id}": "Friday it is"}, "the draft")
        assert [m.body for m in (await store.list_messages(conv.id)).items] == ["twelve?"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "home")
        set_messaging(network, True)
        composer = await reply_in_thread(pilot, conv.id)
        await wait_until(pilot, lambda: composer.body == "Friday it is", "the text back")


async def test_the_reply_box_drawn_once_more_after_it_was_removed_draws_blank() -> None:
    """Textual may draw a removed widget once more (the screen's map not laid out again yet):
    the reply box's text area, removed for the contact card, then raised KeyError (its
    component styles gone) and the app ended: seen once in this file's test above."""

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield LineTextArea("Friday it is")

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        area = app.query_one(LineTextArea)
        await area.remove()
        await pilot.pause()
        lines = area.render_lines(Region(0, 0, 20, 2))
        assert [line.text for line in lines] == [" " * 20] * 2
