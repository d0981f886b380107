"""The outbox names the document a New conversation is about (it said only the subject and the
customer's id, and a subject the user changed no longer told which document it was).

Queued for real: written in the document's composer (its Messages panel, `m`) after the server
process was killed; and refused by the real server in an earlier run (the outbox then asks the
server, which answers again)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.queued_sends import QueuedSendsScreen
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.outbox_view import OutboxView
from tests.conftest import Network
from tests.tui.conftest import SIZE, ready, toasts_into
from tests.waiting import wait_until

from .conftest import ServerProcess, Tenants, issue
from .test_tui_discard_document import failed_start_about_the_order
from .test_tui_remote import text_of

ORDER = "Purchase order 4500012345"


async def outbox_line(pilot: Pilot[object], app: NetmsgApp) -> str:
    """Open the outbox; the text of its one entry once shown."""
    app.show_queued_sends()
    await wait_until(pilot, lambda: isinstance(app.screen, QueuedSendsScreen), "the outbox")
    outbox = app.screen
    await wait_until(pilot, lambda: outbox.query(OutboxView), "the queued entry")
    [view] = outbox.query(OutboxView)
    return text_of(view)


async def test_a_new_conversation_queued_from_a_document_names_it_in_the_outbox(
    network: Network, server_process: ServerProcess, tmp_path: Path
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    server = server_process
    store = RemoteStore(server.start(), token, outbox_path=tmp_path / "o.db")
    toasts: list[tuple[str, str]] = []
    app = NetmsgApp(store, poll_interval=0.2)
    try:
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            app.open_document(network.po_a)
            await wait_until(pilot, lambda: app.screen.query("#document-summary"), "document")
            await wait_until(pilot, lambda: getattr(app.screen, "document", None), "loaded")
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "composer")
            compose = app.screen
            assert isinstance(compose, ComposeScreen) and compose.document is not None
            await wait_until(pilot, lambda: compose.customer is not None, "the customer")
            server.kill()
            await wait_until(pilot, lambda: store.connection_state == "offline", "offline", 30)
            subject = compose.query_one("#subject", Input)
            subject.value = ""  # a subject of the user's own: it does not name the order
            subject.focus()
            await pilot.press(*"Pump delivery")
            compose.query_one(Composer).text_area.focus()
            await pilot.press(*"Friday then")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Queued" in dict(toasts), "the queued toast")
            await wait_until(pilot, lambda: not isinstance(app.screen, ComposeScreen), "closed")

            text = await outbox_line(pilot, app)
            assert f"New conversation “Pump delivery” about {ORDER} (customer #" in text
            assert "Friday then" in text
    finally:
        await store.close()


async def test_a_refused_new_conversation_from_an_earlier_run_names_its_document(
    tenants: Tenants, tmp_path: Path
) -> None:
    outbox = tmp_path / "o.db"
    await failed_start_about_the_order(tenants, outbox)  # subject "Pump 4500012345"
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=outbox)
    app = NetmsgApp(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            text = await outbox_line(pilot, app)
            assert f"New conversation “Pump 4500012345” about {ORDER} (customer #" in text
    finally:
        await store.close()
