"""The network's rules, shown where a composer would be: upgrade text, contact card."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...model import UPGRADE_TEXT, Customer
from ...terminal_text import printable_line


class UpgradeNotice(Static):
    """Standard plan: messaging needs Enterprise; says how to upgrade."""

    def __init__(self, *, id: str | None = None) -> None:
        text = Text()
        text.append("Messaging needs an Enterprise account\n", style="bold")
        text.append(UPGRADE_TEXT)
        super().__init__(text, id=id, classes="notice upgrade-notice")


class ContactCard(Static):
    """A customer without messaging: the contact information it provided, instead of a composer."""

    def __init__(self, customer: Customer, *, id: str | None = None) -> None:
        c = customer.contact
        text = Text()
        text.append(f"{printable_line(customer.name)} has not enabled messaging.\n", style="bold")
        text.append("Contact them directly:\n")
        for label, value in (
            ("Contact", c.name),
            ("Email", c.email),
            ("Phone", c.phone),
            ("Address", c.address),
        ):
            text.append(f"  {label:<8} ", style="dim")
            text.append(f"{printable_line(value)}\n")
        super().__init__(text, id=id, classes="notice contact-card")
        self.customer = customer
        self.can_focus = True
