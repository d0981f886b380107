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

from ...i18n import _
from ...model import (
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
from .. import rules
from ..base import (
    InvalidInput,
)
from ..sql_store import DraftTable, Rule, SQLStore, TemplateTable
from ..support_reads import SupportReads
from . import drafts as draft_table
from . import queries as q
from . import reads as reads
from . import rows as rows
from . import search as search
from . import templates as template_table
from .connection import Connection, transaction
from .writes import SQLiteWrites

T = TypeVar("T")
Conn = sqlite3.Connection


class SQLiteStore(SQLStore[sqlite3.Connection], SupportReads[sqlite3.Connection]):
    """A message store in one SQLite file, acting for ``user_id`` (default: the first user).

    :meth:`as_user` gives a view for another user that shares this connection (the server uses
    it per request). Customer-side writes (:meth:`add_customer_reply`) are the network's own
    operations, used by the server's customer role, the mail gateway and the demo.
    """

    _drafts: DraftTable[sqlite3.Connection] = draft_table
    _templates: TemplateTable[sqlite3.Connection] = template_table

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
            self._user_id = reads.first_user(conn, self.location)
        return reads.identity(conn, self._user_id)

    async def close(self) -> None:
        await self._shared.close()

    def _rows(self, conn: Conn, query: str, args: Sequence[Any]) -> list[Any]:
        return conn.execute(query, tuple(args)).fetchall()

    # -- who am I -------------------------------------------------------------------------------
    async def whoami(self) -> Identity:
        return await self._as_me(lambda conn, me: me)

    # -- customers ------------------------------------------------------------------------------
    async def list_customers(
        self, query: str = "", *, cursor: str | None = None, limit: int = 50
    ) -> Page[Customer]:
        q.check_listing(query, limit)
        return await self._as_me(reads.customers, query, cursor, limit)

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
            raise InvalidInput(
                _("Unknown document kind {kind!r}: use purchase_order or invoice").format(kind=kind)
            )
        return await self._as_me(
            reads.documents, query, kind, customer_id, oldest_first, cursor, limit
        )

    async def get_document(self, document_id: int) -> Document:
        return await self._as_me(reads.document, document_id)

    async def document_thread(self, document_id: int) -> Conversation | None:
        return await self._as_me(reads.document_thread, document_id)

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
        return await self._as_me(
            reads.conversations,
            self._shared.fts,
            query,
            unread_only,
            customer_id,
            document_id,
            cursor,
            limit,
        )

    async def get_conversation(self, conversation_id: int) -> Conversation:
        return await self._as_me(q.get_conversation, conversation_id)

    async def list_messages(
        self, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        q.check_listing("", limit)
        return await self._as_me(reads.messages, conversation_id, cursor, limit)

    # -- writes: decided by store/rules.py (see SQLStore), queries in .writes ------------------
    def _decide(self, conn: Conn, rule: Rule[T]) -> T:
        with transaction(conn):
            return rules.run_now(rule(SQLiteWrites(conn, self._shared.fts)))

    def _conversation(self, conn: Conn, me: Identity, conversation_id: int) -> Conversation:
        return q.get_conversation(conn, me, conversation_id)

    def _message(self, conn: Conn, message_id: int) -> Message:
        return q.get_message(conn, message_id)

    async def unread_total(self) -> int:
        return await self._as_me(reads.unread_total)

    # -- attachments ----------------------------------------------------------------------------
    async def get_attachment(self, attachment_id: int) -> Attachment:
        return await self._as_me(reads.attachment, attachment_id)

    async def read_attachment(self, attachment_id: int) -> bytes:
        return await self._as_me(reads.attachment_data, attachment_id)

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
        return await self._as_me(reads.changes, cursor, limit)
