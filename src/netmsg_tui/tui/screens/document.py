"""A purchase order or invoice: its fields and line items, and the Messages panel docked
bottom-right that opens the thread linked to the document (or a composer linked to it).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Static

from ...i18n import N_, _, formats, ngettext
from ...model import Conversation, Customer, Document, document_status
from ...store import StoreError
from ...terminal_text import printable_line
from ..base import READER_BINDINGS, NetmsgScreen
from ..events import StoreChanged
from ..format import money, one_line, quantity, relative_time
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar


class MessagesPanel(Static):
    """What the document's thread holds; Enter, `m` or a click opens it."""

    can_focus = True
    BINDINGS = [Binding("enter", "open", N_("Open messages"), show=False, id="messages-panel-open")]

    def show(
        self,
        document: Document,
        thread: Conversation | None,
        customer: Customer,
        can_message: bool,
        *,
        read_only: bool = False,
    ) -> None:
        text = Text()
        if thread is not None:
            self._thread_lines(text, thread)
            self.update(text)
            self.set_class(bool(thread.unread_count), "-unread")
            return
        text.append(_("💬 Messages"), style="bold")
        if read_only:  # support staff: nothing to open, nothing to write
            text.append("\n" + _("No messages about this document."))
        elif not can_message:
            text.append("\n" + _("Messaging needs an Enterprise account."))
            text.append("\n" + _("m / Enter: how to upgrade"), style="dim")
        elif not customer.messaging_enabled:
            name = printable_line(customer.name)
            text.append("\n" + _("{customer} has not enabled messaging.").format(customer=name))
            text.append("\n" + _("m / Enter: contact details"), style="dim")
        else:
            text.append("\n" + _("No messages about this document yet."))
            write_to = _("m / Enter: write to {customer}").format(
                customer=one_line(customer.name, 24)
            )
            text.append(f"\n{write_to}", style="dim")
        self.update(text)
        self.set_class(False, "-unread")

    @staticmethod
    def _thread_lines(text: Text, thread: Conversation) -> None:
        # One msgid for the first line (German fits 40 columns: "💬 Nachrichten · 2 gesamt");
        # the part before its first " · " is the panel's bold title.
        n = thread.message_count
        line = ngettext("💬 Messages · {n} message", "💬 Messages · {n} messages", n)
        title, _sep, count = line.format(n=n).partition(" · ")
        text.append(title, style="bold")
        text.append(f" · {count}" if count else "")
        if thread.unread_count:
            unread = _("{n} unread").format(n=thread.unread_count)
            text.append(f" · {unread}", style="bold reverse")
        last = _("Last {when}: ").format(when=relative_time(thread.last_activity))
        text.append(f"\n{last}", style="dim")
        # Two of the panel's 40-column lines, word-wrapped, whatever the language's prefix.
        text.append(one_line(thread.last_preview, min(60, 72 - len(last))))
        text.append("\n" + _("m / Enter: open the thread"), style="dim")

    class Opened(Message):
        """The user asked for the document's messages."""

    def action_open(self) -> None:
        self.post_message(self.Opened())

    def on_click(self) -> None:
        self.action_open()


class DocumentScreen(NetmsgScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("m", "open_messages", N_("Messages"), id="messages-panel"),
        *READER_BINDINGS,
    ]

    def __init__(self, document_id: int) -> None:
        super().__init__()
        self.document_id = document_id
        self.document: Document | None = None
        self.thread: Conversation | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static(_("Loading…"), id="document-header", classes="screen-title")
        table: DataTable[Text | str] = DataTable(id="line-items", cursor_type="row")
        table.add_column("#", width=3)
        table.add_column(_("Description"), width=30)
        table.add_column(Text(_("Qty"), justify="right"), width=6)
        table.add_column(Text(_("Unit price"), justify="right"), width=11)
        table.add_column(Text(_("Total"), justify="right"), width=12)
        yield table
        with Horizontal(id="document-bottom"):
            yield Static("", id="document-summary")
            yield MessagesPanel(_("💬 Messages") + "\n" + _("Loading…"), id="messages-panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.key_gate.hold(self)  # keys typed meanwhile (m, Enter) need the document
        self._load()

    def on_unmount(self) -> None:
        self.app.key_gate.release(self)

    @work(exclusive=True, group="document")
    async def _load(self) -> None:
        try:
            await self._load_document()
        finally:
            self.app.key_gate.release(self)

    async def _load_document(self) -> None:
        store = self.app.store
        try:
            document = await store.get_document(self.document_id)
            customer = await store.get_customer(document.customer_id)
            thread = await store.document_thread(self.document_id)
        except StoreError as exc:
            if self.gone:
                return
            self.query_one("#document-header", Static).update(f"⚠ {exc}")
            self.query_one(MessagesPanel).display = False
            return
        if self.gone:  # closed (or the app quit) while the store answered
            return
        first = self.document is None
        self.document, self.thread = document, thread
        self.app.documents_seen[document.id] = document
        if first:
            self._show_document(document, customer)
        self.query_one(MessagesPanel).show(
            document,
            thread,
            customer,
            self.app.can_message,
            read_only=self.app.read_only,
        )

    def _show_document(self, d: Document, customer: Customer) -> None:
        header = Text(no_wrap=True, overflow="ellipsis")
        header.append(printable_line(d.title), style="bold")
        header.append(f"  ·  {printable_line(document_status(d.status))}\n")
        who = printable_line(f"{customer.name} ({customer.network_id})")
        issued = _("issued {date}").format(date=formats.full_date(d.issued))
        header.append(f"{who} · {issued}")
        self.query_one("#document-header", Static).update(header)
        table = self.query_one("#line-items", DataTable)
        for item in d.line_items:
            table.add_row(
                str(item.line),
                Text(one_line(item.description, 30)),  # a str cell would be markup
                Text(quantity(item.quantity), justify="right"),
                Text(formats.number(item.unit_price), justify="right"),
                Text(formats.number(item.total), justify="right"),
            )
        summary = Text()
        summary.append(_("Amount") + "  ", style="dim")
        summary.append(printable_line(money(d)), style="bold")
        n = len(d.line_items)
        summary.append("\n" + ngettext("{n} line item", "{n} line items", n).format(n=n))
        summary.append(f"\n{printable_line(customer.city)}", style="dim")
        self.query_one("#document-summary", Static).update(summary)
        self.query_one(MessagesPanel).focus()

    @on(MessagesPanel.Opened)
    def action_open_messages(self) -> None:
        if self.document is None:
            return
        if self.thread is not None:
            self.app.open_thread(self.thread.id, write=True)
            return
        if self.app.read_only:
            return  # no thread, and support staff never start one
        from .compose import ComposeScreen

        self.app.push_screen(ComposeScreen(document=self.document))

    def action_back(self) -> None:
        self.dismiss()

    def on_store_changed(self, event: StoreChanged) -> None:
        self._load()

    def on_screen_resume(self) -> None:
        if self.document is not None:
            self._load()
