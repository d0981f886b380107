"""The Documents tab: purchase orders and invoices, searchable, filterable, paged from the store."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar, Self, cast

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from ... import i18n
from ...i18n import N_, _, formats
from ...model import Customer, Document, DocumentKind, Page, document_status
from ...terminal_text import printable_line
from ..format import cut, one_line
from .paged_list import PagedList
from .row_list import RowList

PAGE_SIZE = 40  # a screen holds ~16 rows; small pages keep each key press short
CUSTOMER_WIDTH = 14  # the least: with the others, the columns fit 80 terminal columns
MAX_CUSTOMER_WIDTH = 50  # wider pushes date and amount too far from the number to read across
PREFETCH_ROWS = 20
SEARCH_DELAY = 0.25
STATUS_DELAY = 0.1  # seconds: a new filter waits this long for its rows to show with them
#: Seconds the tab, opened the first time, waits for its first rows before it is painted
#: without them (a slow store: the empty tab and its status line, then the rows).
FIRST_PAGE_WAIT = 0.2
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


@dataclass(frozen=True)
class Column:
    """A column of the table: its heading (shown as is: translated), width in terminal cells."""

    title: str
    width: int
    right: bool = False  # amounts: aligned on the right


def table_line(cells: Sequence[str], columns: Sequence[Column]) -> Text:
    """One line of the table: each cell (printable text already) cut with "…" to its column's
    width in terminal cells, padded, with a cell of space either side."""
    line = []
    for cell, column in zip(cells, columns, strict=True):
        shown = cut(cell, column.width)
        gap = " " * (column.width - cell_len(shown))
        line.append(f" {gap}{shown} " if column.right else f" {shown}{gap} ")
    return Text("".join(line), no_wrap=True, overflow="ellipsis")


class ColumnHeadings(Static):
    """The line of column headings over the rows (it does not scroll with them)."""


class DocumentsTable(RowList):
    """The rows of the Documents tab, one line each (the line API: only the visible lines are
    drawn, a cursor move repaints two lines, a page of rows is added without a layout).

    Option ids are document ids. Each row keeps its cells (printable, whole) so that a resize
    cuts them again without formatting the documents again."""

    BINDINGS = [
        Binding("k", "cycle_kind", N_("Kind"), id="documents-kind"),
        Binding("c", "customer_filter", N_("Customer"), id="documents-customer"),
        Binding("o", "toggle_order", N_("Date order"), id="documents-order"),
        # The DataTable this replaces moved to the first and last row with these.
        Binding("ctrl+home", "first", N_("First"), show=False),
        Binding("ctrl+end", "last", N_("Last"), show=False),
    ]

    #: Every other row a shade apart, as the DataTable this replaces drew them: the eye
    #: keeps to its row across the wide gaps between the columns.
    COMPONENT_CLASSES: ClassVar[set[str]] = RowList.COMPONENT_CLASSES | {
        "documents-table--even-row"
    }

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self._cells: dict[str, tuple[str, ...]] = {}
        self._strips: dict[tuple[int, Style, int], Strip] = {}
        self._adding = False  # rows being added at the end (show): no repaint of all rows
        self._counted: tuple[int, int, Size, bool] | None = None  # see _update_lines

    @property
    def row_count(self) -> int:
        return self.option_count

    @property
    def cursor_row(self) -> int:
        """The highlighted row (0 when there is none, as a DataTable's cursor)."""
        return self.highlighted or 0

    def cells(self, key: str) -> tuple[str, ...]:
        """The cells of row ``key``, whole (the row shows them cut to the columns)."""
        return self._cells[key]

    def show(self, rows: Sequence[tuple[str, tuple[str, ...]]], *, first: bool) -> None:
        """``rows`` (key, cells): all the rows when ``first`` (the cursor on the first), else
        added at the end."""
        options = [Option(table_line(cells, self.columns), id=key) for key, cells in rows]
        if first:
            self._strips.clear()
            self._cells = dict(rows)
            self.set_options(options)
            self.highlighted = 0 if options else None
        else:
            self._cells.update(rows)
            # OptionList repaints every visible row when rows are added; rows added below the
            # last one in view change nothing on screen but the scrollbar (which _update_lines
            # repaints): only the new rows' lines are repainted, which are seldom in view.
            first_line = self.option_count * self.ROW_HEIGHT
            self._adding = True
            try:
                self.add_options(options)
            finally:
                self._adding = False
            self.refresh_lines(first_line, len(options) * self.ROW_HEIGHT)

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if self._adding and not (regions or layout or recompose):
            return self  # add_options' repaint of the whole list: see show
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def set_columns(self, columns: Sequence[Column]) -> None:
        """New widths (a resize): the rows cut again, the cursor kept."""
        self.columns = list(columns)
        self._strips.clear()
        highlighted = self.highlighted
        rows = self._cells.items()
        self.set_options(Option(table_line(cells, self.columns), id=key) for key, cells in rows)
        self.highlighted = highlighted

    def on_mount(self) -> None:
        # Always shown (overflow-y: scroll), so shown from the start: Textual decides it only
        # when a layout gives the table its size, and a scrollbar that appears then takes
        # another layout and frame (the tab's first paint had its rows without it).
        self.show_vertical_scrollbar = True

    def on_resize(self, event: events.Resize) -> None:
        # OptionList's own handler forgets the rows' lines and repaints the table: a row here
        # is one line at any width, drawn for the width (see _get_option_render), and the
        # layout that resized the table painted it. That repaint was a frame of its own.
        event.prevent_default()
        self._strips.clear()  # drawn at the old width

    def _update_lines(self) -> None:
        # OptionList calls this for every line it draws (17 a frame), and each call measures
        # the widget's content region (~40 us); with no rows added or counted anew (a resize
        # clears the count), the same size and scrollbar, there is nothing to do.
        if self._counting_key() == self._counted:
            return
        super()._update_lines()
        self._counted = self._counting_key()

    def _counting_key(self) -> tuple[int, int, Size, bool]:
        counted = len(self._line_cache.heights)
        return (self.option_count, counted, self.size, self.show_vertical_scrollbar)

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        # OptionList turns each row into a Visual and renders it (~0.5 ms a row, for every
        # row that scrolls into view); a row here is plain text in one style: one segment.
        index = self._option_to_index[option]
        width = self.scrollable_content_region.width
        row_style = "option-list--option"
        if index % 2 == 0 and style == self.get_visual_style(row_style):  # not the cursor's
            style = self.get_visual_style(row_style, "documents-table--even-row")
        rich_style = style.rich_style
        key = (index, rich_style, width)
        if (strip := self._strips.get(key)) is None:
            # One segment, padded to the width, its style with the option's index for the
            # mouse (what Strip.extend_cell_length and apply_meta give, with fewer objects).
            text = cut(cast(Text, option.prompt).plain, width)
            text += " " * (width - cell_len(text))
            segment = Segment(text, rich_style + Style.from_meta({"option": index}))
            strip = self._strips[key] = Strip([segment], width)
        return [strip]

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
        self._frames_held = False  # see open
        self._customer_width = CUSTOMER_WIDTH
        self._status_timer: Timer | None = None

    def _columns(self) -> list[Column]:
        # Headers no wider than their columns (German too): "Art", "Datum", "Betrag". The Kind
        # column is as wide as its words in the language shown (4 in English, 5 in German).
        kind = _("Kind")
        kind_width = max(cell_len(kind), *(cell_len(_(cell)) for cell in KIND_CELLS.values()))
        return [
            Column(kind, kind_width),
            Column(_("Number"), 13),
            Column(_("Customer"), self._customer_width),
            Column(_("Issued"), 10),
            Column(_("Amount"), 14, right=True),
            Column(_("Status"), 10),
        ]

    def _fitting_customer_width(self, width: int) -> int:
        """The customer column takes the width the others leave in ``width`` cells: at 120
        columns a name such as "Nordic Chemicals AG" is whole. Each column has a cell of
        padding either side, and one column is kept for the scrollbar."""
        columns = self._columns()
        others = sum(c.width for c in columns) - self._customer_width
        room = width - others - 2 * len(columns) - 1
        return max(CUSTOMER_WIDTH, min(room, MAX_CUSTOMER_WIDTH))

    def on_resize(self) -> None:
        self._fit_columns(self.size.width)

    def _fit_columns(self, pane_width: int) -> None:
        width = self._fitting_customer_width(pane_width)
        if width == self._customer_width:
            return
        self._customer_width = width
        columns = self._columns()
        self._headings.update(self._headings_line(columns))
        self.table.set_columns(columns)  # names cut again to the new width

    def _headings_line(self, columns: Sequence[Column]) -> Text:
        return table_line([c.title for c in columns], columns)

    def make_view(self) -> Widget:
        columns = self._columns()
        headings = ColumnHeadings(self._headings_line(columns), id="document-headings")
        table = DocumentsTable(columns, id="documents")
        return Vertical(headings, table, id="documents-view")

    @property
    def table(self) -> DocumentsTable:
        return self.query_one(DocumentsTable)

    @property
    def _headings(self) -> ColumnHeadings:
        return self.query_one(ColumnHeadings)

    @property
    def documents(self) -> list[Document]:
        return self.items

    def load_on_mount(self) -> bool:
        return False  # loaded when first shown: start-up only pays for the Messages tab

    def open(self) -> None:
        """The tab is being shown (the home screen's tab switch calls this before the tab is
        laid out): the first time, load the first page and hold the app's frames until its
        rows are in, or FIRST_PAGE_WAIT has passed, so the tab appears with its rows in one
        paint. (Loaded when the pane heard it was shown, the layout that told it had already
        painted the empty tab, and the rows were a second frame.)"""
        if self._loaded:
            return
        self._loaded = True
        # The columns fitted before the first layout (the tab spans the screen): fitted when
        # that layout's Resize came, after it had painted, they were a frame of their own.
        self._fit_columns(self.screen.size.width)
        # Keys typed before the first rows are there (2 ↓ ↓ Enter in a burst) are for
        # those rows: on an empty table ↓ and Enter did nothing and were lost.
        self.app.key_gate.hold(self)
        self.app._begin_batch()  # Textual's batch_update, held across the store's answer
        self._frames_held = True
        self.set_timer(FIRST_PAGE_WAIT, self._release_frames)
        self.reload()

    def on_show(self) -> None:
        self.open()  # shown before the tab's switch could tell it (mounted into a shown tab)

    def _release_frames(self) -> None:
        if self._frames_held:
            self._frames_held = False
            self.app._end_batch()

    @on(PagedList.Loaded)
    def _first_rows_shown(self, event: PagedList.Loaded) -> None:
        if event.paged_list is self:  # rows or an error shown: the keys may go on
            self._release_frames()
            self.app.key_gate.release(self)

    def on_unmount(self) -> None:
        self._release_frames()
        self.app.key_gate.release(self)  # gone before its rows came (the app quit)

    def reload(self, filter: DocumentFilter | None = None) -> Worker[None]:
        loading = super().reload(filter)
        # The new filter shows in the status line with its rows, in one frame (the store
        # answers in a few ms; shown at once it was a frame of its own before the rows'); a
        # store slower than STATUS_DELAY shows it while the rows are awaited.
        if self._status_timer is not None:
            self._status_timer.stop()
        self._status_timer = self.set_timer(STATUS_DELAY, self._status_while_loading)
        return loading

    def _status_while_loading(self) -> None:
        self._status_timer = None
        if self._searching is not None and not self._searching.is_finished:
            self._show_status()

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
        rows = [
            (
                str(d.id),
                (
                    _(KIND_CELLS[d.kind]),
                    printable_line(d.number),
                    one_line(d.customer_name, MAX_CUSTOMER_WIDTH),
                    issued_cell(d.issued),
                    printable_line(formats.amount(d.amount, d.currency)),
                    printable_line(document_status(d.status)),
                ),
            )
            for d in items
        ]
        self.table.show(rows, first=first)

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

    @on(OptionList.OptionHighlighted, "#documents")
    def _prefetch(self, event: OptionList.OptionHighlighted) -> None:
        self.cursor_at(event.option_index)

    @on(OptionList.OptionSelected, "#documents")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.post_message(self.Opened(int(event.option.id)))

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
