"""The server's own SQL: the customer role's view of its threads, support lookups, the audit log.

These run on the server's query connection (a
:class:`~netmsg_tui.store.sqlite.connection.Connection`
of its own, beside the store's), so they never block the supplier-side store thread.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..model import Conversation, Message, Page
from ..store.base import NotFound
from ..store.sqlite import queries as q
from ..store.sqlite import rows as rows
from ..store.sqlite.connection import write

Conn = sqlite3.Connection

# Conversation columns without a user's unread count (customers have none), plus the supplier.
_CUSTOMER_CONVERSATION = (
    "v.id, v.customer_id, cu.name, v.subject, v.document_id, d.number, v.created, "
    "v.last_activity, 0, v.message_count, v.last_preview, a.name"
)
_CUSTOMER_FROM = (
    "FROM conversations v JOIN customers cu ON cu.id = v.customer_id "
    "JOIN accounts a ON a.id = v.account_id LEFT JOIN documents d ON d.id = v.document_id "
)


def customer_profile(conn: Conn, contact_id: int) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT cc.id, cc.name, cc.email, {rows.CUSTOMER_COLUMNS} FROM customer_contacts cc "
        "JOIN customers c ON c.id = cc.customer_id WHERE cc.id = ?",
        (contact_id,),
    ).fetchone()
    if row is None:
        raise NotFound("This customer contact no longer exists")
    return {
        "contact": {"id": row[0], "name": row[1], "email": row[2]},
        "customer": rows.customer(row[3:]),
    }


def customer_conversations(
    conn: Conn, customer_id: int, cursor: str | None, limit: int
) -> tuple[Page[Conversation], dict[int, str]]:
    """The customer's threads with all its suppliers, most recent first; plus supplier names."""
    q.check_listing("", limit)
    sql = f"SELECT {_CUSTOMER_CONVERSATION} {_CUSTOMER_FROM} WHERE v.customer_id = ?"
    args: list[Any] = [customer_id]
    if cursor:
        activity, cid = rows.split_cursor(cursor, 2)
        sql += " AND (v.last_activity, v.id) < (?, ?)"
        args += [activity, rows.int_cursor(cid)]
    sql += " ORDER BY v.last_activity DESC, v.id DESC LIMIT ?"
    found = conn.execute(sql, [*args, limit + 1]).fetchall()
    suppliers = {r[0]: r[11] for r in found}
    page = q.page(
        [rows.conversation(r[:11]) for r in found],
        limit,
        lambda c: rows.make_cursor(rows.timestamp(c.last_activity), c.id),
    )
    return page, suppliers


def customer_conversation(conn: Conn, customer_id: int, conversation_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        f"SELECT {_CUSTOMER_CONVERSATION} {_CUSTOMER_FROM} WHERE v.id = ? AND v.customer_id = ?",
        (conversation_id, customer_id),
    ).fetchone()
    if row is None:
        raise NotFound(f"Conversation {conversation_id} does not exist")
    return tuple(row)


def customer_messages(
    conn: Conn, customer_id: int, conversation_id: int, cursor: str | None, limit: int
) -> Page[Message]:
    q.check_listing("", limit)
    customer_conversation(conn, customer_id, conversation_id)
    return q.message_page(conn, conversation_id, cursor, limit)


def customer_attachment(conn: Conn, customer_id: int, attachment_id: int) -> tuple[Any, bytes]:
    row = conn.execute(
        f"SELECT {rows.ATTACHMENT_COLUMNS}, b.data FROM attachments a "
        "JOIN messages m ON m.id = a.message_id JOIN conversations v ON v.id = m.conversation_id "
        "JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = ? AND v.customer_id = ?",
        (attachment_id, customer_id),
    ).fetchone()
    if row is None:
        raise NotFound(f"Attachment {attachment_id} does not exist")
    return rows.attachment(row[:5]), bytes(row[5])


def customer_changes(
    conn: Conn, customer_id: int, cursor: int | None, limit: int
) -> tuple[list[tuple[Any, ...]], int]:
    """Changes to the customer's threads after ``cursor`` (None: just the current cursor)."""
    top = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()[0])
    if cursor is None:
        return [], top
    found = conn.execute(
        "SELECT c.id, c.kind, c.conversation_id, c.message_id, c.author_kind FROM changes c "
        "JOIN conversations v ON v.id = c.conversation_id "
        "WHERE v.customer_id = ? AND c.id > ? AND c.kind != 'read' ORDER BY c.id LIMIT ?",
        (customer_id, cursor, limit),
    ).fetchall()
    if len(found) == limit:
        return [tuple(r) for r in found], int(found[-1][0])
    return [tuple(r) for r in found], max(cursor, top)


def support_user(conn: Conn, account_id: int) -> int:
    """The user whose view a support token reads an account through (its first user)."""
    row = conn.execute(
        "SELECT id FROM users WHERE account_id = ? ORDER BY id LIMIT 1", (account_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"Account {account_id} has no users")
    return int(row[0])


def audit(conn: Conn, token_id: int, account_id: int | None, action: str, target: str) -> None:
    with write(conn):
        conn.execute(
            "INSERT INTO audit_log(at, token_id, account_id, action, target)"
            " VALUES (?, ?, ?, ?, ?)",
            (rows.now_text(), token_id, account_id, action, target[:500]),
        )
