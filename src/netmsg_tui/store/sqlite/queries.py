"""Queries of the SQLite adapter that run on its store thread (called from :mod:`.sqlite`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from ...model import (
    MAX_NOTIFY_ADDRESSES,
    MAX_PAGE_SIZE,
    MAX_SEARCH_CHARS,
    Attachment,
    Conversation,
    Customer,
    Identity,
    Message,
    NotificationPrefs,
    Page,
    User,
)
from ..base import InvalidInput, NotFound
from . import rows as rows

T = TypeVar("T")
Conn = sqlite3.Connection


def check_listing(query: str, limit: int) -> None:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"Page size must be between 1 and {MAX_PAGE_SIZE}")
    if len(query) > MAX_SEARCH_CHARS:
        raise InvalidInput(f"Search text is longer than {MAX_SEARCH_CHARS} characters")


def page(found: list[T], limit: int, cursor_of: Callable[[T], str]) -> Page[T]:
    if len(found) > limit:
        return Page(tuple(found[:limit]), cursor_of(found[limit - 1]))
    return Page(tuple(found), None)


def get_customer_row(conn: Conn, me: Identity, customer_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        f"SELECT {rows.CUSTOMER_COLUMNS} FROM relationships r "
        "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = ? AND c.id = ?",
        (me.account.id, customer_id),
    ).fetchone()
    if row is None:
        raise NotFound(f"Customer {customer_id} does not exist")
    return tuple(row)


def get_customer(conn: Conn, me: Identity, customer_id: int) -> Customer:
    return rows.customer(get_customer_row(conn, me, customer_id))


def get_document(conn: Conn, me: Identity, document_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        f"SELECT {rows.DOCUMENT_COLUMNS} FROM documents d JOIN customers cu "
        "ON cu.id = d.customer_id WHERE d.id = ? AND d.account_id = ?",
        (document_id, me.account.id),
    ).fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist")
    return tuple(row)


def get_conversation(conn: Conn, me: Identity, conversation_id: int) -> Conversation:
    row = conn.execute(
        f"SELECT {rows.CONVERSATION_COLUMNS} FROM conversations v "
        "JOIN customers cu ON cu.id = v.customer_id "
        "LEFT JOIN documents d ON d.id = v.document_id "
        "LEFT JOIN unread u ON u.conversation_id = v.id AND u.user_id = ? "
        "WHERE v.id = ? AND v.account_id = ?",
        (me.user.id, conversation_id, me.account.id),
    ).fetchone()
    if row is None:
        raise NotFound(f"Conversation {conversation_id} does not exist")
    return rows.conversation(row)


def get_message(conn: Conn, message_id: int) -> Message:
    row = conn.execute(
        f"SELECT {rows.MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?", (message_id,)
    ).fetchone()
    return rows.message(row, attachments_of(conn, [message_id]).get(message_id, ()))


def attachments_of(conn: Conn, message_ids: list[int]) -> dict[int, tuple[Attachment, ...]]:
    if not message_ids:
        return {}
    marks = ",".join("?" * len(message_ids))
    found: dict[int, list[Attachment]] = {}
    for r in conn.execute(
        f"SELECT a.message_id, {rows.ATTACHMENT_COLUMNS} FROM attachments a "
        f"WHERE a.message_id IN ({marks}) ORDER BY a.id",
        message_ids,
    ):
        found.setdefault(r[0], []).append(rows.attachment(r[1:]))
    return {k: tuple(v) for k, v in found.items()}


def get_attachment_row(conn: Conn, me: Identity, attachment_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        f"SELECT {rows.ATTACHMENT_COLUMNS} FROM attachments a "
        "JOIN messages m ON m.id = a.message_id "
        "JOIN conversations v ON v.id = m.conversation_id "
        "WHERE a.id = ? AND v.account_id = ?",
        (attachment_id, me.account.id),
    ).fetchone()
    if row is None:
        raise NotFound(f"Attachment {attachment_id} does not exist")
    return tuple(row)


def change(
    conn: Conn,
    account_id: int,
    conversation_id: int,
    message_id: int | None,
    kind: str,
    author_kind: str | None,
) -> None:
    conn.execute(
        "INSERT INTO changes(account_id, conversation_id, message_id, kind, author_kind) "
        "VALUES (?, ?, ?, ?, ?)",
        (account_id, conversation_id, message_id, kind, author_kind),
    )


def read_prefs(conn: Conn, user: User) -> NotificationPrefs:
    row = conn.execute(
        "SELECT email_on_reply, addresses, mode, toast, bell FROM notification_prefs "
        "WHERE user_id = ?",
        (user.id,),
    ).fetchone()
    if row is None:
        return NotificationPrefs(addresses=(user.email,))
    return NotificationPrefs(
        email_on_reply=bool(row[0]),
        addresses=tuple(json.loads(row[1])),
        mode=row[2],
        toast=bool(row[3]),
        bell=bool(row[4]),
    )


def check_prefs(prefs: NotificationPrefs) -> NotificationPrefs:
    addresses = tuple(a.strip() for a in prefs.addresses if a.strip())
    if len(addresses) > MAX_NOTIFY_ADDRESSES:
        raise InvalidInput(f"At most {MAX_NOTIFY_ADDRESSES} email addresses can be notified")
    for address in addresses:
        local, _, domain = address.partition("@")
        if not local or "." not in domain or any(c.isspace() for c in address):
            raise InvalidInput(f"{address!r} is not an email address")
    if prefs.mode not in ("immediate", "daily"):
        raise InvalidInput("Notification mode must be 'immediate' or 'daily'")
    if prefs.email_on_reply and not addresses:
        raise InvalidInput("Give at least one email address, or turn email notifications off")
    return NotificationPrefs(prefs.email_on_reply, addresses, prefs.mode, prefs.toast, prefs.bell)


def message_page(conn: Conn, conversation_id: int, cursor: str | None, limit: int) -> Page[Message]:
    """The newest ``limit`` messages before ``cursor`` (oldest-first in the page); the caller
    has checked that the conversation may be read."""
    sql = f"SELECT {rows.MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = ?"
    args: list[Any] = [conversation_id]
    if cursor:
        sql += " AND m.id < ?"
        args.append(rows.int_cursor(cursor))
    sql += " ORDER BY m.id DESC LIMIT ?"
    found = conn.execute(sql, [*args, limit + 1]).fetchall()
    more = len(found) > limit
    found = found[:limit]
    files = attachments_of(conn, [r[0] for r in found])
    messages = [rows.message(r, files.get(r[0], ())) for r in reversed(found)]
    return Page(tuple(messages), str(messages[0].id) if more and messages else None)
