"""The customers of the network, searched by name, network id or city as you type (the "+"
picker). The store pages by name, so a network of 10,000 customers costs one page per search."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from ...i18n import N_, _
from ...model import Customer, Page
from ..format import one_line, pad
from .paged_list import PagedList
from .row_list import RowList

PAGE_SIZE = 50
HINT = N_("↑↓ move · Enter choose · Esc cancel")


def customer_prompt(customer: Customer, width: int) -> Text:
    # Five columns: "✉ on " / "✉ off" (German "✉ an " / "✉ aus").
    state = _("✉ on ") if customer.messaging_enabled else _("✉ off")
    name_width = max(width - 38, 12)
    text = Text(no_wrap=True, overflow="ellipsis")
    # Padded by cells: a double-width (CJK) name padded by len() ran the row past the edge.
    text.append(pad(one_line(customer.name, name_width), name_width + 1))
    text.append(pad(one_line(customer.network_id, 14), 15), style="dim")
    text.append(pad(one_line(customer.city, 14), 15), style="dim")
    text.append(state, style="" if customer.messaging_enabled else "dim italic")
    return text


def closest(query: str, customers: Sequence[Customer]) -> int:
    """The row the highlight starts on after a search, so Enter takes the closest name:

    1. a name (or network id) equal to the query, ignoring case and extra spaces;
    2. else a name that starts with the query, the shortest first ("rhein" ranks
       "Rhein Retail Inc." above "Rhein Retail East Inc.": fewer letters not typed);
    3. else the first row (the store's order, by name).

    Ties keep the store's order. Only the rows loaded (the first page) are ranked.
    """

    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    typed = key(query)
    if not typed:
        return 0
    best, best_rank = 0, (3, 0)
    for index, customer in enumerate(customers):
        name = key(customer.name)
        if name == typed or key(customer.network_id) == typed:
            return index
        rank = (2, len(name)) if name.startswith(typed) else (3, 0)
        if rank < best_rank:
            best, best_rank = index, rank
    return best


@dataclass(frozen=True)
class CustomerQuery:
    query: str = ""


class CustomerList(PagedList[Customer, CustomerQuery]):
    """Posts :class:`CustomerList.Chosen` for Enter on a row, or Enter in the search box (the
    first match of the query typed, searched first if the typing pause has not ended)."""

    FIRST_PAGE = PAGE_SIZE
    PAGE_SIZE = PAGE_SIZE
    PREFETCH_ROWS = 10
    #: Keys typed while a search is still running are gathered until this pause in typing,
    #: then searched once (the latest query). A key while the store is idle searches at once.
    SEARCH_DELAY = 0.06
    SEARCH_WHEN_IDLE = True
    WORKERS = "customer-picker"
    SEARCH_ID = "customer-search"
    SEARCH_PLACEHOLDER = N_("Search name, network id or city")
    STATUS_ID = "picker-status"
    STATUS_BELOW = True
    STATUS_CLASSES = "hint"

    @dataclass
    class Chosen(Message):
        customer: Customer

    def __init__(self, query: str = "", *, id: str | None = None) -> None:
        super().__init__(CustomerQuery(query), id=id)
        self.customers: dict[str, Customer] = {}
        self._rendered_width = 0

    def make_view(self) -> OptionList:
        return RowList(id="customer-list")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#customer-list", OptionList)

    async def fetch(self, filter: CustomerQuery, cursor: str | None, limit: int) -> Page[Customer]:
        return await self.app.store.list_customers(filter.query, cursor=cursor, limit=limit)

    def _row_width(self) -> int:
        # Room for the scrollbar whether it shows or not: the rows do not depend on whether the
        # first page is longer than the list is high. Before layout, a guess (redrawn on resize).
        options = self.option_list
        width = options.content_region.width
        return (width - options.styles.scrollbar_size_vertical if width else 70) - 1

    def show_rows(self, items: Sequence[Customer], *, first: bool) -> None:
        width = self._rendered_width = self._row_width()
        options = [Option(customer_prompt(c, width), id=str(c.id)) for c in items]
        if first:
            self.customers = {}
            self.option_list.set_options(options)
            if options:
                self.option_list.highlighted = closest(self.filter.query, items)
        else:
            self.option_list.add_options(options)
        self.customers.update({str(c.id): c for c in items})

    def on_resize(self) -> None:
        # The first page may come before the layout: draw the rows again at the real width.
        if self.items and self._row_width() != self._rendered_width:
            highlighted = self.option_list.highlighted
            self.show_rows(self.items, first=True)
            self.option_list.highlighted = highlighted

    def item_key(self, item: Customer) -> Hashable:
        return item.id

    def status_text(self) -> str:
        if not self.customers and self.filter.query:
            return _("No customer matches “{query}”").format(query=self.filter.query)
        return _(HINT)

    def move(self, step: int) -> None:
        options = self.option_list
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def submitted(self, searching: Worker[None] | None) -> None:
        # Keys typed after Enter wait until it has chosen: they are meant for the screen that
        # the choice leads to (the picker's owner releases them once it is shown).
        self.app.key_gate.hold(self.screen)
        if searching is None:
            self._choose_highlighted()
        else:
            # Enter before the search of the text typed ended: choose from its results.
            self.run_worker(self._choose_when_found(searching), group="customer-picker-choose")

    async def _choose_when_found(self, searching: Worker[None]) -> None:
        try:
            await searching.wait()
        except (WorkerCancelled, WorkerFailed):  # replaced by a newer search, or failed
            self.app.key_gate.release(self.screen)
            return
        if self.gone:  # the picker closed (or the app quit) meanwhile
            return
        self._choose_highlighted()

    def _choose_highlighted(self) -> None:
        option = self.option_list.highlighted_option
        if option is not None and option.id in self.customers:
            self.post_message(self.Chosen(self.customers[option.id]))
        else:
            self.app.key_gate.release(self.screen)  # nothing chosen: keys go on here

    @on(OptionList.OptionSelected, "#customer-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self.customers:
            self.post_message(self.Chosen(self.customers[event.option.id]))

    @on(OptionList.OptionHighlighted, "#customer-list")
    def _prefetch(self, event: OptionList.OptionHighlighted) -> None:
        self.cursor_at(event.option_index)
