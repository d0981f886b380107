"""Rows and cursors of the PostgreSQL adapter: the mapping, columns and cursors every SQL adapter
shares (:mod:`netmsg_tui.store.sql`, re-exported here for the adapter's modules; PostgreSQL hands
back ``datetime``, ``date``, ``Decimal`` and ``bool`` itself, which the mapping takes as they
are), and the time cursor as a ``datetime``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..base import InvalidInput
from ..sql import (
    ATTACHMENT_COLUMNS,
    BAD_CURSOR,
    CONVERSATION_COLUMNS,
    CUSTOMER_COLUMNS,
    DOCUMENT_COLUMNS,
    MESSAGE_COLUMNS,
    attachment,
    conversation,
    customer,
    document,
    escape_like,
    int_cursor,
    like_pattern,
    line_item,
    make_cursor,
    message,
    split_cursor,
    timestamp,
)

__all__ = [
    "ATTACHMENT_COLUMNS",
    "BAD_CURSOR",
    "CONVERSATION_COLUMNS",
    "CUSTOMER_COLUMNS",
    "DOCUMENT_COLUMNS",
    "MESSAGE_COLUMNS",
    "Row",
    "attachment",
    "conversation",
    "customer",
    "document",
    "escape_like",
    "int_cursor",
    "like_pattern",
    "line_item",
    "make_cursor",
    "message",
    "split_cursor",
    "time_cursor",
    "timestamp",
]

#: A row as psycopg returns it.
Row = tuple[Any, ...]


def time_cursor(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(BAD_CURSOR) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
