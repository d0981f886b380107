"""The "+" customer picker: search by name, network id or city; pick with Enter.

Filtered through the store as you type (the store pages by name, so a network of 10,000
customers costs one page per keystroke pause). ↓/↑ move in the list even while typing.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from ...model import MAX_SEARCH_CHARS, Customer
from ...store import StoreError
from ...terminal_text import printable_line
from ..base import NetmsgModalScreen
from ..format import one_line
from ..widgets.steady import steady

PAGE_SIZE = 50
#: Keys typed while a search is still running are gathered until this pause in typing, then
#: searched once (the latest query). A key while the store is idle searches at once.
SEARCH_DELAY = 0.06


def customer_prompt(customer: Customer, width: int) -> Text:
    state = "✉ on " if customer.messaging_enabled else "✉ off"
    name_width = max(width - 38, 12)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{one_line(customer.name, name_width):<{name_width}} ")
    text.append(f"{printable_line(customer.network_id):<14} ", style="dim")
    text.append(f"{one_line(customer.city, 14):<15}", style="dim")
    text.append(state, style="" if customer.messaging_enabled else "dim italic")
    return text


class CustomerPicker(NetmsgModalScreen[Customer | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker-down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker-up"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self.customers: dict[str, Customer] = {}
        self._next_cursor: str | None = None
        self._search_timer: Timer | None = None
        self._query = query
        self._searching: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static("Choose a customer", classes="dialog-title")
            yield steady(
                Input(
                    self._initial,
                    placeholder="Search name, network id or city",
                    id="customer-search",
                    max_length=MAX_SEARCH_CHARS,
                    compact=True,
                )
            )
            yield OptionList(id="customer-list")
            yield Static("↑↓ move · Enter choose · Esc cancel", id="picker-status", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._searching = self._load(self._query)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#customer-list", OptionList)

    @work(exclusive=True, group="customer-picker")
    async def _load(self, query: str, cursor: str | None = None) -> None:
        try:
            page = await self.app.store.list_customers(query, cursor=cursor, limit=PAGE_SIZE)
        except StoreError as exc:
            self.query_one("#picker-status", Static).update(f"⚠ {exc}")
            return
        width = (self.option_list.scrollable_content_region.width or 70) - 1
        options = [Option(customer_prompt(c, width), id=str(c.id)) for c in page.items]
        if cursor is None:
            self.customers = {}
            self.option_list.set_options(options)
            if options:
                self.option_list.highlighted = 0
        else:
            self.option_list.add_options(options)
        self.customers.update({str(c.id): c for c in page.items})
        self._next_cursor = page.next_cursor
        status = "↑↓ move · Enter choose · Esc cancel"
        if not self.customers:
            status = f"No customer matches “{query}”"
        self.query_one("#picker-status", Static).update(status)

    @on(Input.Changed, "#customer-search")
    def _changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if self._searching is None or self._searching.is_finished:
            self._search_now()  # the store is idle: no reason to wait
        else:
            self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    def _search_now(self) -> None:
        # _load is an exclusive worker: a newer query cancels an older one still waiting on the
        # store, so the list always ends on the latest query.
        query = self.query_one(Input).value.strip()
        if query != self._query:
            self._query = query
            self._searching = self._load(query)

    @on(Input.Submitted, "#customer-search")
    def _submitted(self) -> None:
        query = self.query_one(Input).value.strip()
        if query != self._query:
            # Enter before the pause ended: search now, then choose the first match.
            self._query = query
            self._load_then_choose(query)
            return
        self._choose_highlighted()

    @work(exclusive=True, group="customer-picker-choose")
    async def _load_then_choose(self, query: str) -> None:
        await self._load(query).wait()
        self._choose_highlighted()

    def _choose_highlighted(self) -> None:
        option = self.option_list.highlighted_option
        if option is not None and option.id in self.customers:
            self.dismiss(self.customers[option.id])

    @on(OptionList.OptionSelected, "#customer-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in self.customers:
            self.dismiss(self.customers[event.option.id])

    @on(OptionList.OptionHighlighted, "#customer-list")
    def _prefetch(self, event: OptionList.OptionHighlighted) -> None:
        if self._next_cursor and event.option_index >= len(self.customers) - 10:
            cursor, self._next_cursor = self._next_cursor, None
            self._load(self._query, cursor)

    def action_move(self, step: int) -> None:
        options = self.option_list
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
