"""The SQLite adapter's rows: the mapping, columns and cursors every SQL adapter shares
(:mod:`netmsg_tui.store.sql`, re-exported here for the adapter's modules), and SQLite's own
helpers: times stored as text, the FTS5 query."""

from __future__ import annotations

from datetime import UTC, datetime

from ..sql import (
    ATTACHMENT_COLUMNS,
    CONVERSATION_COLUMNS,
    CUSTOMER_COLUMNS,
    DOCUMENT_COLUMNS,
    MESSAGE_COLUMNS,
    Row,
    attachment,
    conversation,
    customer,
    document,
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
    "CONVERSATION_COLUMNS",
    "CUSTOMER_COLUMNS",
    "DOCUMENT_COLUMNS",
    "MESSAGE_COLUMNS",
    "Row",
    "attachment",
    "conversation",
    "customer",
    "document",
    "fts_query",
    "int_cursor",
    "like_pattern",
    "line_item",
    "make_cursor",
    "message",
    "now_text",
    "parse_time",
    "split_cursor",
    "timestamp",
]


def now_text() -> str:
    return timestamp(datetime.now(UTC))


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def fts_query(query: str) -> str:
    """Turn what a person typed into an FTS5 query: every word must match, as a prefix."""
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"*' for w in words if w)
