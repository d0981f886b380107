"""A supplier sees the delivery trail of its own messages too (a local SQLite store): `t` in a
thread, listed in F1 (the key bar is full there), and the inbound mail log with `i`."""

from __future__ import annotations

from textual.widgets import Static

from netmsg_tui.tui.dialogs.help import HelpScreen
from netmsg_tui.tui.screens.mail_log import MailLogScreen
from netmsg_tui.tui.screens.trail import TrailScreen
from tests.conftest import Network
from tests.tui.conftest import OpenStore, current_thread
from tests.waiting import wait_until

from .conftest import SIZE, make_app, ready


async def test_a_supplier_sees_the_trail_of_its_own_messages(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(
        network.customer_on, "Delivery date", "When do you need them?", idempotency_key="k-42"
    )
    reply = await network.customer_reply(conv.id, "By Friday")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_thread(conv.id)
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread._opened, "the thread opened")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("t", "Trail", "trail") in help_screen.rows
        assert any(row[1] == "Send" for row in help_screen.rows)  # a supplier still writes
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is thread, "help closed")

        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen), "the trail")
        trail = app.screen
        assert isinstance(trail, TrailScreen)
        await wait_until(pilot, lambda: trail.trail is not None, "the customer's reply's trail")
        assert trail.target == reply.id
        await pilot.press("left")
        await wait_until(pilot, lambda: trail.target != reply.id, "the first message")
        await wait_until(pilot, lambda: trail.trail is not None, "its trail")
        text = str(trail.query_one("#trail", Static).render())
        assert "Jana Supplier" in text and "(supplier)" in text
        assert "typed" in text
        assert "k-42" in text
        assert "Customer read" in text and "not yet" in text
        await pilot.press("escape", "i")
        await wait_until(pilot, lambda: isinstance(app.screen, MailLogScreen), "the mail log")
        log = app.screen
        assert isinstance(log, MailLogScreen)
        await wait_until(pilot, lambda: log.loaded, "the mail log read")
        assert log.entries == []
        assert "No emailed replies" in str(log.query_one("#mail-log-status", Static).render())
