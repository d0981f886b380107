"""The Documents tab: purchase orders and invoices, searchable, filterable, paged from the store."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from ...model import MAX_SEARCH_CHARS, Customer, Document, DocumentKind
from ...store import StoreError
from ...terminal_text import printable_line
from ..base import NetmsgWidget
from ..format import KIND_COLUMN, money, one_line
from .steady import steady

PAGE_SIZE = 40  # a screen holds ~16 rows; small pages keep each key press short
CUSTOMER_WIDTH = 14  # with the others, the columns fit 80 terminal columns
PREFETCH_ROWS = 20
SEARCH_DELAY = 0.25
KIND_CYCLE: tuple[DocumentKind | None, ...] = (None, "purchase_order", "invoice")
KIND_NAMES = {None: "all kinds", "purchase_order": "purchase orders", "invoice": "invoices"}


@dataclass(frozen=True)
class DocumentFilter:
    query: str = ""
    kind: DocumentKind | None = None
    customer: Customer | None = None
    oldest_first: bool = False


class DocumentsTable(DataTable[Text | str]):
    BINDINGS = [
        Binding("k", "cycle_kind", "Kind", id="documents-kind"),
        Binding("c", "customer_filter", "Customer", id="documents-customer"),
        Binding("o", "toggle_order", "Date order", id="documents-order"),
    ]

    def action_cycle_kind(self) -> None:
        self.post_message(DocumentsPane.FilterRequested("kind"))

    def action_customer_filter(self) -> None:
        self.post_message(DocumentsPane.FilterRequested("customer"))

    def action_toggle_order(self) -> None:
        self.post_message(DocumentsPane.FilterRequested("order"))


class DocumentsPane(NetmsgWidget, Vertical):
    @dataclass
    class Opened(Message):
        document_id: int

    @dataclass
    class FilterRequested(Message):
        what: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filter = DocumentFilter()
        self.documents: list[Document] = []
        self._next_cursor: str | None = None
        self._loading_more = False
        self._search_timer: Timer | None = None
        self._loaded = False

    def compose(self) -> ComposeResult:
        yield steady(
            Input(
                placeholder="Search by number or customer  (/)",
                id="document-search",
                max_length=MAX_SEARCH_CHARS,
                compact=True,
            )
        )
        yield Static("", id="document-status", markup=False)
        table = DocumentsTable(id="documents", cursor_type="row", zebra_stripes=True)
        table.add_column("Kind", key="kind", width=4)
        table.add_column("Number", key="number", width=13)
        table.add_column("Customer", key="customer", width=CUSTOMER_WIDTH)
        table.add_column("Issued", key="issued", width=10)
        table.add_column(Text("Amount", justify="right"), key="amount", width=14)
        table.add_column("Status", key="status", width=10)
        yield table

    @property
    def table(self) -> DocumentsTable:
        return self.query_one(DocumentsTable)

    @property
    def search(self) -> Input:
        return self.query_one("#document-search", Input)

    def on_show(self) -> None:
        # Loaded when first shown: start-up only pays for the Messages tab.
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self, new_filter: DocumentFilter | None = None) -> None:
        if new_filter is not None:
            self.filter = new_filter
        self._show_status()
        self._load_first()

    @work(exclusive=True, group="documents")
    async def _load_first(self) -> None:
        f = self.filter
        try:
            page = await self.app.store.list_documents(
                f.query,
                kind=f.kind,
                customer_id=f.customer.id if f.customer else None,
                oldest_first=f.oldest_first,
                limit=PAGE_SIZE,
            )
        except StoreError as exc:
            self._show_status(str(exc))
            return
        self.documents = list(page.items)
        self._next_cursor = page.next_cursor
        self.table.clear()
        self._add_rows(self.documents)
        self._show_status()

    @work(group="documents-more")
    async def _load_more(self) -> None:
        cursor, f = self._next_cursor, self.filter
        if cursor is None:
            return
        self._loading_more = True
        try:
            page = await self.app.store.list_documents(
                f.query,
                kind=f.kind,
                customer_id=f.customer.id if f.customer else None,
                oldest_first=f.oldest_first,
                cursor=cursor,
                limit=PAGE_SIZE,
            )
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        finally:
            self._loading_more = False
        if cursor != self._next_cursor:
            return
        self.documents += page.items
        self._next_cursor = page.next_cursor
        self._add_rows(page.items)
        self._show_status()

    def _add_rows(self, documents: list[Document] | tuple[Document, ...]) -> None:
        for d in documents:
            self.table.add_row(
                KIND_COLUMN[d.kind],
                Text(printable_line(d.number)),  # a str cell would be markup
                Text(one_line(d.customer_name, CUSTOMER_WIDTH)),
                d.issued.isoformat(),
                Text(printable_line(money(d)), justify="right"),
                Text(printable_line(d.status)),
                key=str(d.id),
            )

    def _show_status(self, error: str = "") -> None:
        status = self.query_one("#document-status", Static)
        # Always one line (CSS): new text needs a repaint, not a layout of the screen.
        if error:
            status.update(printable_line(f"⚠ {error}"), layout=False)
            return
        f = self.filter
        who = f.customer.name if f.customer else "any customer"
        order = "oldest first" if f.oldest_first else "newest first"
        shown = f"{len(self.documents):,}{'+' if self._next_cursor else ''}"
        text = f"{shown} · {KIND_NAMES[f.kind]} (k) · {who} (c) · {order} (o)"
        if f.query and self._loaded and not self.documents:
            text = f"No document matches “{f.query}” · " + text
        status.update(printable_line(text), layout=False)

    @on(DataTable.RowHighlighted, "#documents")
    def _prefetch(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.cursor_row >= len(self.documents) - PREFETCH_ROWS
        if near_end and self._next_cursor is not None and not self._loading_more:
            self._load_more()

    @on(DataTable.RowSelected, "#documents")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(self.Opened(int(event.row_key.value)))

    @on(Input.Changed, "#document-search")
    def _search_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    def _search_now(self) -> None:
        query = self.search.value.strip()
        if query != self.filter.query:
            self.reload(replace(self.filter, query=query))

    @on(Input.Submitted, "#document-search")
    def _search_submitted(self) -> None:
        self._search_now()
        self.table.focus()

    @on(FilterRequested)
    def _change_filter(self, event: FilterRequested) -> None:
        f = self.filter
        if event.what == "kind":
            kind = KIND_CYCLE[(KIND_CYCLE.index(f.kind) + 1) % len(KIND_CYCLE)]
            self.reload(replace(f, kind=kind))
        elif event.what == "order":
            self.reload(replace(f, oldest_first=not f.oldest_first))
        elif f.customer is not None:
            self.reload(replace(f, customer=None))
        else:
            self.post_message(self.CustomerFilterRequested())

    class CustomerFilterRequested(Message):
        """Filter by a customer: the screen lets the user choose one for :meth:`filter_by`."""

    def filter_by(self, customer: Customer | None) -> None:
        """Show only ``customer``'s documents (None: the choice was cancelled, no change)."""
        if customer is not None:
            self.reload(replace(self.filter, customer=customer))
