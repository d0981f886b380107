"""PostgreSQL adapter: the network's store when it outgrows one machine.

Several server processes (on several machines) share one database. Each store keeps a psycopg 3
connection pool; reads run in autocommit, every write in one transaction. Listings are keyset
paged with the SQLite store's cursors; search is PostgreSQL's text search (see :mod:`.search`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ...i18n import _
from ...model import (
    Attachment,
    Change,
    ChangeBatch,
    Conversation,
    Customer,
    Document,
    DocumentKind,
    Identity,
    Message,
    NotificationPrefs,
    Page,
)
from .. import rules
from ..base import InvalidInput, NotFound
from ..sql_store import DraftTable, Rule, SQLStore, TemplateTable
from ..support_reads import SupportReads
from . import drafts as draft_table
from . import queries as q
from . import rows, search
from . import templates as template_table
from .connection import Conn, Database
from .writes import PostgresWrites

T = TypeVar("T")


class PostgresStore(SQLStore[Conn], SupportReads[Conn]):
    """A message store in one PostgreSQL database (``postgresql://user@host:port/db``), acting
    for ``user_id`` (default: the first user). :meth:`as_user` gives a view for another user
    that shares this store's pool (the server uses it per request)."""

    _drafts: DraftTable[Conn] = draft_table
    _templates: TemplateTable[Conn] = template_table

    def __init__(self, url: str, user_id: int | None = None, *, max_connections: int = 10):
        self._db = Database(url, max_size=max_connections)
        self.url = url
        self.location = self._db.location
        self._user_id = user_id

    def as_user(self, user_id: int) -> PostgresStore:
        view = object.__new__(PostgresStore)
        view._db, view.url, view.location = self._db, self.url, self.location
        view._user_id = user_id
        return view

    async def _run(self, fn: Callable[[Conn], T]) -> T:
        return await self._db.run(fn)

    async def _as_me(self, fn: Callable[[Conn, Identity], T]) -> T:
        """``fn(conn, me)`` on a store thread, ``me`` being this user's identity."""

        def call(conn: Conn) -> T:
            me = q.identity(conn, self._user_id, self.location)
            self._user_id = me.user.id
            return fn(conn, me)

        return await self._db.run(call)

    async def close(self) -> None:
        await self._db.close()

    def _rows(self, conn: Conn, query: str, args: Sequence[Any]) -> list[Any]:
        # The shared support queries are written with SQLite's "?" placeholders.
        return q.many(conn, query.replace("?", "%s"), list(args))

    # -- who am I -------------------------------------------------------------------------------
    async def whoami(self) -> Identity:
        def work(conn: Conn, me: Identity) -> Identity:
            return me

        return await self._as_me(work)

    # -- customers ------------------------------------------------------------------------------
    async def list_customers(
        self, query: str = "", *, cursor: str | None = None, limit: int = 50
    ) -> Page[Customer]:
        q.check_listing(query, limit)
        text = query.strip()

        def work(conn: Conn, me: Identity) -> Page[Customer]:
            sql = (
                f"SELECT {rows.CUSTOMER_COLUMNS} FROM relationships r "
                "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = %s"
            )
            args: list[Any] = [me.account.id]
            if text:
                sql += " AND (c.name ILIKE %s OR c.network_id ILIKE %s OR c.city ILIKE %s)"
                args += [rows.like_pattern(text)] * 3
            if cursor:
                name, cid = rows.split_cursor(cursor, 2)
                sql += " AND (lower(c.name), c.id) > (lower(%s), %s)"
                args += [name, rows.int_cursor(cid)]
            sql += " ORDER BY lower(c.name), c.id LIMIT %s"
            found = [rows.customer(r) for r in q.many(conn, sql, [*args, limit + 1])]
            return q.page(found, limit, lambda c: rows.make_cursor(c.name, c.id))

        return await self._as_me(work)

    async def get_customer(self, customer_id: int) -> Customer:
        def work(conn: Conn, me: Identity) -> Customer:
            return q.get_customer(conn, me, customer_id)

        return await self._as_me(work)

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
            raise InvalidInput(
                _("Unknown document kind {kind!r}: use purchase_order or invoice").format(kind=kind)
            )
        text = query.strip()

        def work(conn: Conn, me: Identity) -> Page[Document]:
            sql = (
                f"SELECT {rows.DOCUMENT_COLUMNS} FROM documents d "
                "JOIN customers cu ON cu.id = d.customer_id WHERE d.account_id = %s"
            )
            args: list[Any] = [me.account.id]
            if text:
                # The start of the number in any case (its upper() index), or part of the
                # customer's name.
                sql += " AND (upper(d.number) LIKE %s OR cu.name ILIKE %s)"
                args += [rows.escape_like(text.upper()) + "%", rows.like_pattern(text)]
            if kind:
                sql += " AND d.kind = %s"
                args.append(kind)
            if customer_id is not None:
                sql += " AND d.customer_id = %s"
                args.append(customer_id)
            op, order = (">", "ASC") if oldest_first else ("<", "DESC")
            if cursor:
                issued, did = rows.split_cursor(cursor, 2)
                sql += f" AND (d.issued, d.id) {op} (%s::date, %s)"
                args += [_date_cursor(issued), rows.int_cursor(did)]
            sql += f" ORDER BY d.issued {order}, d.id {order} LIMIT %s"
            found = [rows.document(r) for r in q.many(conn, sql, [*args, limit + 1])]
            return q.page(found, limit, lambda d: rows.make_cursor(d.issued.isoformat(), d.id))

        return await self._as_me(work)

    async def get_document(self, document_id: int) -> Document:
        def work(conn: Conn, me: Identity) -> Document:
            doc = q.get_document_row(conn, me, document_id)
            items = q.many(
                conn,
                "SELECT line, description, quantity, unit_price FROM line_items "
                "WHERE document_id = %s ORDER BY line",
                (document_id,),
            )
            return rows.document(doc, tuple(rows.line_item(r) for r in items))

        return await self._as_me(work)

    async def document_thread(self, document_id: int) -> Conversation | None:
        def work(conn: Conn, me: Identity) -> Conversation | None:
            q.get_document_row(conn, me, document_id)
            row = q.one(
                conn,
                "SELECT id FROM conversations WHERE document_id = %s AND account_id = %s",
                (document_id, me.account.id),
            )
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
            where, where_args = where + " AND v.customer_id = %s", [*where_args, customer_id]
        if document_id is not None:
            where, where_args = where + " AND v.document_id = %s", [*where_args, document_id]
        if unread_only:
            where += " AND u.count > 0"

        def work(conn: Conn, me: Identity) -> Page[Conversation]:
            if query:
                return search.search(conn, me, query, (where, where_args), cursor, limit)
            if unread_only:
                # Walk the partial index of unread rows: fast however many threads are read.
                sql = (
                    f"SELECT {rows.CONVERSATION_COLUMNS} FROM unread u "
                    "JOIN conversations v ON v.id = u.conversation_id "
                    "JOIN customers cu ON cu.id = v.customer_id "
                    "LEFT JOIN documents d ON d.id = v.document_id "
                    "WHERE u.user_id = %s AND v.account_id = %s"
                )
                order_col, id_col = "u.last_activity", "u.conversation_id"
            else:
                sql = f"SELECT {rows.CONVERSATION_COLUMNS} {q.CONVERSATION_FROM}"
                sql += "WHERE v.account_id = %s"
                order_col, id_col = "v.last_activity", "v.id"
            sql += where
            args: list[Any] = [me.user.id, me.account.id, *where_args]
            if cursor:
                activity, cid = rows.split_cursor(cursor, 2)
                sql += f" AND ({order_col}, {id_col}) < (%s, %s)"
                args += [rows.time_cursor(activity), rows.int_cursor(cid)]
            sql += f" ORDER BY {order_col} DESC, {id_col} DESC LIMIT %s"
            found = [rows.conversation(r) for r in q.many(conn, sql, [*args, limit + 1])]
            return q.page(
                found, limit, lambda c: rows.make_cursor(rows.timestamp(c.last_activity), c.id)
            )

        return await self._as_me(work)

    async def get_conversation(self, conversation_id: int) -> Conversation:
        def work(conn: Conn, me: Identity) -> Conversation:
            return q.get_conversation(conn, me, conversation_id)

        return await self._as_me(work)

    async def list_messages(
        self, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        q.check_listing("", limit)

        def work(conn: Conn, me: Identity) -> Page[Message]:
            q.get_conversation(conn, me, conversation_id)
            return q.message_page(conn, conversation_id, cursor, limit)

        return await self._as_me(work)

    # -- writes: decided by store/rules.py (see SQLStore), queries in .writes ------------------
    def _decide(self, conn: Conn, rule: Rule[T]) -> T:
        with conn.transaction():
            return rules.run_now(rule(PostgresWrites(conn)))

    def _conversation(self, conn: Conn, me: Identity, conversation_id: int) -> Conversation:
        return q.get_conversation(conn, me, conversation_id)

    def _message(self, conn: Conn, message_id: int) -> Message:
        return q.get_message(conn, message_id)

    async def set_preferences(self, prefs: NotificationPrefs) -> NotificationPrefs:
        prefs = rules.preferences(prefs)

        def work(conn: Conn, me: Identity) -> NotificationPrefs:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO notification_prefs VALUES (%s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (user_id) DO UPDATE SET email_on_reply = excluded.email_on_reply,"
                    " addresses = excluded.addresses, mode = excluded.mode,"
                    " toast = excluded.toast, bell = excluded.bell",
                    (me.user.id, prefs.email_on_reply, list(prefs.addresses), prefs.mode,
                     prefs.toast, prefs.bell),
                )  # fmt: skip
            return q.read_prefs(conn, me.user)

        return await self._as_me(work)

    async def unread_total(self) -> int:
        def work(conn: Conn, me: Identity) -> int:
            row = q.one(
                conn,
                "SELECT COALESCE(SUM(count), 0) FROM unread WHERE user_id = %s AND count > 0",
                (me.user.id,),
            )
            return int(row[0]) if row else 0

        return await self._as_me(work)

    # -- attachments ----------------------------------------------------------------------------
    async def get_attachment(self, attachment_id: int) -> Attachment:
        def work(conn: Conn, me: Identity) -> Attachment:
            return rows.attachment(q.get_attachment_row(conn, me, attachment_id))

        return await self._as_me(work)

    async def read_attachment(self, attachment_id: int) -> bytes:
        def work(conn: Conn, me: Identity) -> bytes:
            sha = (q.get_attachment_row(conn, me, attachment_id))[4]
            row = q.one(conn, "SELECT data FROM blobs WHERE sha256 = %s", (sha,))
            if row is None:
                raise NotFound(
                    _("Attachment {attachment_id} has no stored content").format(
                        attachment_id=attachment_id
                    )
                )
            return bytes(row[0])

        return await self._as_me(work)

    # -- preferences ----------------------------------------------------------------------------
    async def get_preferences(self) -> NotificationPrefs:
        def work(conn: Conn, me: Identity) -> NotificationPrefs:
            return q.read_prefs(conn, me.user)

        return await self._as_me(work)

    # -- live refresh ---------------------------------------------------------------------------
    async def changes_since(self, cursor: int | None = None, *, limit: int = 200) -> ChangeBatch:
        def work(conn: Conn, me: Identity) -> ChangeBatch:
            top_row = q.one(conn, "SELECT COALESCE(MAX(id), 0) FROM changes", ())
            top = int(top_row[0]) if top_row else 0
            if cursor is None:
                return ChangeBatch((), top)
            found = q.many(
                conn,
                "SELECT id, kind, conversation_id, message_id, author_kind FROM changes "
                "WHERE account_id = %s AND id > %s AND id <= %s ORDER BY id LIMIT %s",
                (me.account.id, cursor, top, limit),
            )
            changes = tuple(
                Change(id=r[0], kind=r[1], conversation_id=r[2], message_id=r[3], author_kind=r[4])
                for r in found
            )
            if len(found) < limit:
                return ChangeBatch(changes, max(cursor, top))
            return ChangeBatch(changes, changes[-1].id)

        return await self._as_me(work)


def _date_cursor(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(rows.BAD_CURSOR) from None
