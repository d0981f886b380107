"""The Documents tab and a document's Messages panel, driven by keys at 80×24."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen, MessagesPanel
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets import documents_pane
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.notices import ContactCard
from tests.conftest import Network
from tests.tui.conftest import OpenStore, current_thread
from tests.waiting import wait_until

from .conftest import SIZE, make_app, ready, screen_text


async def open_document(pilot: Pilot[int], number: str) -> DocumentScreen:
    """From the Messages tab: 2, search the number, Enter on the row."""
    app = pilot.app
    main = await ready(pilot)
    await pilot.press("2")
    table = main.documents.table
    await wait_until(pilot, lambda: table.row_count > 0, "the documents")
    await pilot.press("slash", *number, "enter")
    await wait_until(
        pilot,
        lambda: table.row_count == 1 and main.documents.documents[0].number == number,
        f"document {number} found",
    )
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
    screen = app.screen
    assert isinstance(screen, DocumentScreen)
    await wait_until(pilot, lambda: screen.document is not None, "the document loaded")
    return screen


def panel_text(screen: DocumentScreen) -> str:
    return str(screen.query_one(MessagesPanel).render())


async def test_message_from_a_purchase_order_links_one_thread(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        document = await open_document(pilot, "4500012345")
        assert "No messages about this document yet" in panel_text(document)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        compose = app.screen
        await wait_until(pilot, lambda: compose.customer is not None, "To filled")
        assert compose.query_one("#subject", Input).value == "Purchase order 4500012345"
        assert not compose.query("#pick")  # To is fixed to the document's customer
        assert isinstance(app.focused, TextArea)  # subject is prefilled: the message is next
        await pilot.press(*"Ships late: Friday.", "ctrl+s")
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread.conversation is not None, "the thread header")
        assert "4500012345" in screen_text(thread)

        linked = await store.document_thread(network.po_a)
        assert linked is not None and linked.message_count == 1

        await pilot.press("escape")  # back to the document: the panel shows the thread
        await wait_until(pilot, lambda: app.screen is document, "the document again")
        await wait_until(pilot, lambda: "1 message" in panel_text(document), "the panel")
        assert "Ships late" in panel_text(document)
        await pilot.press("m")
        thread = await current_thread(pilot, "the thread again")
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        assert thread.conversation_id == linked.id
        await pilot.press("tab", *"Tracking number follows.", "ctrl+s")
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the second message")
        # While the app runs: after it closed, a send it cancelled would pass too.
        again = await store.document_thread(network.po_a)
        assert again is not None and again.id == linked.id and again.message_count == 2
        threads = await store.list_conversations(document_id=network.po_a)
        assert len(threads.items) == 1


async def test_thread_shows_document_number_and_jumps_to_it(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(
        network.customer_on, "Purchase order 4500012345", "Late?", document_id=network.po_a
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        lst = main.messages.list
        assert "4500012345" in str(lst.get_option_at_index(0).prompt)
        await pilot.press("enter")
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread.conversation is not None, "the header")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
        document = app.screen
        assert document.document_id == network.po_a
        await wait_until(pilot, lambda: document.document is not None, "loaded")
        assert "Hydraulic pump" in str(document.query_one("#line-items").get_row_at(0))
        await pilot.press("m")  # and back to the thread: the stack does not grow
        again = await current_thread(pilot)
        # Opened from the document to write: the cursor is in the reply box.
        composer = again.reply_box.composer
        assert composer is not None
        await wait_until(pilot, lambda: app.focused is composer.text_area, "the reply box")
        again.thread.focus()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "document")
        assert len(app.screen_stack) == 4  # default, main, thread, document


async def test_invoice_of_a_customer_without_messaging_shows_contact_card(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        document = await open_document(pilot, "INV-2026-0042")
        await wait_until(pilot, lambda: "not enabled" in panel_text(document), "the panel")
        await pilot.press("m")
        await wait_until(pilot, lambda: bool(app.screen.query(ContactCard)), "contact card")
        assert "eva@baltic.example" in screen_text(app.screen)
        assert not app.screen.query_one("#form").display
        compose = app.screen
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: not [w for w in app.workers if w.node is compose and w.is_running],
            "ctrl+s handled",
        )
        # While the app runs: after it closed, a send it cancelled would pass too.
        assert app.screen is compose and compose.query(ContactCard)
        assert await store.document_thread(network.invoice_off) is None


async def test_messages_panel_is_bottom_right_at_80x24(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        document = await open_document(pilot, "4500012345")
        region = document.query_one(MessagesPanel).region
        footer_top = SIZE[1] - 1
        assert region.right == SIZE[0]
        assert region.bottom == footer_top
        assert region.x + region.width / 2 > SIZE[0] / 2  # in the right half
        assert region.height >= 5


async def test_unknown_number_and_foreign_document_are_refused_clearly(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("2")
        pane = main.documents
        await wait_until(pilot, lambda: pane.table.row_count > 0, "documents")
        await pilot.press("slash", *"9999999", "enter")
        await wait_until(pilot, lambda: pane.table.row_count == 0, "no rows")
        await wait_until(pilot, lambda: "No document matches" in screen_text(pane), "the note")
        app.open_document(network.po_b)  # another account's purchase order
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the screen")
        screen = app.screen
        await wait_until(pilot, lambda: "⚠" in screen_text(screen), "the refusal")
        assert "4500099999" not in screen_text(screen)
        assert not screen.query_one(MessagesPanel).display
        await pilot.press("m")  # nothing to open, nothing created
        await pilot.pause()
        assert app.screen is screen


async def test_kind_filter_and_paging(tmp_path: Path) -> None:
    from netmsg_tui.demo import build_demo

    path = tmp_path / "demo.db"
    build_demo(path)
    store = SQLiteStore(path)
    try:
        app = NetmsgApp(store, poll_interval=0.2)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "main")
            main = app.screen
            assert isinstance(main, MainScreen)
            await pilot.press("2")
            pane = main.documents
            await wait_until(pilot, lambda: pane.table.row_count == 40, "the first page")
            for pages in range(2, 6):  # the cursor near the end loads the next page
                await pilot.press("ctrl+end")
                shown = min(pages * 40, 180)
                await wait_until(pilot, lambda n=shown: pane.table.row_count == n, f"{shown} rows")
            assert not pane.has_more
            await pilot.press("k")  # purchase orders only
            await wait_until(
                pilot,
                lambda: pane.documents and {d.kind for d in pane.documents} == {"purchase_order"},
                "purchase orders only",
            )
            await pilot.press("k")
            await wait_until(
                pilot, lambda: {d.kind for d in pane.documents} == {"invoice"}, "invoices only"
            )
            await pilot.press("o")
            await wait_until(
                pilot,
                lambda: pane.documents[0].issued <= pane.documents[-1].issued,
                "oldest first",
            )
    finally:
        await store.close()


async def test_command_palette_jumps_to_a_document_by_number(
    network: Network, open_store: OpenStore
) -> None:
    from textual.command import CommandPalette

    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"4500012345")
        palette = app.screen
        await wait_until(
            pilot,
            lambda: any(
                "Document: PO 4500012345" in str(option.prompt)
                for option in palette.query_one("CommandList").options
            ),
            "the document among the hits",
        )
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
        assert app.screen.document_id == network.po_a


async def test_keys_typed_as_the_tab_opens_go_to_its_first_rows(
    network: Network, open_store: OpenStore
) -> None:
    """2 ↓ Enter typed while the store is slow to answer: ↓ and Enter wait for the first rows
    (on the empty table they did nothing and were lost).

    The store is made slow for real: another program holds the database's write lock, so a
    draft the app saves waits on it in the store's one thread, and the tab's first page waits
    behind the draft. Without the wait the keys reach the table before its rows, every time."""
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        other = sqlite3.connect(network.path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another program writing
            saving = asyncio.ensure_future(store.save_draft("new", {"body": "held"}))
            await pilot.press("2", "down", "enter")
            # Every key typed, the first rows not yet read: the tab shows no rows.
            assert main.active_tab == "documents"
            assert main.documents.table.row_count == 0
            assert app.screen is main
        finally:
            other.execute("ROLLBACK")
            other.close()
        await saving
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        # The newer invoice is the first row, the purchase order the second.
        assert screen.document_id == network.po_a
        await wait_until(pilot, lambda: "4500012345" in screen_text(screen), "its number shown")
        assert (await store.drafts())["new"] == {"body": "held"}


async def test_the_tab_is_first_drawn_with_its_rows(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2 at 80×24: the first layout that shows the Documents tab has its rows (it used to lay
    out and paint the empty tab, then the rows a frame later). The app holds its frames for
    the first rows only FIRST_PAGE_WAIT seconds; made long here, so that a loaded machine
    cannot change what this test sees."""
    monkeypatch.setattr(documents_pane, "FIRST_PAGE_WAIT", 60.0)
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await wait_until(pilot, lambda: main.query("#documents-pane"), "the tab built")
        rows_laid_out: list[int] = []

        def laid_out(screen: object) -> None:
            if main.active_tab == "documents":
                rows_laid_out.append(main.documents.table.row_count)

        main.screen_layout_refresh_signal.subscribe(main, laid_out, immediate=True)
        await pilot.press("2")
        await wait_until(pilot, lambda: rows_laid_out, "the tab laid out")
        assert rows_laid_out[0] == 2  # the account's invoice and purchase order
        table = main.documents.table
        assert "4500012345" in str(table.get_option_at_index(1).prompt)
        assert app.focused is table
