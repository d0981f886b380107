"""Queries of the SQLite adapter that run on its store thread (called from :mod:`.sqlite`)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ...i18n import _
from ...model import (
    Attachment,
    Conversation,
    Customer,
    Identity,
    Message,
    NotificationPrefs,
    Page,
    User,
)
from ..base import NotFound

# The listing helpers every SQL adapter shares, re-exported for this adapter's modules.
from ..sql import check_listing as check_listing
from ..sql import page as page
from . import rows as rows

Conn = sqlite3.Connection


def get_customer_row(conn: Conn, me: Identity, customer_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        f"SELECT {rows.CUSTOMER_COLUMNS} FROM relationships r "
        "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = ? AND c.id = ?",
        (me.account.id, customer_id),
    ).fetchone()
    if row is None:
        raise NotFound(_("Customer {customer_id} does not exist").format(customer_id=customer_id))
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
        raise NotFound(_("Document {document_id} does not exist").format(document_id=document_id))
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
        raise NotFound(
            _("Conversation {conversation_id} does not exist").format(
                conversation_id=conversation_id
            )
        )
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
        raise NotFound(
            _("Attachment {attachment_id} does not exist").format(attachment_id=attachment_id)
        )
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
