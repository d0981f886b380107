"""The network's rules, shown where a composer would be: upgrade text, contact card."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.widgets import Static

from ...i18n import N_, _
from ...model import UPGRADE_TEXT, Customer
from ...terminal_text import printable_line


class UpgradeNotice(Static):
    """Standard plan: messaging needs Enterprise; says how to upgrade."""

    def __init__(self, *, id: str | None = None) -> None:
        text = Text()
        text.append(_("Messaging needs an Enterprise account") + "\n", style="bold")
        text.append(_(UPGRADE_TEXT))  # the model marks it N_
        super().__init__(text, id=id, classes="notice upgrade-notice")


class ContactCard(ScrollableContainer):
    """A customer without messaging: the contact information it provided, instead of a composer.

    Each value is on a line of its own and never wrapped: an email address or phone number
    split over two lines ("…@example.c" / "om") could not be copied. A line wider than the
    card scrolls sideways (←/→, Home/End while the card has the focus) instead."""

    BINDINGS = [
        Binding(
            "home", "scroll_sideways(False)", N_("Line start"), show=False, id="card-line-start"
        ),
        Binding("end", "scroll_sideways(True)", N_("Line end"), show=False, id="card-line-end"),
    ]

    def __init__(self, customer: Customer, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="notice contact-card")
        self.customer = customer
        self.can_focus = True

    @property
    def heading(self) -> Text:
        text = Text()
        closed = _("{customer} has not enabled messaging.").format(
            customer=printable_line(self.customer.name)
        )
        text.append(closed + "\n", style="bold")
        text.append(_("Contact them directly:"))
        return text

    @property
    def details(self) -> Text:
        c = self.customer.contact
        text = Text(no_wrap=True, overflow="ignore", end="")
        rows = (
            (_("Contact"), c.name),
            (_("Email"), c.email),
            (_("Phone"), c.phone),
            (_("Address"), c.address),
        )
        width = max(8, *(len(label) for label, _value in rows))  # the values in one column
        for index, (label, value) in enumerate(rows):
            text.append(f"  {label:<{width}} ", style="dim")
            text.append(printable_line(value))
            if index < len(rows) - 1:
                text.append("\n")
        return text

    @property
    def text(self) -> str:
        """All the card says, as plain text."""
        return f"{self.heading.plain}\n{self.details.plain}"

    def action_scroll_sideways(self, to_end: bool) -> None:
        self.scroll_to(x=self.max_scroll_x if to_end else 0, animate=False)

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="contact-heading")
        yield Static(self.details, classes="contact-details")
