"""The network's rules, shown where a composer would be: upgrade text, contact card."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...i18n import _
from ...model import UPGRADE_TEXT, Customer
from ...terminal_text import printable_line


class UpgradeNotice(Static):
    """Standard plan: messaging needs Enterprise; says how to upgrade."""

    def __init__(self, *, id: str | None = None) -> None:
        text = Text()
        text.append(_("Messaging needs an Enterprise account") + "\n", style="bold")
        text.append(UPGRADE_TEXT)
        super().__init__(text, id=id, classes="notice upgrade-notice")


class ContactCard(Static):
    """A customer without messaging: the contact information it provided, instead of a composer."""

    def __init__(self, customer: Customer, *, id: str | None = None) -> None:
        c = customer.contact
        text = Text()
        closed = _("{customer} has not enabled messaging.").format(
            customer=printable_line(customer.name)
        )
        text.append(closed + "\n", style="bold")
        text.append(_("Contact them directly:") + "\n")
        rows = (
            (_("Contact"), c.name),
            (_("Email"), c.email),
            (_("Phone"), c.phone),
            (_("Address"), c.address),
        )
        width = max(8, *(len(label) for label, _value in rows))  # the values in one column
        for label, value in rows:
            text.append(f"  {label:<{width}} ", style="dim")
            text.append(f"{printable_line(value)}\n")
        super().__init__(text, id=id, classes="notice contact-card")
        self.customer = customer
        self.can_focus = True
