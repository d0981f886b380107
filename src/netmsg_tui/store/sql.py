"""What every SQL adapter shares: the common schema's column lists, rows -> model objects, page
cursors and listing limits. Pure: no driver is imported here.

Both adapters select the same columns in the same order, so one mapping serves both. Values come
as SQLite stores them (text times and dates, decimal text, 0/1) or typed as PostgreSQL returns
them (``datetime``, ``date``, ``Decimal``, ``bool``): the mapping takes either. Cursors have one
shape for every adapter (``value|id``), so a client cannot tell the stores apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from ..i18n import N_, _
from ..model import (
    MAX_PAGE_SIZE,
    MAX_SEARCH_CHARS,
    Attachment,
    Contact,
    Conversation,
    Customer,
    Document,
    LineItem,
    Message,
    Page,
)
from .base import InvalidInput

T = TypeVar("T")
Row = Sequence[Any]

CUSTOMER_COLUMNS = (
    "c.id, c.name, c.network_id, c.city, c.messaging_enabled, "
    "c.contact_name, c.contact_email, c.contact_phone, c.contact_address"
)
DOCUMENT_COLUMNS = (
    "d.id, d.kind, d.number, d.customer_id, cu.name, d.issued, d.amount, d.currency, d.status"
)
CONVERSATION_COLUMNS = (
    "v.id, v.customer_id, cu.name, v.subject, v.document_id, d.number, v.created, "
    "v.last_activity, COALESCE(u.count, 0), v.message_count, v.last_preview"
)
MESSAGE_COLUMNS = (
    "m.id, m.conversation_id, m.author_name, m.author_kind, m.body, m.sent_at, m.origin"
)
ATTACHMENT_COLUMNS = "a.id, a.filename, a.size, a.media_type, a.sha256"

BAD_CURSOR = N_("That page cursor is not valid; start again from the first page")


# --- values ---------------------------------------------------------------------------------------
def timestamp(moment: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order (SQLite's stored times, and every
    adapter's time cursors)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def moment(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# --- rows -----------------------------------------------------------------------------------------
# Each unpacks the columns of its *_COLUMNS list, in that order.
def customer(row: Row) -> Customer:
    customer_id, name, network_id, city, enabled, *contact = row
    return Customer(customer_id, name, network_id, city, bool(enabled), Contact(*contact))


def document(row: Row, items: tuple[LineItem, ...] = ()) -> Document:
    doc_id, kind, number, customer_id, customer_name, issued, amount, currency, status = row
    return Document(
        doc_id, kind, number, customer_id, customer_name, day(issued), Decimal(amount), currency,
        status, items,
    )  # fmt: skip


def line_item(row: Row) -> LineItem:
    line, description, quantity, unit_price = row
    return LineItem(line, description, Decimal(quantity), Decimal(unit_price))


def conversation(row: Row) -> Conversation:
    conv_id, customer_id, customer_name, subject, doc_id, doc_number, *rest = row
    created, last_activity, unread, count, preview = rest
    return Conversation(
        conv_id, customer_id, customer_name, subject, doc_id, doc_number, moment(created),
        moment(last_activity), unread, count, preview,
    )  # fmt: skip


def attachment(row: Row) -> Attachment:
    return Attachment(*row)


def message(row: Row, attachments: tuple[Attachment, ...] = ()) -> Message:
    message_id, conversation_id, author, author_kind, body, sent_at, origin = row
    return Message(
        message_id, conversation_id, author, author_kind, body, moment(sent_at), origin, attachments
    )


# --- listings and cursors -------------------------------------------------------------------------
def check_listing(query: str, limit: int) -> None:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(
            _("Page size must be between 1 and {max_page_size}").format(max_page_size=MAX_PAGE_SIZE)
        )
    if len(query) > MAX_SEARCH_CHARS:
        raise InvalidInput(
            _("Search text is longer than {max_search_chars} characters").format(
                max_search_chars=MAX_SEARCH_CHARS
            )
        )


def page(found: list[T], limit: int, cursor_of: Callable[[T], str]) -> Page[T]:
    """The first ``limit`` of ``found`` (fetched as ``limit + 1`` rows, to know if more follow)."""
    if len(found) > limit:
        return Page(tuple(found[:limit]), cursor_of(found[limit - 1]))
    return Page(tuple(found), None)


def make_cursor(*parts: object) -> str:
    return "|".join(str(p) for p in parts)


def conversation_cursor(conversation: Conversation) -> str:
    """Where a page of conversations, newest activity first, ended."""
    return make_cursor(timestamp(conversation.last_activity), conversation.id)


def split_cursor(cursor: str, count: int) -> list[str]:
    parts = cursor.split("|")
    if len(parts) != count or not all(parts):
        raise InvalidInput(_(BAD_CURSOR))
    return parts


def int_cursor(cursor: str) -> int:
    # ASCII digits of a 64-bit id only: int() also takes "١٢", " 7" and ids no database holds.
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 19) or int(cursor) >= 2**63:
        raise InvalidInput(_(BAD_CURSOR))
    return int(cursor)


def escape_like(text: str) -> str:
    """LIKE's own characters escaped with a backslash (used with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(text: str) -> str:
    """``%text%``, matching ``text`` anywhere."""
    return f"%{escape_like(text)}%"
