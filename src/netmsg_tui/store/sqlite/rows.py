"""Row <-> model mapping and small SQL helpers for the SQLite adapter."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ...model import (
    Attachment,
    Contact,
    Conversation,
    Customer,
    Document,
    LineItem,
    Message,
)
from ..base import InvalidInput

Row = tuple[Any, ...] | sqlite3.Row

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


def now_text() -> str:
    return timestamp(datetime.now(UTC))


def timestamp(moment: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def customer(row: Row) -> Customer:
    return Customer(
        id=row[0],
        name=row[1],
        network_id=row[2],
        city=row[3],
        messaging_enabled=bool(row[4]),
        contact=Contact(name=row[5], email=row[6], phone=row[7], address=row[8]),
    )


def document(row: Row, items: tuple[LineItem, ...] = ()) -> Document:
    return Document(
        id=row[0],
        kind=row[1],
        number=row[2],
        customer_id=row[3],
        customer_name=row[4],
        issued=date.fromisoformat(row[5]),
        amount=Decimal(row[6]),
        currency=row[7],
        status=row[8],
        line_items=items,
    )


def line_item(row: Row) -> LineItem:
    return LineItem(
        line=row[0], description=row[1], quantity=Decimal(row[2]), unit_price=Decimal(row[3])
    )


def conversation(row: Row) -> Conversation:
    return Conversation(
        id=row[0],
        customer_id=row[1],
        customer_name=row[2],
        subject=row[3],
        document_id=row[4],
        document_number=row[5],
        created=parse_time(row[6]),
        last_activity=parse_time(row[7]),
        unread_count=row[8],
        message_count=row[9],
        last_preview=row[10],
    )


def attachment(row: Row) -> Attachment:
    return Attachment(id=row[0], filename=row[1], size=row[2], media_type=row[3], sha256=row[4])


def message(row: Row, attachments: tuple[Attachment, ...] = ()) -> Message:
    return Message(
        id=row[0],
        conversation_id=row[1],
        author=row[2],
        author_kind=row[3],
        body=row[4],
        sent_at=parse_time(row[5]),
        origin=row[6],
        attachments=attachments,
    )


# --- cursors --------------------------------------------------------------------------------------
def make_cursor(*parts: object) -> str:
    return "|".join(str(p) for p in parts)


def split_cursor(cursor: str, count: int) -> list[str]:
    parts = cursor.split("|")
    if len(parts) != count or not all(parts):
        raise InvalidInput("That page cursor is not valid; start again from the first page")
    return parts


def int_cursor(cursor: str) -> int:
    # ASCII digits of a 64-bit id only: int() also takes "١٢", " 7" and ids SQLite cannot hold.
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 19) or int(cursor) >= 2**63:
        raise InvalidInput("That page cursor is not valid; start again from the first page")
    return int(cursor)


def like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_query(query: str) -> str:
    """Turn what a person typed into an FTS5 query: every word must match, as a prefix."""
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"*' for w in words if w)
