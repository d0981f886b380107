"""The supplier sees in the thread whether the customer has read it (issue 17): the customer API
records a contact's read; the thread shows it under the header, and says so when a newer message
of ours has not been read yet."""

from __future__ import annotations

from textual.widgets import Static

from netmsg_tui.store import open_network
from netmsg_tui.tui.screens.thread import ThreadScreen
from tests.conftest import Network
from tests.tui.conftest import OpenStore
from tests.waiting import wait_until

from .conftest import SIZE, make_app, ready


async def test_the_thread_says_when_the_customer_read_it(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pumps", "Ready by Friday?")
    customer_side = open_network(network.path)
    try:
        xavier = await customer_side.create_customer_contact(
            network.customer_on, "Xavier [b]X[/b]", "xavier@buyer.example"
        )
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)

            def read_line() -> str:
                thread = app.screen
                assert isinstance(thread, ThreadScreen)
                found = thread.query("#thread-read").results(Static)
                line = next(found, None)  # None while the screen is still being built
                return str(line.render()) if line is not None and line.display else ""

            app.open_thread(conv.id)
            await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
            await wait_until(pilot, lambda: "Not yet read" in read_line(), "not read yet")

            await customer_side.customer_mark_read(xavier.id, conv.id)
            await store.reply(conv.id, "Or Monday?")  # a change: the thread looks again
            await wait_until(pilot, lambda: "earlier message" in read_line(), "an older read")
            assert "Xavier [b]X[/b]" in read_line()  # a name is text, never markup

            await customer_side.customer_mark_read(xavier.id, conv.id)
            await store.reply(conv.id, "Or Tuesday?")
            await customer_side.customer_mark_read(xavier.id, conv.id)
            await wait_until(pilot, lambda: "Read by the customer ·" in read_line(), "read")
            assert "✓" in read_line()
    finally:
        await customer_side.close()
