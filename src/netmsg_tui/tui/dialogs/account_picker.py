"""Choose one of the accounts this caller may read (support staff granted several): at start,
and with `a` or the palette to switch. Enter picks, Escape keeps the account shown."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, _
from ...model import Account
from ..base import NetmsgModalScreen
from ..safe_text import safe_text

PLAN_NAMES = {"enterprise": N_("Enterprise"), "standard": N_("Standard")}


def account_prompt(account: Account, current: bool) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("● " if current else "  ")
    text.append(safe_text(account.name, "bold"))
    plan = PLAN_NAMES.get(account.plan)
    text.append(f"  #{account.id} · {_(plan) if plan else account.plan.capitalize()}", "dim")
    return text


class AccountPicker(NetmsgModalScreen[int | None]):
    """Dismisses with the chosen account's id, or None (Escape)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="account-cancel")]

    def __init__(self, accounts: Sequence[Account], current: int | None = None) -> None:
        super().__init__()
        self.accounts = tuple(accounts)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="account-picker"):
            yield Static(_("Choose the account to read"), classes="dialog-title")
            yield OptionList(
                *(Option(account_prompt(a, a.id == self.current), id=str(a.id))
                  for a in self.accounts),
                id="accounts",
            )  # fmt: skip
            yield Static(_("Enter: open · Escape: keep the account shown"), classes="hint")

    def on_mount(self) -> None:
        accounts = self.query_one("#accounts", OptionList)
        ids = [a.id for a in self.accounts]
        if self.current in ids:
            accounts.highlighted = ids.index(self.current)
        accounts.focus()

    @on(OptionList.OptionSelected, "#accounts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.accounts[event.option_index].id)

    def action_cancel(self) -> None:
        self.dismiss(None)
