"""SQLite adapter: the embedded default store, and the server's backend.

One connection lives on one dedicated thread; the async methods hand work to it, so the event
loop never blocks on the disk. WAL mode lets other processes read while one writes; every write
runs in ``transaction(conn)`` (``BEGIN IMMEDIATE``), so concurrent writers queue on
``busy_timeout`` instead of failing half-way. A crash mid-write leaves nothing behind: SQLite
rolls the transaction back. The rules of a write are :mod:`netmsg_tui.store.rules`; this adapter
gives them queries (:mod:`.writes`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

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
    NewAttachment,
    NotificationPrefs,
    Origin,
    Page,
    User,
)
from .. import rules
from ..base import (
    InvalidInput,
    MessageStore,
    Unauthorized,
)
from . import queries as q
from . import rows as rows
from . import search as search
from .connection import Connection, transaction
from .writes import SQLiteWrites

T = TypeVar("T")
Conn = sqlite3.Connection


class SQLiteStore(MessageStore):
    """A message store in one SQLite file, acting for ``user_id`` (default: the first user).

    :meth:`as_user` gives a view for another user that shares this connection (the server uses
    it per request). Customer-side writes (:meth:`add_customer_reply`) are the network's own
    operations, used by the server's customer role, the mail gateway and the demo.
    """

    def __init__(
        self,
        path: str | Path,
        user_id: int | None = None,
        *,
        use_fts: bool = True,
        busy_timeout: float = 10.0,
    ):
        self.path = Path(path)
        self.location = str(self.path)
        self._user_id = user_id
        self._use_fts = use_fts
        self._shared = Connection(self.path, use_fts, busy_timeout)

    def as_user(self, user_id: int) -> SQLiteStore:
        view = object.__new__(SQLiteStore)
        view.path, view.location, view._use_fts = self.path, self.location, self._use_fts
        view._user_id, view._shared = user_id, self._shared
        return view

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await self._shared.run(fn, *args)

    async def _as_me(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(conn, me, *args)`` on the store thread, ``me`` being this user's identity."""

        def call(conn: Conn) -> T:
            return fn(conn, self._identity(conn), *args)

        return await self._shared.run(call)

    def _identity(self, conn: Conn) -> Identity:
        if self._user_id is None:
            row = conn.execute("SELECT id FROM users ORDER BY id LIMIT 1").fetchone()
            if row is None:
                raise Unauthorized(
                    f"The message store {self.location} has no user yet: create one with "
                    "'netmsg demo init PATH' or 'netmsg admin create-account'"
                )
            self._user_id = row[0]
        row = conn.execute(
            "SELECT u.id, u.account_id, u.name, u.email, a.name, a.plan "
            "FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = ?",
            (self._user_id,),
        ).fetchone()
        if row is None:
            raise Unauthorized(f"User {self._user_id} does not exist in this store")
        return Identity(
            account=Account(id=row[1], name=row[4], plan=row[5]),
            user=User(id=row[0], account_id=row[1], name=row[2], email=row[3]),
        )

    async def close(self) -> None:
        await self._shared.close()

    # -- who am I -------------------------------------------------------------------------------
    async def whoami(self) -> Identity:
        return await self._as_me(lambda conn, me: me)

    # -- customers ------------------------------------------------------------------------------
    async def list_customers(
        self, query: str = "", *, cursor: str | None = None, limit: int = 50
    ) -> Page[Customer]:
        q.check_listing(query, limit)

        def work(conn: Conn, me: Identity) -> Page[Customer]:
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

        return await self._as_me(work)

    async def get_customer(self, customer_id: int) -> Customer:
        return await self._as_me(q.get_customer, customer_id)

    # -- documents ------------------------------------------------------------------------------
    async def list_documents(
        self,
        query: str = "",
        *,
        kind: DocumentKind | None = None,
        customer_id: int | None = None,
        oldest_first: bool = False,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[Document]:
        q.check_listing(query, limit)
        if kind is not None and kind not in ("purchase_order", "invoice"):
            raise InvalidInput(f"Unknown document kind {kind!r}: use purchase_order or invoice")

        def work(conn: Conn, me: Identity) -> Page[Document]:
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

        return await self._as_me(work)

    async def get_document(self, document_id: int) -> Document:
        def work(conn: Conn, me: Identity) -> Document:
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

        return await self._as_me(work)

    async def document_thread(self, document_id: int) -> Conversation | None:
        def work(conn: Conn, me: Identity) -> Conversation | None:
            q.get_document(conn, me, document_id)
            row = conn.execute(
                "SELECT id FROM conversations WHERE document_id = ? AND account_id = ?",
                (document_id, me.account.id),
            ).fetchone()
            return q.get_conversation(conn, me, row[0]) if row else None

        return await self._as_me(work)

    # -- conversations --------------------------------------------------------------------------
    async def list_conversations(
        self,
        query: str = "",
        *,
        unread_only: bool = False,
        customer_id: int | None = None,
        document_id: int | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[Conversation]:
        q.check_listing(query, limit)
        query = query.strip()
        # Conditions on the conversation (v) and this user's unread row (u).
        where, where_args = "", list[Any]()
        if customer_id is not None:
            where, where_args = where + " AND v.customer_id = ?", [*where_args, customer_id]
        if document_id is not None:
            where, where_args = where + " AND v.document_id = ?", [*where_args, document_id]
        if unread_only:
            where += " AND u.count > 0"

        def work(conn: Conn, me: Identity) -> Page[Conversation]:
            if query and self._shared.fts:
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
            return q.page(
                found, limit, lambda c: rows.make_cursor(rows.timestamp(c.last_activity), c.id)
            )

        return await self._as_me(work)

    async def get_conversation(self, conversation_id: int) -> Conversation:
        return await self._as_me(q.get_conversation, conversation_id)

    async def list_messages(
        self, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        q.check_listing("", limit)

        def work(conn: Conn, me: Identity) -> Page[Message]:
            q.get_conversation(conn, me, conversation_id)
            return q.message_page(conn, conversation_id, cursor, limit)

        return await self._as_me(work)

    async def start_conversation(
        self,
        customer_id: int,
        subject: str,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        document_id: int | None = None,
        idempotency_key: str | None = None,
        origin: Origin = "app",
    ) -> Conversation:
        message = rules.outgoing(body, attachments, subject)

        def work(conn: Conn, me: Identity) -> Conversation:
            with transaction(conn):
                done = rules.run_now(
                    rules.start(
                        self._writes(conn),
                        me,
                        customer_id,
                        message,
                        document_id=document_id,
                        key=idempotency_key,
                        origin=origin,
                    )
                )
            return q.get_conversation(conn, me, done.conversation_id)

        return await self._as_me(work)

    async def reply(
        self,
        conversation_id: int,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        idempotency_key: str | None = None,
        origin: Origin = "app",
    ) -> Message:
        message = rules.outgoing(body, attachments)

        def work(conn: Conn, me: Identity) -> Message:
            with transaction(conn):
                done = rules.run_now(
                    rules.reply(
                        self._writes(conn),
                        me,
                        conversation_id,
                        message,
                        key=idempotency_key,
                        origin=origin,
                    )
                )
            return q.get_message(conn, done.message_id)

        return await self._as_me(work)

    async def add_customer_reply(
        self,
        conversation_id: int,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        customer_id: int | None = None,
        contact_id: int | None = None,
        origin: Origin = "app",
        idempotency_key: str | None = None,
    ) -> Message:
        """Record the customer's answer in a conversation (the network side of the thread).

        ``customer_id``, when given, must be the conversation's customer (a customer contact
        may only answer its own threads). ``contact_id`` names the person of that customer who
        wrote it (default: the customer's main contact). Queues the email notifications in the same
        transaction. Raises NotFound, InvalidInput, AttachmentTooLarge, Unavailable.
        """
        message = rules.outgoing(body, attachments)

        def work(conn: Conn) -> Message:
            with transaction(conn):
                done = rules.run_now(
                    rules.customer_reply(
                        self._writes(conn),
                        conversation_id,
                        message,
                        customer_id=customer_id,
                        contact_id=contact_id,
                        key=idempotency_key,
                        origin=origin,
                    )
                )
            return q.get_message(conn, done.message_id)

        return await self._run(work)

    def _writes(self, conn: Conn) -> SQLiteWrites:
        return SQLiteWrites(conn, self._shared.fts)

    async def mark_read(self, conversation_id: int) -> None:
        def work(conn: Conn, me: Identity) -> None:
            with transaction(conn):
                rules.run_now(rules.mark_read(self._writes(conn), me, conversation_id))

        await self._as_me(work)

    async def unread_total(self) -> int:
        def work(conn: Conn, me: Identity) -> int:
            row = conn.execute(
                "SELECT COALESCE(SUM(count), 0) FROM unread WHERE user_id = ? AND count > 0",
                (me.user.id,),
            ).fetchone()
            return int(row[0])

        return await self._as_me(work)

    # -- attachments ----------------------------------------------------------------------------
    async def get_attachment(self, attachment_id: int) -> Attachment:
        def work(conn: Conn, me: Identity) -> Attachment:
            return rows.attachment(q.get_attachment_row(conn, me, attachment_id))

        return await self._as_me(work)

    async def read_attachment(self, attachment_id: int) -> bytes:
        def work(conn: Conn, me: Identity) -> bytes:
            sha = q.get_attachment_row(conn, me, attachment_id)[4]
            return bytes(
                conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha,)).fetchone()[0]
            )

        return await self._as_me(work)

    # -- preferences ----------------------------------------------------------------------------
    async def get_preferences(self) -> NotificationPrefs:
        return await self._as_me(lambda conn, me: q.read_prefs(conn, me.user))

    async def set_preferences(self, prefs: NotificationPrefs) -> NotificationPrefs:
        prefs = rules.preferences(prefs)

        def work(conn: Conn, me: Identity) -> NotificationPrefs:
            with transaction(conn):
                conn.execute(
                    "INSERT OR REPLACE INTO notification_prefs VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        me.user.id,
                        int(prefs.email_on_reply),
                        json.dumps(list(prefs.addresses)),
                        prefs.mode,
                        int(prefs.toast),
                        int(prefs.bell),
                    ),
                )
            return q.read_prefs(conn, me.user)

        return await self._as_me(work)

    # -- live refresh ---------------------------------------------------------------------------
    async def changes_since(self, cursor: int | None = None, *, limit: int = 200) -> ChangeBatch:
        def work(conn: Conn, me: Identity) -> ChangeBatch:
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

        return await self._as_me(work)
