"""The reads of the port, once for every SQL adapter: each builds its query from the shared
text, the engine's :class:`~.sql_queries.dialect.Dialect` fragments and two search hooks (full
text search differs too much between engines to share: FTS5 against ``tsvector``).

Every read answers within the acting user's account only: an id of another account is NotFound,
as a missing one is.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..i18n import N_, _
from ..model import (
    Attachment,
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
from . import rules, sql
from .base import InvalidInput, MessageStore
from .sql_queries.dialect import Dialect
from .sql_queries.lookups import CONVERSATION_FROM, Lookups

C = TypeVar("C")
T = TypeVar("T")
#: Extra SQL on the conversation listing's ``v``/``u`` and its arguments.
Filter = tuple[str, list[Any]]

ALL_DOCUMENTS = "FROM documents d JOIN customers cu ON cu.id = d.customer_id WHERE d.account_id = ?"
_UNREAD_FROM = (
    "FROM unread u JOIN conversations v ON v.id = u.conversation_id "
    "JOIN customers cu ON cu.id = v.customer_id LEFT JOIN documents d ON d.id = v.document_id "
    "WHERE u.user_id = ? AND v.account_id = ?"
)
_PREFS_UPSERT = (
    "INSERT INTO notification_prefs"
    "(user_id, email_on_reply, addresses, mode, toast, bell, language)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (user_id) DO UPDATE SET email_on_reply = excluded.email_on_reply,"
    " addresses = excluded.addresses, mode = excluded.mode,"
    " toast = excluded.toast, bell = excluded.bell, language = excluded.language"
)
_NO_CONTENT = N_("Attachment {attachment_id} has no stored content")
_CHANGES = (
    "SELECT id, kind, conversation_id, message_id, author_kind FROM changes "
    "WHERE account_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?"
)


class SQLReads(MessageStore, Generic[C]):
    """The port's reads over SQL connections of type ``C``."""

    _dialect: Dialect[C]
    _look: Lookups[C]

    @abstractmethod
    async def _as_me(self, fn: Callable[[C, Identity], T]) -> T:
        """``fn(conn, me)`` on the adapter's thread, ``me`` being the acting user."""

    @abstractmethod
    def _search(
        self, conn: C, me: Identity, query: str, where: Filter, cursor: str | None, limit: int
    ) -> Page[Conversation] | Filter:
        """Conversations matching ``query`` (and ``where``), or, where the engine has no full
        text index, a condition on ``v.id`` for the plain listing to add."""

    @abstractmethod
    def _documents_matching(self, conn: C, account_id: int, text: str) -> tuple[str, list[Any]]:
        """``FROM … WHERE …`` (aliases ``d``, ``cu``) of the account's documents whose number
        starts with ``text`` or whose customer's name holds it, and its arguments (``conn``: to
        choose the plan by how many there are)."""

    async def whoami(self) -> Identity:
        return await self._as_me(lambda conn, me: me)

    # -- customers and documents ----------------------------------------------------------------
    async def list_customers(
        self, query: str = "", *, cursor: str | None = None, limit: int = 50
    ) -> Page[Customer]:
        sql.check_listing(query, limit)
        db, text = self._dialect, query.strip()
        select = (
            f"SELECT {sql.CUSTOMER_COLUMNS} FROM relationships r "
            "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = ?"
        )
        args: list[Any] = []
        if text:
            select += (
                f" AND (c.name {db.like} ? ESCAPE '\\' OR c.network_id {db.like} ? ESCAPE '\\'"
                f" OR c.city {db.like} ? ESCAPE '\\')"
            )
            args += [sql.like_pattern(text)] * 3
        if cursor:
            name, cid = sql.split_cursor(cursor, 2)
            select += f" AND ({db.nocase('c.name')}, c.id) > ({db.nocase('?')}, ?)"
            args += [name, sql.int_cursor(cid)]
        select += f" ORDER BY {db.nocase('c.name')}, c.id LIMIT ?"

        def work(conn: C, me: Identity) -> Page[Customer]:
            found = db.all(conn, select, [me.account.id, *args, limit + 1])
            return sql.page(
                [sql.customer(r) for r in found], limit, lambda c: sql.make_cursor(c.name, c.id)
            )

        return await self._as_me(work)

    async def get_customer(self, customer_id: int) -> Customer:
        return await self._as_me(lambda conn, me: self._look.customer(conn, me, customer_id))

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
        sql.check_listing(query, limit)
        if kind is not None and kind not in ("purchase_order", "invoice"):
            raise InvalidInput(
                _("Unknown document kind {kind!r}: use purchase_order or invoice").format(kind=kind)
            )
        text = query.strip()
        conditions, extra = "", list[Any]()
        if kind:
            conditions, extra = " AND d.kind = ?", [kind]
        if customer_id is not None:
            conditions, extra = conditions + " AND d.customer_id = ?", [*extra, customer_id]
        op, order = (">", "ASC") if oldest_first else ("<", "DESC")
        if cursor:
            issued, did = sql.split_cursor(cursor, 2)
            conditions += f" AND (d.issued, d.id) {op} (?, ?)"
            extra += [self._dialect.day_cursor(issued), sql.int_cursor(did)]
        conditions += f" ORDER BY d.issued {order}, d.id {order} LIMIT ?"

        def work(conn: C, me: Identity) -> Page[Document]:
            if text:
                source, args = self._documents_matching(conn, me.account.id, text)
            else:
                source, args = ALL_DOCUMENTS, [me.account.id]
            found = self._dialect.all(
                conn,
                f"SELECT {sql.DOCUMENT_COLUMNS} {source}{conditions}",
                [*args, *extra, limit + 1],
            )
            return sql.page(
                [sql.document(r) for r in found],
                limit,
                lambda d: sql.make_cursor(d.issued.isoformat(), d.id),
            )

        return await self._as_me(work)

    async def get_document(self, document_id: int) -> Document:
        def work(conn: C, me: Identity) -> Document:
            row = self._look.document_row(conn, me, document_id)
            items = self._dialect.all(
                conn,
                "SELECT line, description, quantity, unit_price FROM line_items "
                "WHERE document_id = ? ORDER BY line",
                (document_id,),
            )
            return sql.document(row, tuple(sql.line_item(r) for r in items))

        return await self._as_me(work)

    async def document_thread(self, document_id: int) -> Conversation | None:
        def work(conn: C, me: Identity) -> Conversation | None:
            self._look.document_row(conn, me, document_id)
            row = self._dialect.one(
                conn,
                "SELECT id FROM conversations WHERE document_id = ? AND account_id = ?",
                (document_id, me.account.id),
            )
            return self._look.conversation(conn, me, row[0]) if row else None

        return await self._as_me(work)

    # -- conversations and messages -------------------------------------------------------------
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
        sql.check_listing(query, limit)
        query = query.strip()
        # Conditions on the conversation (v) and this user's unread row (u).
        where, where_args = "", list[Any]()
        if customer_id is not None:
            where, where_args = where + " AND v.customer_id = ?", [*where_args, customer_id]
        if document_id is not None:
            where, where_args = where + " AND v.document_id = ?", [*where_args, document_id]
        if unread_only:
            # Walk the partial index of unread rows: fast however many threads are read.
            where += " AND u.count > 0"
            source, order_col, id_col = _UNREAD_FROM, "u.last_activity", "u.conversation_id"
        else:
            source = f"{CONVERSATION_FROM}WHERE v.account_id = ?"
            order_col, id_col = "v.last_activity", "v.id"

        def work(conn: C, me: Identity) -> Page[Conversation]:
            hits: Filter = ("", [])
            if query:
                found = self._search(conn, me, query, (where, where_args), cursor, limit)
                if isinstance(found, Page):
                    return found  # its cursor is the search's own
                hits = found
            tail, tail_args = f" ORDER BY {order_col} DESC, {id_col} DESC LIMIT ?", [limit + 1]
            if cursor:
                activity, cid = sql.split_cursor(cursor, 2)
                tail = f" AND ({order_col}, {id_col}) < (?, ?){tail}"
                tail_args = [self._dialect.time_cursor(activity), sql.int_cursor(cid), *tail_args]
            rows = self._dialect.all(
                conn,
                f"SELECT {sql.CONVERSATION_COLUMNS} {source}{where}{hits[0]}{tail}",
                [me.user.id, me.account.id, *where_args, *hits[1], *tail_args],
            )
            return sql.page([sql.conversation(r) for r in rows], limit, sql.conversation_cursor)

        return await self._as_me(work)

    async def get_conversation(self, conversation_id: int) -> Conversation:
        return await self._as_me(
            lambda conn, me: self._look.conversation(conn, me, conversation_id)
        )

    async def list_messages(
        self, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        sql.check_listing("", limit)

        def work(conn: C, me: Identity) -> Page[Message]:
            self._look.conversation(conn, me, conversation_id)
            return self._look.message_page(conn, conversation_id, cursor, limit)

        return await self._as_me(work)

    async def unread_total(self) -> int:
        return await self._as_me(
            lambda conn, me: int(
                self._dialect.value(
                    conn,
                    "SELECT COALESCE(SUM(count), 0) FROM unread WHERE user_id = ? AND count > 0",
                    (me.user.id,),
                )
            )
        )

    # -- attachments ----------------------------------------------------------------------------
    async def get_attachment(self, attachment_id: int) -> Attachment:
        return await self._as_me(
            lambda conn, me: sql.attachment(self._look.attachment_row(conn, me, attachment_id))
        )

    async def read_attachment(self, attachment_id: int) -> bytes:
        def work(conn: C, me: Identity) -> bytes:
            sha = self._look.attachment_row(conn, me, attachment_id)[4]
            query, missing = "SELECT data FROM blobs WHERE sha256 = ?", _NO_CONTENT
            return bytes(
                self._look.found(conn, query, (sha,), missing, attachment_id=attachment_id)[0]
            )

        return await self._as_me(work)

    # -- preferences ----------------------------------------------------------------------------
    async def get_preferences(self) -> NotificationPrefs:
        return await self._as_me(lambda conn, me: self._look.prefs(conn, me.user))

    async def set_preferences(self, prefs: NotificationPrefs) -> NotificationPrefs:
        prefs = rules.preferences(prefs)

        def work(conn: C, me: Identity) -> NotificationPrefs:
            with self._dialect.transaction(conn):
                self._dialect.execute(
                    conn,
                    _PREFS_UPSERT,
                    (me.user.id, prefs.email_on_reply, self._dialect.text_list(prefs.addresses),
                     prefs.mode, prefs.toast, prefs.bell, prefs.language),
                )  # fmt: skip
            return self._look.prefs(conn, me.user)

        return await self._as_me(work)

    # -- live refresh ---------------------------------------------------------------------------
    async def changes_since(self, cursor: int | None = None, *, limit: int = 200) -> ChangeBatch:
        return await self._as_me(
            lambda conn, me: self._look.changes(conn, _CHANGES, me.account.id, cursor, limit)
        )
