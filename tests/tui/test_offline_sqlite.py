"""On a local SQLite store there is no server to lose: the header names no connection state
and a thread shows no outbox (the offline parts of the UI appear only for a network store)."""

from __future__ import annotations

from netmsg_tui.tui.widgets.header import STATE_LABELS, AppHeader
from netmsg_tui.tui.widgets.outbox_view import OutboxView
from tests.conftest import Network
from tests.tui.conftest import SIZE, make_app, ready, wait_until


async def test_sqlite_header_and_thread_have_no_connection_or_outbox(
    network: Network, open_store
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Local", "on this machine")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        header = app.screen.query_one(AppHeader)
        await wait_until(pilot, lambda: network.path.name in str(header.render()), "the header")
        assert not any(label in str(header.render()) for label, _ in STATE_LABELS.values())
        app.open_thread(conv.id)
        await wait_until(
            pilot, lambda: app.screen.query("#composer"), "the thread with its reply box"
        )
        await pilot.press("ctrl+s")  # an empty reply is refused inline, nothing queued
        assert not app.screen.query(OutboxView)
