"""The SQLite adapter's reads: one function per port read, ``(conn, me, ...)`` on the store
thread. Every one answers within ``me``'s account only: an id of another account is NotFound,
as a missing one is. Arguments are checked by the caller (:mod:`.store`) before they get here.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ...i18n import _
from ...model import (
    Account,
    Attachment,
    Change,
    ChangeBatch,
    Conversation,
    Customer,
    Document,
    DocumentKind,
    Identity,
    Message,
    Page,
    User,
)
from ..base import Unauthorized
from . import queries as q
from . import rows as rows
from . import search as search

Conn = sqlite3.Connection


def first_user(conn: Conn, location: str) -> int:
    """The store's first user: the one a store opened without a user acts for."""
    row = conn.execute("SELECT id FROM users ORDER BY id LIMIT 1").fetchone()
    if row is None:
        raise Unauthorized(
            _(
                "The message store {location} has no user yet: create one with 'netmsg "
                "demo init PATH' or 'netmsg admin create-account'"
            ).format(location=location)
        )
    return int(row[0])


def identity(conn: Conn, user_id: int) -> Identity:
    row = conn.execute(
        "SELECT u.id, u.account_id, u.name, u.email, a.name, a.plan "
        "FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = ?",
        (user_id,),
    ).fetchone()
    if row is None:
        raise Unauthorized(_("User {user_id} does not exist in this store").format(user_id=user_id))
    account = Account(id=row[1], name=row[4], plan=row[5])
    user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
    return Identity(account=account, user=user, granted=(account,))


# -- customers and documents ----------------------------------------------------------------------
def customers(
    conn: Conn, me: Identity, query: str, cursor: str | None, limit: int
) -> Page[Customer]:
    sql = (
        f"SELECT {rows.CUSTOMER_COLUMNS} FROM relationships r "
        "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = ?"
    )
    args: list[Any] = [me.account.id]
    if query.strip():
        pattern = rows.like_pattern(query.strip())
        sql += (
            " AND (c.name LIKE ? ESCAPE '\\' OR c.network_id LIKE ? ESCAPE '\\'"
            " OR c.city LIKE ? ESCAPE '\\')"
        )
        args += [pattern] * 3
    if cursor:
        name, cid = rows.split_cursor(cursor, 2)
        sql += " AND (c.name COLLATE NOCASE, c.id) > (?, ?)"
        args += [name, rows.int_cursor(cid)]
    sql += " ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?"
    found = [rows.customer(r) for r in conn.execute(sql, [*args, limit + 1])]
    return q.page(found, limit, lambda c: rows.make_cursor(c.name, c.id))


def documents(
    conn: Conn,
    me: Identity,
    query: str,
    kind: DocumentKind | None,
    customer_id: int | None,
    oldest_first: bool,
    cursor: str | None,
    limit: int,
) -> Page[Document]:
    sql = (
        f"SELECT {rows.DOCUMENT_COLUMNS} FROM documents d "
        "JOIN customers cu ON cu.id = d.customer_id WHERE d.account_id = ?"
    )
    args: list[Any] = [me.account.id]
    if query.strip():
        # Number prefix (the unique index) or customer name: collect the few hits first,
        # then sort them; scanning 100,000 documents by date with a LIKE cost ~100 ms.
        text = query.strip()
        sql = (
            f"SELECT {rows.DOCUMENT_COLUMNS} FROM ("
            "SELECT id FROM documents WHERE account_id = ? AND number >= ? AND number < ?"
            " UNION SELECT id FROM documents WHERE account_id = ?"
            " AND number >= ? AND number < ?"
            " UNION SELECT d2.id FROM customers c2 JOIN documents d2"
            " ON d2.customer_id = c2.id AND d2.account_id = ?"
            " WHERE c2.name LIKE ? ESCAPE '\\'"
            ") AS hits CROSS JOIN documents d ON d.id = hits.id "
            "JOIN customers cu ON cu.id = d.customer_id WHERE d.account_id = ?"
        )
        upper = text.upper()
        args = [me.account.id, text, text + "\U0010ffff", me.account.id, upper,
                upper + "\U0010ffff", me.account.id, rows.like_pattern(text),
                me.account.id]  # fmt: skip
    if kind:
        sql += " AND d.kind = ?"
        args.append(kind)
    if customer_id is not None:
        sql += " AND d.customer_id = ?"
        args.append(customer_id)
    op, order = (">", "ASC") if oldest_first else ("<", "DESC")
    if cursor:
        issued, did = rows.split_cursor(cursor, 2)
        sql += f" AND (d.issued, d.id) {op} (?, ?)"
        args += [issued, rows.int_cursor(did)]
    sql += f" ORDER BY d.issued {order}, d.id {order} LIMIT ?"
    found = [rows.document(r) for r in conn.execute(sql, [*args, limit + 1])]
    return q.page(found, limit, lambda d: rows.make_cursor(d.issued.isoformat(), d.id))


def document(conn: Conn, me: Identity, document_id: int) -> Document:
    doc = q.get_document(conn, me, document_id)
    items = tuple(
        rows.line_item(r)
        for r in conn.execute(
            "SELECT line, description, quantity, unit_price FROM line_items "
            "WHERE document_id = ? ORDER BY line",
            (document_id,),
        )
    )
    return rows.document(doc, items)


def document_thread(conn: Conn, me: Identity, document_id: int) -> Conversation | None:
    q.get_document(conn, me, document_id)
    row = conn.execute(
        "SELECT id FROM conversations WHERE document_id = ? AND account_id = ?",
        (document_id, me.account.id),
    ).fetchone()
    return q.get_conversation(conn, me, row[0]) if row else None


# -- conversations and messages -------------------------------------------------------------------
def conversations(
    conn: Conn,
    me: Identity,
    fts: bool,
    query: str,
    unread_only: bool,
    customer_id: int | None,
    document_id: int | None,
    cursor: str | None,
    limit: int,
) -> Page[Conversation]:
    """``fts``: the file has the full-text tables (else a search is a LIKE over the threads)."""
    query = query.strip()
    # Conditions on the conversation (v) and this user's unread row (u).
    where, where_args = "", list[Any]()
    if customer_id is not None:
        where, where_args = where + " AND v.customer_id = ?", [*where_args, customer_id]
    if document_id is not None:
        where, where_args = where + " AND v.document_id = ?", [*where_args, document_id]
    if unread_only:
        where += " AND u.count > 0"
    if query and fts:
        return search.search(conn, me, query, (where, where_args), cursor, limit)
    if unread_only:
        # Walk the partial index of unread rows: fast however many threads are read.
        sql = (
            f"SELECT {rows.CONVERSATION_COLUMNS} FROM unread u "
            "JOIN conversations v ON v.id = u.conversation_id "
            "JOIN customers cu ON cu.id = v.customer_id "
            "LEFT JOIN documents d ON d.id = v.document_id "
            "WHERE u.user_id = ? AND v.account_id = ?"
        )
        order_col, id_col = "u.last_activity", "u.conversation_id"
    else:
        sql = (
            f"SELECT {rows.CONVERSATION_COLUMNS} FROM conversations v "
            "JOIN customers cu ON cu.id = v.customer_id "
            "LEFT JOIN documents d ON d.id = v.document_id "
            "LEFT JOIN unread u ON u.conversation_id = v.id AND u.user_id = ? "
            "WHERE v.account_id = ?"
        )
        order_col, id_col = "v.last_activity", "v.id"
    sql += where
    args: list[Any] = [me.user.id, me.account.id, *where_args]
    if query:
        hits, hit_args = search.like_hits(query)
        sql += f" AND v.id IN ({hits})"
        args += hit_args
    if cursor:
        activity, cid = rows.split_cursor(cursor, 2)
        sql += f" AND ({order_col}, {id_col}) < (?, ?)"
        args += [activity, rows.int_cursor(cid)]
    sql += f" ORDER BY {order_col} DESC, {id_col} DESC LIMIT ?"
    found = [rows.conversation(r) for r in conn.execute(sql, [*args, limit + 1])]
    return q.page(found, limit, lambda c: rows.make_cursor(rows.timestamp(c.last_activity), c.id))


def messages(
    conn: Conn, me: Identity, conversation_id: int, cursor: str | None, limit: int
) -> Page[Message]:
    q.get_conversation(conn, me, conversation_id)
    return q.message_page(conn, conversation_id, cursor, limit)


def unread_total(conn: Conn, me: Identity) -> int:
    row = conn.execute(
        "SELECT COALESCE(SUM(count), 0) FROM unread WHERE user_id = ? AND count > 0",
        (me.user.id,),
    ).fetchone()
    return int(row[0])


# -- attachments and changes ----------------------------------------------------------------------
def attachment(conn: Conn, me: Identity, attachment_id: int) -> Attachment:
    return rows.attachment(q.get_attachment_row(conn, me, attachment_id))


def attachment_data(conn: Conn, me: Identity, attachment_id: int) -> bytes:
    sha = q.get_attachment_row(conn, me, attachment_id)[4]
    return bytes(conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha,)).fetchone()[0])


def changes(conn: Conn, me: Identity, cursor: int | None, limit: int) -> ChangeBatch:
    if cursor is None:
        row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()
        return ChangeBatch((), int(row[0]))
    found = conn.execute(
        "SELECT id, kind, conversation_id, message_id, author_kind FROM changes "
        "WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?",
        (me.account.id, cursor, limit),
    ).fetchall()
    changes = tuple(
        Change(id=r[0], kind=r[1], conversation_id=r[2], message_id=r[3], author_kind=r[4])
        for r in found
    )
    if len(found) < limit:
        top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()[0]
        return ChangeBatch(changes, max(cursor, int(top)))
    return ChangeBatch(changes, changes[-1].id)
