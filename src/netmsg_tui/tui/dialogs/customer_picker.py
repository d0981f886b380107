"""The "+" customer picker: search by name, network id or city; pick with Enter.

↓/↑ move in the list even while typing."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ...i18n import N_, _
from ...model import Customer
from ..base import NetmsgModalScreen
from ..widgets.customer_list import PAGE_SIZE, CustomerList, customer_prompt

__all__ = ["PAGE_SIZE", "CustomerPicker", "customer_prompt"]


class CustomerPicker(NetmsgModalScreen[Customer | None]):
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="picker-cancel"),
        Binding("down", "move(1)", N_("Next"), show=False, id="picker-down"),
        Binding("up", "move(-1)", N_("Previous"), show=False, id="picker-up"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(_("Choose a customer"), classes="dialog-title")
            yield CustomerList(self._initial, id="customers")

    def on_mount(self) -> None:
        search = self.query_one(Input)
        # Text typed before the picker opened is kept and added to, never replaced.
        search.select_on_focus = False
        search.cursor_position = len(search.value)
        search.focus()

    @property
    def customers(self) -> CustomerList:
        return self.query_one(CustomerList)

    @on(CustomerList.Chosen)
    def _chosen(self, event: CustomerList.Chosen) -> None:
        self.dismiss(event.customer)
        self.app.key_gate.release(self)  # keys held by Enter go where the choice leads

    def on_unmount(self) -> None:
        self.app.key_gate.release(self)

    def action_move(self, step: int) -> None:
        self.customers.move(step)

    def action_cancel(self) -> None:
        self.dismiss(None)
