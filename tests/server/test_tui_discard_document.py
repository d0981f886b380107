"""A failed New conversation about a document, discarded in the outbox (`x`), stays linked to
that document: its text becomes the draft of the document's composer (or of the document's
thread, if the document has one by now), where the document's Messages panel (`m`) leads.
It became the draft of a context-free New conversation: the link was lost, and the text was
not there when the user went back to the document.

The failed send is made for real, as in test_tui_discard_failed.py: written while nobody
listened, then refused by the real server (the customer's messaging off for that moment)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from netmsg_tui.store import QueuedOffline
from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen
from netmsg_tui.tui.widgets.composer import Composer
from tests.tui.conftest import current_thread
from tests.waiting import wait_until

from .conftest import Tenants
from .test_tui_discard_failed import discard_in_the_outbox, nobody_listening, outbox_app
from .test_tui_remote import set_messaging

SUBJECT = "Pump 4500012345"
TEXT = "Delivery moves to Friday"


async def failed_start_about_the_order(tenants: Tenants, outbox: Path) -> None:
    """A New conversation about purchase order po_a that the server refused: failed, in
    ``outbox``."""
    network = tenants.network
    with nobody_listening() as url:
        offline = RemoteStore(url, tenants.supplier_a, outbox_path=outbox)
        with pytest.raises(QueuedOffline):
            await offline.start_conversation(
                network.customer_on, SUBJECT, TEXT, document_id=network.po_a
            )
        await offline.close()
    set_messaging(network, network.customer_on, False)
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=outbox)
    try:
        assert await store.flush_sends() == 0
        [entry] = [e for e in await store.queued_sends() if e.kind == "start"]
        assert (entry.state, entry.document_id) == ("failed", network.po_a)
    finally:
        await store.close()
        set_messaging(network, network.customer_on, True)


async def messages_of_the_order(pilot: Pilot[object], tenants: Tenants) -> None:
    """Open purchase order po_a and press `m` on its Messages panel once it is loaded."""
    app = pilot.app
    assert isinstance(app, NetmsgApp)
    app.open_document(tenants.network.po_a)
    await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
    document = app.screen
    assert isinstance(document, DocumentScreen)
    await wait_until(pilot, lambda: document.document is not None, "the document loaded")
    await pilot.press("m")


async def test_a_failed_new_conversation_about_a_document_is_discarded_into_its_composer(
    tenants: Tenants, tmp_path: Path
) -> None:
    toasts: list[tuple[str, str]] = []
    outbox = tmp_path / "o.db"
    place = f"document:{tenants.network.po_a}"
    await failed_start_about_the_order(tenants, outbox)
    async with outbox_app(tenants, outbox, toasts) as (app, store, pilot):
        said = "Discarded. The text is the draft of the message about its document now."
        await discard_in_the_outbox(pilot, toasts, said)
        drafts = await store.drafts()
        assert "new" not in drafts
        assert (drafts[place]["body"], drafts[place]["subject"]) == (TEXT, SUBJECT)
        assert [e for e in await store.queued_sends() if e.kind == "start"] == []
        await pilot.press("escape")
        await messages_of_the_order(pilot, tenants)
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "composer")
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        composer = compose.query_one(Composer)
        await wait_until(pilot, lambda: composer.body == TEXT, "the text in its composer")
        assert compose.query_one("#subject", Input).value == SUBJECT
        assert compose.document is not None and compose.document.id == tenants.network.po_a


async def test_a_failed_new_conversation_about_a_document_with_a_thread_by_now_is_its_draft(
    tenants: Tenants, tmp_path: Path
) -> None:
    """The document got its thread meanwhile (a colleague wrote about it): the Messages panel
    opens that thread, so the text becomes that thread's draft, back in its reply box."""
    toasts: list[tuple[str, str]] = []
    outbox = tmp_path / "o.db"
    network = tenants.network
    await failed_start_about_the_order(tenants, outbox)
    colleague = SQLiteStore(network.path, user_id=network.user_a2)
    try:
        thread_id = (
            await colleague.start_conversation(
                network.customer_on, "About the pump", "Asking too.", document_id=network.po_a
            )
        ).id
    finally:
        await colleague.close()
    async with outbox_app(tenants, outbox, toasts) as (app, store, pilot):
        said = "Discarded. The text is the draft of its document's thread now."
        await discard_in_the_outbox(pilot, toasts, said)
        drafts = await store.drafts()
        assert "new" not in drafts
        assert drafts[f"thread:{thread_id}"]["body"] == TEXT
        await pilot.press("escape")
        await messages_of_the_order(pilot, tenants)
        thread = await current_thread(pilot)
        assert thread.conversation_id == thread_id
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        composer = thread.query_one(Composer)
        await wait_until(pilot, lambda: composer.body == TEXT, "the text in the reply box")
