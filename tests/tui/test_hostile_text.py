"""Outside text that looks like markup is shown as written, and never stops the app (80×24)."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widget import Widget
from textual.widgets import Static

from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from tests.conftest import Network
from tests.tui.conftest import OpenStore
from tests.waiting import wait_until

from .conftest import SIZE, make_app, ready, toasts_into

#: ``[/]`` made notify() raise MarkupError; ``[EUR]`` was swallowed as an unknown tag.
SUBJECTS = ["Closing [/] tag", "Price in [EUR] per unit", "[bold red]x"]


def option_texts(screen: MainScreen) -> list[str]:
    lst = screen.messages.list
    return [str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count)]


def toast_texts(app: NetmsgApp) -> list[str]:
    # render() is what the compositor calls: it would raise MarkupError on a parsed subject.
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_markup_looking_subjects_are_literal_in_list_toast_and_thread(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    convs = [
        await store.start_conversation(network.customer_on, s, f"About: {s}") for s in SUBJECTS
    ]
    app = make_app(store)
    toasts: list[tuple[str, str]] = []
    # notifications=True: toasts are mounted and rendered, as in the real app.
    hook = toasts_into(toasts)
    async with app.run_test(size=SIZE, message_hook=hook, notifications=True) as pilot:
        main = await ready(pilot)
        rows = "\n".join(option_texts(main))
        for subject in SUBJECTS:
            assert subject in rows

        for conv in convs:
            await network.customer_reply(conv.id, f"Reply on {conv.subject}")
        await wait_until(pilot, lambda: len(toast_texts(app)) >= len(SUBJECTS), "the toasts")
        shown = "\n".join(toast_texts(app))
        for subject in SUBJECTS:
            assert f"Alpine Foods GmbH replied\n{subject}" in shown
        assert sorted(message for _, message in toasts) == sorted(SUBJECTS)
        await wait_until(
            pilot, lambda: all(r.startswith("● ") for r in option_texts(main)), "unread rows"
        )
        for subject in SUBJECTS:
            assert subject in "\n".join(option_texts(main))

        for conv in convs:
            app.open_thread(conv.id)
            await wait_until(
                pilot,
                lambda c=conv: (
                    isinstance(app.screen, ThreadScreen)
                    and app.screen.conversation is not None
                    and app.screen.conversation.id == c.id
                ),
                "the thread",
            )
            header = app.screen.query_one("#thread-header", Static).render()
            assert str(header).startswith(f"Alpine Foods GmbH — {conv.subject}")
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the list")
        assert app.is_running


async def test_palette_hits_show_markup_looking_subjects_literally(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    for subject in SUBJECTS:
        await store.start_conversation(network.customer_on, subject, "Body")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"alpine")
        palette = app.screen

        def hits() -> str:
            return "\n".join(str(o.prompt) for o in palette.query_one("CommandList").options)

        await wait_until(pilot, lambda: hits().count("Thread:") == len(SUBJECTS), "the hits")
        for subject in SUBJECTS:
            assert f"Thread: Alpine Foods GmbH — {subject}" in hits()
        assert app.is_running


def hostile_customer(network: Network) -> tuple[int, int]:
    """A customer without messaging whose name, contact card and document carry escapes."""
    from datetime import date
    from decimal import Decimal

    from netmsg_tui.model import Contact, LineItem
    from netmsg_tui.store.sqlite import admin

    conn = admin.connect(network.path)
    try:
        conn.execute("BEGIN")
        customer = admin.create_customer(
            conn,
            "Evil\x1b]0;TITLE\x07 [/] Co",
            "AN\u202e0100",
            "Town\x9b2J",
            Contact("Max\x1b[2J", "m@evil.example\x1b]8;;x\x07", "+1\u202e23", "Str.\x07 1"),
            messaging_enabled=False,
            trading_with=[network.account_a],
        )
        items = [LineItem(1, "Pump\x1b[31m [/]", Decimal("1"), Decimal("1.00"))]
        document = admin.create_document(
            conn, network.account_a, customer, "invoice", "INV\x1b]52;c;QQ==\x07[/]",
            date(2026, 11, 5), "EUR", "New [EUR]", items,
        )  # fmt: skip
        conn.execute("COMMIT")
    finally:
        conn.close()
    return customer, document


def plain(widget: Widget) -> str:
    return str(widget.render())


async def test_contact_card_documents_and_picker_show_placeholders(
    network: Network, open_store: OpenStore
) -> None:
    from textual.widgets import DataTable

    from netmsg_tui.tui.dialogs.customer_picker import CustomerPicker
    from netmsg_tui.tui.screens.compose import ComposeScreen
    from netmsg_tui.tui.screens.document import DocumentScreen
    from netmsg_tui.tui.widgets.documents_pane import DocumentsTable
    from netmsg_tui.tui.widgets.notices import ContactCard

    customer, document = hostile_customer(network)
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation(customer)
        await wait_until(pilot, lambda: app.screen.query(ContactCard), "the contact card")
        assert isinstance(app.screen, ComposeScreen)
        card = app.screen.query_one(ContactCard).text
        assert card.startswith("Evil␛]0;TITLE␇ [/] Co has not enabled messaging.")
        for shown in ("Max␛[2J", "m@evil.example␛]8;;x␇", "+1⟨U+202E⟩23", "Str.␇ 1"):
            assert shown in card
        to = plain(app.screen.query_one("#to-customer", Static))
        assert to == "Evil␛]0;TITLE␇ [/] Co · AN⟨U+202E⟩0100 · Town⟨U+009B⟩2J"

        await pilot.press("plus")  # the picker lists the customer
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerPicker), "the picker")
        await pilot.press(*"Evil")
        picker = app.screen
        assert isinstance(picker, CustomerPicker)
        await wait_until(pilot, lambda: picker.customers.customers, "the customer in the picker")
        rows = picker.query_one("OptionList")
        await wait_until(pilot, lambda: rows.option_count == 1, "one row")  # type: ignore[attr-defined]
        row = str(rows.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert row.startswith("Evil␛]0;TITLE␇ [/] Co") and "AN⟨U+202E⟩0100" in row
        await pilot.press("escape")

        app.show_tab("documents")
        await wait_until(pilot, lambda: app.screen.query(DocumentsTable), "the documents")
        table = app.screen.query_one(DocumentsTable)
        await wait_until(pilot, lambda: table.row_count >= 3, "the rows")
        cells = table.cells(str(document))
        assert "INV␛]52;c;QQ==␇[/]" in cells and "New [EUR]" in cells

        app.open_document(document)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, DocumentScreen) and app.screen.document is not None,
            "the document",
        )
        items = app.screen.query_one("#line-items", DataTable)
        await wait_until(pilot, lambda: items.row_count == 1, "its line item")
        assert "Pump␛[31m [/]" in [str(c) for c in items.get_row_at(0)]
        assert "New [EUR]" in plain(app.screen.query_one("#document-header", Static))
        assert app.is_running
