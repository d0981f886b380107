"""The TUI straight on a postgresql:// store (no server) is woken by the database: a customer's
reply written through another store object (its own connections, as another process's would be)
shows as a toast although the app's poll interval is an hour. On SQLite the app polls."""

from __future__ import annotations

import pytest

from netmsg_tui.store.postgres import PostgresStore
from tests.conftest import Network, use_postgres
from tests.waiting import wait_until

from .conftest import SIZE, make_app, ready, toasts_into


async def test_a_reply_written_elsewhere_is_pushed_to_the_tui_on_postgresql(
    request: pytest.FixtureRequest, network: Network
) -> None:
    url = use_postgres(request, network)
    store = PostgresStore(url, user_id=network.user_a)
    other = PostgresStore(url, user_id=network.user_a2)
    try:
        conv = await other.start_conversation(network.customer_on, "Pumps", "When?")
        app = make_app(store, poll_interval=3600)  # type: ignore[arg-type]
        toasts: list[tuple[str, str]] = []
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            await other.add_customer_reply(conv.id, "Monday")
            await wait_until(
                pilot, lambda: ("Alpine Foods GmbH replied", "Pumps") in toasts, "the toast"
            )
            await wait_until(pilot, lambda: app.unread_total == 1, "the unread count")
    finally:
        await store.close()
        await other.close()
