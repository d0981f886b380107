"""Reads of the PostgreSQL adapter: one function per question, on a pooled connection.

Every function that takes ``me`` answers only within that user's account: an id of another
account raises NotFound, as a missing one does.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ...i18n import _
from ...model import (
    Account,
    Attachment,
    Conversation,
    Customer,
    Identity,
    Message,
    NotificationPrefs,
    Page,
    User,
)
from ..base import NotFound, Unauthorized

# The listing helpers every SQL adapter shares, re-exported for this adapter's modules.
from ..sql import check_listing as check_listing
from ..sql import page as page
from . import rows
from .connection import Conn

T = TypeVar("T")

# A conversation's customer, document and this user's unread row (the %s: the user id).
CONVERSATION_JOINS = (
    "JOIN customers cu ON cu.id = v.customer_id "
    "LEFT JOIN documents d ON d.id = v.document_id "
    "LEFT JOIN unread u ON u.conversation_id = v.id AND u.user_id = %s "
)
CONVERSATION_FROM = "FROM conversations v " + CONVERSATION_JOINS


def one(conn: Conn, sql: str, args: tuple[Any, ...] | list[Any]) -> rows.Row | None:
    return conn.execute(sql, args).fetchone()


def many(conn: Conn, sql: str, args: tuple[Any, ...] | list[Any]) -> list[rows.Row]:
    return conn.execute(sql, args).fetchall()


def identity(conn: Conn, user_id: int | None, location: str) -> Identity:
    """The user (default: the first one) with their account and plan."""
    if user_id is None:
        first = one(conn, "SELECT id FROM users ORDER BY id LIMIT 1", ())
        if first is None:
            raise Unauthorized(
                _(
                    "The message store {location} has no user yet: create one with 'netmsg "
                    "demo init URL' or 'netmsg admin create-account'"
                ).format(location=location)
            )
        user_id = int(first[0])
    row = one(
        conn,
        "SELECT u.id, u.account_id, u.name, u.email, a.name, a.plan "
        "FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = %s",
        (user_id,),
    )
    if row is None:
        raise Unauthorized(_("User {user_id} does not exist in this store").format(user_id=user_id))
    account = Account(id=row[1], name=row[4], plan=row[5])
    user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
    return Identity(account=account, user=user, granted=(account,))


def get_customer_row(conn: Conn, me: Identity, customer_id: int) -> rows.Row:
    row = one(
        conn,
        f"SELECT {rows.CUSTOMER_COLUMNS} FROM relationships r "
        "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = %s AND c.id = %s",
        (me.account.id, customer_id),
    )
    if row is None:
        raise NotFound(_("Customer {customer_id} does not exist").format(customer_id=customer_id))
    return row


def get_customer(conn: Conn, me: Identity, customer_id: int) -> Customer:
    return rows.customer(get_customer_row(conn, me, customer_id))


def get_document_row(conn: Conn, me: Identity, document_id: int) -> rows.Row:
    row = one(
        conn,
        f"SELECT {rows.DOCUMENT_COLUMNS} FROM documents d JOIN customers cu "
        "ON cu.id = d.customer_id WHERE d.id = %s AND d.account_id = %s",
        (document_id, me.account.id),
    )
    if row is None:
        raise NotFound(_("Document {document_id} does not exist").format(document_id=document_id))
    return row


def get_conversation(conn: Conn, me: Identity, conversation_id: int) -> Conversation:
    row = one(
        conn,
        f"SELECT {rows.CONVERSATION_COLUMNS} {CONVERSATION_FROM}"
        "WHERE v.id = %s AND v.account_id = %s",
        (me.user.id, conversation_id, me.account.id),
    )
    if row is None:
        raise NotFound(
            _("Conversation {conversation_id} does not exist").format(
                conversation_id=conversation_id
            )
        )
    return rows.conversation(row)


def get_message(conn: Conn, message_id: int) -> Message:
    row = one(conn, f"SELECT {rows.MESSAGE_COLUMNS} FROM messages m WHERE m.id = %s", (message_id,))
    if row is None:
        raise NotFound(_("Message {message_id} does not exist").format(message_id=message_id))
    files = attachments_of(conn, [message_id])
    return rows.message(row, files.get(message_id, ()))


def attachments_of(conn: Conn, message_ids: list[int]) -> dict[int, tuple[Attachment, ...]]:
    if not message_ids:
        return {}
    found: dict[int, list[Attachment]] = {}
    for r in many(
        conn,
        f"SELECT a.message_id, {rows.ATTACHMENT_COLUMNS} FROM attachments a "
        "WHERE a.message_id = ANY(%s) ORDER BY a.id",
        (message_ids,),
    ):
        found.setdefault(r[0], []).append(rows.attachment(r[1:]))
    return {k: tuple(v) for k, v in found.items()}


def get_attachment_row(conn: Conn, me: Identity, attachment_id: int) -> rows.Row:
    row = one(
        conn,
        f"SELECT {rows.ATTACHMENT_COLUMNS} FROM attachments a "
        "JOIN messages m ON m.id = a.message_id "
        "JOIN conversations v ON v.id = m.conversation_id "
        "WHERE a.id = %s AND v.account_id = %s",
        (attachment_id, me.account.id),
    )
    if row is None:
        raise NotFound(
            _("Attachment {attachment_id} does not exist").format(attachment_id=attachment_id)
        )
    return row


def message_page(conn: Conn, conversation_id: int, cursor: str | None, limit: int) -> Page[Message]:
    """The newest ``limit`` messages before ``cursor`` (oldest-first in the page); the caller
    has checked that the conversation may be read."""
    sql = f"SELECT {rows.MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = %s"
    args: list[Any] = [conversation_id]
    if cursor:
        sql += " AND m.id < %s"
        args.append(rows.int_cursor(cursor))
    sql += " ORDER BY m.id DESC LIMIT %s"
    found = many(conn, sql, [*args, limit + 1])
    more = len(found) > limit
    found = found[:limit]
    files = attachments_of(conn, [r[0] for r in found])
    messages = [rows.message(r, files.get(r[0], ())) for r in reversed(found)]
    return Page(tuple(messages), str(messages[0].id) if more and messages else None)


def read_prefs(conn: Conn, user: User) -> NotificationPrefs:
    row = one(
        conn,
        "SELECT email_on_reply, addresses, mode, toast, bell FROM notification_prefs "
        "WHERE user_id = %s",
        (user.id,),
    )
    if row is None:
        return NotificationPrefs(addresses=(user.email,))
    return NotificationPrefs(
        email_on_reply=row[0], addresses=tuple(row[1]), mode=row[2], toast=row[3], bell=row[4]
    )
