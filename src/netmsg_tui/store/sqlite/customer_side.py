"""The customer side of threads: a buyer's contact lists, reads and fetches in its own threads.

Queries of :class:`~.network.SQLiteNetworkStore`, run on its query connection. A customer sees
the threads of its own organisation with every supplier; other ids answer NotFound.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ...i18n import _
from ...model import (
    Attachment,
    Change,
    ChangeBatch,
    CustomerContact,
    CustomerConversation,
    CustomerProfile,
    Message,
    Page,
)
from ..base import NotFound
from . import queries as q
from . import rows as rows

Conn = sqlite3.Connection

# Conversation columns without a user's unread count (customers have none), plus the supplier.
_CONVERSATION = (
    "v.id, v.customer_id, cu.name, v.subject, v.document_id, d.number, v.created, "
    "v.last_activity, 0, v.message_count, v.last_preview, a.name"
)
_FROM = (
    "FROM conversations v JOIN customers cu ON cu.id = v.customer_id "
    "JOIN accounts a ON a.id = v.account_id LEFT JOIN documents d ON d.id = v.document_id "
)


def _conversation(row: Any) -> CustomerConversation:
    return CustomerConversation(rows.conversation(row[:11]), row[11])


def profile(conn: Conn, contact_id: int) -> CustomerProfile:
    row = conn.execute(
        f"SELECT cc.id, cc.name, cc.email, {rows.CUSTOMER_COLUMNS} FROM customer_contacts cc "
        "JOIN customers c ON c.id = cc.customer_id WHERE cc.id = ?",
        (contact_id,),
    ).fetchone()
    if row is None:
        raise NotFound(_("This customer contact no longer exists"))
    return CustomerProfile(CustomerContact(row[0], row[1], row[2]), rows.customer(row[3:]))


def conversations(
    conn: Conn, customer_id: int, cursor: str | None, limit: int
) -> Page[CustomerConversation]:
    sql = f"SELECT {_CONVERSATION} {_FROM} WHERE v.customer_id = ?"
    args: list[Any] = [customer_id]
    if cursor:
        activity, cid = rows.split_cursor(cursor, 2)
        sql += " AND (v.last_activity, v.id) < (?, ?)"
        args += [activity, rows.int_cursor(cid)]
    sql += " ORDER BY v.last_activity DESC, v.id DESC LIMIT ?"
    found = [_conversation(r) for r in conn.execute(sql, [*args, limit + 1])]
    return q.page(
        found,
        limit,
        lambda c: rows.make_cursor(rows.timestamp(c.conversation.last_activity), c.conversation.id),
    )


def conversation(conn: Conn, customer_id: int, conversation_id: int) -> CustomerConversation:
    row = conn.execute(
        f"SELECT {_CONVERSATION} {_FROM} WHERE v.id = ? AND v.customer_id = ?",
        (conversation_id, customer_id),
    ).fetchone()
    if row is None:
        raise NotFound(
            _("Conversation {conversation_id} does not exist").format(
                conversation_id=conversation_id
            )
        )
    return _conversation(row)


def messages(
    conn: Conn, customer_id: int, conversation_id: int, cursor: str | None, limit: int
) -> Page[Message]:
    conversation(conn, customer_id, conversation_id)
    return q.message_page(conn, conversation_id, cursor, limit)


def attachment(conn: Conn, customer_id: int, attachment_id: int) -> tuple[Attachment, bytes]:
    row = conn.execute(
        f"SELECT {rows.ATTACHMENT_COLUMNS}, b.data FROM attachments a "
        "JOIN messages m ON m.id = a.message_id JOIN conversations v ON v.id = m.conversation_id "
        "JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = ? AND v.customer_id = ?",
        (attachment_id, customer_id),
    ).fetchone()
    if row is None:
        raise NotFound(
            _("Attachment {attachment_id} does not exist").format(attachment_id=attachment_id)
        )
    return rows.attachment(row[:5]), bytes(row[5])


def changes(conn: Conn, customer_id: int, cursor: int | None, limit: int) -> ChangeBatch:
    top = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()[0])
    if cursor is None:
        return ChangeBatch((), top)
    found = tuple(
        Change(id=r[0], kind=r[1], conversation_id=r[2], message_id=r[3], author_kind=r[4])
        for r in conn.execute(
            "SELECT c.id, c.kind, c.conversation_id, c.message_id, c.author_kind FROM changes c "
            "JOIN conversations v ON v.id = c.conversation_id "
            "WHERE v.customer_id = ? AND c.id > ? AND c.kind != 'read' ORDER BY c.id LIMIT ?",
            (customer_id, cursor, limit),
        )
    )
    if len(found) == limit:
        return ChangeBatch(found, found[-1].id)
    return ChangeBatch(found, max(cursor, top))
