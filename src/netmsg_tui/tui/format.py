"""Text for the screen: relative times, origins, one-line previews. Pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Static

from ..model import Conversation, Document, Message
from ..terminal_text import printable_line

ORIGIN_LABELS = {"app": "typed here", "email": "replied by email", "api": "via the API"}
KIND_SHORT = {"purchase_order": "PO", "invoice": "Invoice"}
KIND_COLUMN = {"purchase_order": "PO", "invoice": "Inv"}  # a 4-column table cell


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'now', '5m', '3h', '2d', then a date: short enough for an 80-column row."""
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)}d"
    local = moment.astimezone()
    if local.year == now.astimezone().year:
        return local.strftime("%d %b")
    return local.strftime("%d %b %Y")


def clock_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def count_note(length: int, limit: int) -> str:
    """A field's live count as its limit nears: "" below 90 % of ``limit``, then "187/200",
    and past it "205/200, 5 over" (Send refuses it: nothing typed is dropped)."""
    if length * 10 < limit * 9:
        return ""
    note = f"{length:,}/{limit:,}"
    return f"{note}, {length - limit:,} over" if length > limit else note


def show_count(counter: Static, length: int, limit: int) -> None:
    """Put :func:`count_note` in ``counter`` (a Static of class ``count``)."""
    note = count_note(length, limit)
    counter.update(note)
    counter.set_class(not note, "-empty")
    counter.set_class(length > limit, "-over")


def one_line(text: str, width: int) -> str:
    """Whitespace folded to single spaces, controls shown as placeholders (outside text goes
    through here), cut to ``width`` with an ellipsis."""
    flat = printable_line(" ".join(text.split()))
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def document_label(conversation: Conversation) -> str:
    return conversation.document_number or ""


def origin_label(message: Message) -> str:
    if message.origin == "app" and message.author_kind == "customer":
        return "on the network"  # "typed here" would claim it was typed in this app
    # An unknown origin (from a server newer, or hostile) is shown, as data.
    return ORIGIN_LABELS.get(message.origin, printable_line(message.origin))


def money(document: Document) -> str:
    return f"{document.amount:,.2f} {document.currency}"
