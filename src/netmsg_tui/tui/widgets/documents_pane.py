"""The Documents tab: purchase orders and invoices, searchable, filterable, paged from the store."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey
from textual.worker import Worker

from ... import i18n
from ...i18n import N_, _, formats
from ...model import Customer, Document, DocumentKind, Page, document_status
from ...terminal_text import printable_line
from ..format import one_line
from .paged_list import PagedList

PAGE_SIZE = 40  # a screen holds ~16 rows; small pages keep each key press short
CUSTOMER_WIDTH = 14  # the least: with the others, the columns fit 80 terminal columns
MAX_CUSTOMER_WIDTH = 50  # wider pushes date and amount too far from the number to read across
PREFETCH_ROWS = 20
SEARCH_DELAY = 0.25
KIND_CYCLE: tuple[DocumentKind | None, ...] = (None, "purchase_order", "invoice")
KIND_NAMES = {
    None: N_("all kinds"),
    "purchase_order": N_("purchase orders"),
    "invoice": N_("invoices"),
}
#: The Kind column's cells, short: "PO" / "Inv", in German "Best." / "Rech.".
KIND_CELLS: dict[DocumentKind, str] = {"purchase_order": N_("PO"), "invoice": N_("Inv")}


def issued_cell(day: date) -> str:
    """Ten columns: ISO in English (``02 Nov 2026`` would need eleven), ``02.11.2026`` in
    German (DIN 5008, as SAP Business Network shows it)."""
    return formats.full_date(day) if i18n.language() == "de" else day.isoformat()


@dataclass(frozen=True)
class DocumentFilter:
    query: str = ""
    kind: DocumentKind | None = None
    customer: Customer | None = None
    oldest_first: bool = False


class DocumentsTable(DataTable[Text | str]):
    BINDINGS = [
        Binding("k", "cycle_kind", N_("Kind"), id="documents-kind"),
        Binding("c", "customer_filter", N_("Customer"), id="documents-customer"),
        Binding("o", "toggle_order", N_("Date order"), id="documents-order"),
    ]

    def action_cycle_kind(self) -> None:
        self.post_message(DocumentsPane.FilterRequested("kind"))

    def action_customer_filter(self) -> None:
        self.post_message(DocumentsPane.FilterRequested("customer"))

    def action_toggle_order(self) -> None:
        self.post_message(DocumentsPane.FilterRequested("order"))


class DocumentsPane(PagedList[Document, DocumentFilter]):
    FIRST_PAGE = PAGE_SIZE
    PAGE_SIZE = PAGE_SIZE
    PREFETCH_ROWS = PREFETCH_ROWS
    SEARCH_DELAY = SEARCH_DELAY
    WORKERS = "documents"
    SEARCH_ID = "document-search"
    SEARCH_PLACEHOLDER = N_("Search by number or customer  (/)")
    STATUS_ID = "document-status"

    @dataclass
    class Opened(Message):
        document_id: int

    @dataclass
    class FilterRequested(Message):
        what: str

    class CustomerFilterRequested(Message):
        """Filter by a customer: the screen lets the user choose one for :meth:`filter_by`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(DocumentFilter(), id=id)
        self._loaded = False
        self._customer_width = CUSTOMER_WIDTH

    def _fitting_customer_width(self) -> int:
        """The customer column takes the width the others leave: at 120 columns a name such
        as "Nordic Chemicals AG" is whole. Each column has a cell of padding either side, and
        one column is kept for the scrollbar."""
        columns = self.table.columns
        others = sum(c.width for key, c in columns.items() if key != ColumnKey("customer"))
        room = self.size.width - others - 2 * len(columns) - 1
        return max(CUSTOMER_WIDTH, min(room, MAX_CUSTOMER_WIDTH))

    def on_resize(self) -> None:
        width = self._fitting_customer_width()
        if width == self._customer_width:
            return
        self._customer_width = width
        table = self.table
        table.columns[ColumnKey("customer")].width = width
        row = table.cursor_row
        self.show_rows(self.items, first=True)  # names cut again to the new width
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1), animate=False)

    def make_view(self) -> DocumentsTable:
        table = DocumentsTable(id="documents", cursor_type="row", zebra_stripes=True)
        # Headers no wider than their columns (German too): "Art", "Datum", "Betrag". The Kind
        # column is as wide as its words in the language shown (4 in English, 5 in German).
        kind = _("Kind")
        kind_width = max(len(kind), *(len(_(cell)) for cell in KIND_CELLS.values()))
        table.add_column(kind, key="kind", width=kind_width)
        table.add_column(_("Number"), key="number", width=13)
        table.add_column(_("Customer"), key="customer", width=self._customer_width)
        table.add_column(_("Issued"), key="issued", width=10)
        table.add_column(Text(_("Amount"), justify="right"), key="amount", width=14)
        table.add_column(_("Status"), key="status", width=10)
        return table

    @property
    def table(self) -> DocumentsTable:
        return self.query_one(DocumentsTable)

    @property
    def documents(self) -> list[Document]:
        return self.items

    def load_on_mount(self) -> bool:
        return False  # loaded when first shown: start-up only pays for the Messages tab

    def on_show(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self, filter: DocumentFilter | None = None) -> Worker[None]:
        loading = super().reload(filter)
        self._show_status()  # the new filter shows at once, the rows when they come
        return loading

    async def fetch(self, filter: DocumentFilter, cursor: str | None, limit: int) -> Page[Document]:
        return await self.app.store.list_documents(
            filter.query,
            kind=filter.kind,
            customer_id=filter.customer.id if filter.customer else None,
            oldest_first=filter.oldest_first,
            cursor=cursor,
            limit=limit,
        )

    def show_rows(self, items: Sequence[Document], *, first: bool) -> None:
        if first:
            self.table.clear()
        for d in items:
            self.table.add_row(
                _(KIND_CELLS[d.kind]),
                Text(printable_line(d.number)),  # a str cell would be markup
                Text(one_line(d.customer_name, self._customer_width)),
                issued_cell(d.issued),
                Text(printable_line(formats.amount(d.amount, d.currency)), justify="right"),
                Text(printable_line(document_status(d.status))),
                key=str(d.id),
            )

    def item_key(self, item: Document) -> Hashable:
        return item.id

    def status_text(self) -> str:
        f = self.filter
        who = f.customer.name if f.customer else _("any customer")
        order = _("oldest first") if f.oldest_first else _("newest first")
        shown = formats.count(len(self.documents)) + ("+" if self.has_more else "")
        text = _("{shown} · {kinds} (k) · {customer} (c) · {order} (o)").format(
            shown=shown, kinds=_(KIND_NAMES[f.kind]), customer=who, order=order
        )
        if f.query and self._loaded and not self.documents:
            nothing = _("No document matches “{query}”").format(query=f.query)
            text = f"{nothing} · {text}"
        return text

    def submitted(self, searching: object) -> None:
        self.table.focus()

    @on(DataTable.RowHighlighted, "#documents")
    def _prefetch(self, event: DataTable.RowHighlighted) -> None:
        self.cursor_at(event.cursor_row)

    @on(DataTable.RowSelected, "#documents")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(self.Opened(int(event.row_key.value)))

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

    def filter_by(self, customer: Customer | None) -> None:
        """Show only ``customer``'s documents (None: the choice was cancelled, no change)."""
        if customer is not None:
            self.reload(replace(self.filter, customer=customer))
