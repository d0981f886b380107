"""Long and wide customer text at 80×24 (issue 14, item 7), asserted on the screen's cells: a
long name never pushes the subject out of the thread header; the *To* line and a 200-character
subject are cut with "…"; the contact card never splits an email address or phone number; a
CJK name keeps a picker row whole; the Documents table gives the customer the width it has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.widgets import Input

from netmsg_tui.model import Contact, LineItem
from netmsg_tui.store.sqlite import admin
from netmsg_tui.tui.dialogs.customer_picker import CustomerPicker
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.notices import ContactCard
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, make_app, ready, type_into
from tests.waiting import wait_until

LONG_NAME = "Consolidated Northern Industrial Chemicals and Pharmaceuticals Holding AG"
SUBJECT = "Delivery date for order 4500012346"
CJK_NAME = "東京精密機械株式会社 大阪支店"
LONG_EMAIL = "procurement.department.eastern.region@very-long-subdomain.example-customer.com"
PHONE = "+49 30 1234 5678 9012 3456 7890 1234 5678 9012 3456 7890 extension 99"
NORDIC = "Nordic Chemicals Aktiengesellschaft"


@dataclass
class Wide:
    long_name: int
    cjk: int
    no_messaging: int
    nordic: int


@pytest.fixture
def wide(network: Network) -> Wide:
    """Customers of account A with long and double-width text, and a document of each."""
    conn = admin.connect(network.path)
    conn.execute("BEGIN")
    contact = Contact("Max Buyer", "max@buyer.example", "+49 30 123456", "Hauptstr. 1, Berlin")
    a = network.account_a
    long_name = admin.create_customer(
        conn, LONG_NAME, "AN01000000101", "Ludwigshafen", contact, trading_with=[a]
    )
    cjk = admin.create_customer(conn, CJK_NAME, "AN01000000102", "東京", contact, trading_with=[a])
    off = admin.create_customer(
        conn,
        "Quiet Customer Ltd",
        "AN01000000103",
        "Leeds",
        Contact("Ann Quiet", LONG_EMAIL, PHONE, "1 Long Road, Leeds"),
        messaging_enabled=False,
        trading_with=[a],
    )
    nordic = admin.create_customer(conn, NORDIC, "AN01000000104", "Oslo", contact, trading_with=[a])
    items = [LineItem(1, "Drum of solvent", Decimal("1"), Decimal("99.00"))]
    admin.create_document(
        conn, a, nordic, "purchase_order", "4500077777", date(2026, 12, 1), "EUR", "New", items
    )
    conn.execute("COMMIT")
    conn.close()
    return Wide(long_name, cjk, off, nordic)


def screen_lines(app: App[object]) -> list[str]:
    """The screen's rows as the terminal shows them: every cell, after layout and cutting."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def row_with(app: App[object], part: str) -> str:
    rows = [line for line in screen_lines(app) if part in line]
    assert rows, f"{part!r} is not on the screen:\n" + "\n".join(screen_lines(app))
    return rows[0]


async def test_a_long_name_gives_way_to_the_subject_in_the_thread_header(
    network: Network, open_store: OpenStore, wide: Wide
) -> None:
    store = open_store(network.user_a)
    short = await store.start_conversation(wide.long_name, SUBJECT, "Hello")
    long_subject = "Q" + "uarterly volumes " * 12  # 205 characters
    very_long = await store.start_conversation(wide.long_name, long_subject[:200], "Hello")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for conversation, shown in ((short, f"— {SUBJECT}"), (very_long, "— Quarterly volumes")):
            app.open_thread(conversation.id)
            await wait_until(
                pilot,
                lambda c=conversation: (
                    isinstance(app.screen, ThreadScreen)
                    and app.screen.conversation is not None
                    and app.screen.conversation.id == c.id
                ),
                "the thread",
            )
            await pilot.pause()
            header = screen_lines(app)[1]
            assert shown in header, header  # the subject is in sight, on the header's line
            assert header.lstrip().startswith("Consolidated Northern")
            assert "…" in header  # cut, and said so
            assert "Holding AG" not in "\n".join(screen_lines(app)[:3])  # not wrapped below
        assert header.rstrip().endswith("…")  # the 200-character subject is cut with "…"

        assert "Industrial" not in header  # at 80 columns the name has a third: 26 cells
        await pilot.resize_terminal(120, 40)  # wider: cut again, for the new width (40 cells)
        await wait_until(pilot, lambda: "Industrial" in screen_lines(app)[1], "a longer name")
        assert screen_lines(app)[1].rstrip().endswith("…")


async def test_to_line_and_a_long_subject_are_cut_with_an_ellipsis(
    network: Network, open_store: OpenStore, wide: Wide
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation(wide.long_name)
        await wait_until(
            pilot, lambda: getattr(app.screen, "customer", None) is not None, "the customer"
        )
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await pilot.pause()
        to = row_with(app, "To ")
        assert "Consolidated" in to and "…" in to
        assert "AN01000000101 · Ludwigshafen" in to  # the name gave way, the id is in sight

        subject = screen.query_one("#subject", Input)
        await wait_until(pilot, lambda: app.focused is subject, "Subject focused")
        await type_into(pilot, subject, "Subject " * 25)  # 200 characters, typed
        row = row_with(app, "Subject")
        assert row.split("Subject", 1)[1].lstrip().startswith("…"), row  # its start is cut
        await pilot.press("tab")  # to the message: the field still says its start is cut
        await wait_until(pilot, lambda: app.focused is not subject, "the focus to move on")
        assert row_with(app, "Subject").split("Subject", 1)[1].lstrip().startswith("…")
        await pilot.press("shift+tab", "home")  # back, to the start: now its end is cut
        await wait_until(pilot, lambda: app.focused is subject, "Subject focused again")
        row = row_with(app, "Subject")
        field = row.split("Subject", 1)[1].split("200/200")[0].strip()
        assert field.startswith("Subject Subject") and field.endswith("…"), row


async def test_contact_card_keeps_an_email_address_whole_on_one_line(
    network: Network, open_store: OpenStore, wide: Wide
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation(wide.no_messaging)
        await wait_until(pilot, lambda: app.screen.query(ContactCard), "the contact card")
        card = app.screen.query_one(ContactCard)
        await wait_until(pilot, lambda: app.focused is card, "the card focused")
        await pilot.pause()
        lines = screen_lines(app)
        email_row = row_with(app, "Email")
        start = email_row.split("Email", 1)[1].strip().rstrip("│").strip()
        assert LONG_EMAIL.startswith(start)  # the address starts on its own line…
        rest = LONG_EMAIL[len(start) :]
        assert not any(line.strip().startswith(rest[:12]) for line in lines)  # …not wrapped
        assert "Phone" in row_with(app, "+49 30 1234")  # the phone number too

        await pilot.press("end")  # the card scrolls sideways: the end of the address shows
        await pilot.pause()
        assert LONG_EMAIL[-30:] in "\n".join(screen_lines(app))
        assert PHONE[-20:] in "\n".join(screen_lines(app))


async def test_a_short_email_address_shows_whole_without_scrolling(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation(network.customer_off)
        await wait_until(pilot, lambda: app.screen.query(ContactCard), "the contact card")
        await pilot.pause()
        assert "eva@baltic.example" in row_with(app, "Email")
        assert "Baltic Motors AG has not enabled messaging." in row_with(app, "has not enabled")


async def test_a_cjk_name_keeps_its_picker_row_whole(
    network: Network, open_store: OpenStore, wide: Wide
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation()
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        await pilot.press("plus")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerPicker), "the picker")
        picker = app.screen
        assert isinstance(picker, CustomerPicker)
        await wait_until(pilot, lambda: len(picker.customers.customers) >= 5, "the customers")
        await pilot.pause()
        row = row_with(app, "東京精密")
        # One row: the name, its network id, its city and the messaging state, in 80 cells.
        assert "AN01000000102" in row and "✉ on" in row, row
        assert cell_len(row) == SIZE[0]
        ids = [row_with(app, name)[: cell_len(row)] for name in ("Alpine Foods", "東京精密")]
        columns = [line.index("AN0100000") for line in ids]
        # the network ids line up in a column, in cells
        widths = [cell_len(line[:col]) for line, col in zip(ids, columns, strict=True)]
        assert widths[0] == widths[1], ids


async def test_documents_customer_column_uses_the_width_it_has(
    network: Network, open_store: OpenStore, wide: Wide
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        app.show_tab("documents")
        await wait_until(
            pilot,
            lambda: screen.query("#documents-pane") and screen.documents.table.row_count >= 3,
            "the documents",
        )
        await pilot.pause()
        row = row_with(app, "4500077777")
        assert NORDIC in row, row  # whole at 120 columns
        assert "99.00 EUR" in row and "New" in row

        await pilot.resize_terminal(*SIZE)  # at 80 the columns still fit: cut with "…"
        await wait_until(pilot, lambda: NORDIC not in row_with(app, "4500077777"), "a re-cut")
        row = row_with(app, "4500077777")
        assert "Nordic Chemical" in row and "…" in row and "99.00 EUR" in row, row
        assert isinstance(app.screen, MainScreen)
