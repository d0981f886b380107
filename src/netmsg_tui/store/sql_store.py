"""The writes of the port, once for every SQL adapter: checked by :mod:`.rules`, run in one
transaction over the adapter's :class:`~.rules.WriteSession`, read back as model objects; the
reads come from :class:`~.sql_reads.SQLReads`, drafts and templates from :mod:`.sql_queries`.

An adapter subclasses :class:`SQLStore` with its connection type and dialect and supplies a few
small hooks: how to run work on a connection (:meth:`~SQLStore._run`), the rules' session of
queries (:meth:`~SQLStore._session`) and its search (see :class:`~.sql_reads.SQLReads`).
Everything else about a write is here or in the rules: no SQL.
"""

from __future__ import annotations

import copy
from abc import abstractmethod
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Self, TypedDict, TypeVar, Unpack

from ..model import Conversation, Identity, Message, NewAttachment, Origin, Template
from . import rules
from .sql_queries.drafts import Drafts
from .sql_queries.templates import Templates
from .sql_reads import SQLReads

C = TypeVar("C")
T = TypeVar("T")
Rule = Callable[[rules.WriteSession], Coroutine[Any, Any, T]]


class CustomerReply(TypedDict, total=False):
    """The options of :meth:`SQLStore.add_customer_reply`."""

    customer_id: int | None
    contact_id: int | None
    origin: Origin
    idempotency_key: str | None


class SQLStore(SQLReads[C]):
    """A :class:`~.base.MessageStore` over SQL connections of type ``C``."""

    # -- what an adapter supplies ---------------------------------------------------------------
    _drafts: Drafts[C]
    _templates: Templates[C]
    location: str
    _user_id: int | None  # None: the store's first user, until the first call finds it

    @abstractmethod
    async def _run(self, fn: Callable[[C], T]) -> T:
        """``fn(conn)`` on the adapter's thread (the network's own writes: no acting user)."""

    @abstractmethod
    def _session(self, conn: C) -> rules.WriteSession:
        """The rules' queries on ``conn``, inside a write transaction."""

    def _decide(self, conn: C, rule: Rule[T]) -> T:
        """Run ``rule(session)`` in one write transaction: the rule driven with
        :func:`.rules.run_now`, commit, or roll back when it raises."""
        with self._dialect.transaction(conn):
            return rules.run_now(rule(self._session(conn)))

    def as_user(self, user_id: int) -> Self:
        """A view of this store acting for another user, sharing its connections (the server
        makes one per request)."""
        view = copy.copy(self)
        view._user_id = user_id
        return view

    async def _as_me(self, fn: Callable[[C, Identity], T]) -> T:
        def call(conn: C) -> T:
            me = self._look.identity(conn, self._user_id, self.location)
            self._user_id = me.user.id
            return fn(conn, me)

        return await self._run(call)

    def _conversation(self, conn: C, me: Identity, conversation_id: int) -> Conversation:
        return self._look.conversation(conn, me, conversation_id)

    def _message(self, conn: C, message_id: int) -> Message:
        return self._look.message(conn, message_id)

    def _new_message(self, conn: C, rule: Rule[rules.Written]) -> Message:
        """The message ``rule`` wrote (or replayed), read back."""
        return self._message(conn, self._decide(conn, rule).message_id)

    def _rows(self, conn: C, query: str, args: Sequence[Any]) -> list[Any]:
        return self._dialect.all(conn, query, args)

    # -- the writes -----------------------------------------------------------------------------
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

        def work(conn: C, me: Identity) -> Conversation:
            done = self._decide(
                conn,
                lambda session: rules.start(
                    session,
                    me,
                    customer_id,
                    message,
                    document_id=document_id,
                    key=idempotency_key,
                    origin=origin,
                ),
            )
            return self._conversation(conn, me, done.conversation_id)

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

        def rule(session: rules.WriteSession, me: Identity) -> Coroutine[Any, Any, rules.Written]:
            return rules.reply(
                session, me, conversation_id, message, key=idempotency_key, origin=origin
            )

        return await self._as_me(lambda conn, me: self._new_message(conn, lambda s: rule(s, me)))

    async def add_customer_reply(
        self,
        conversation_id: int,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        **options: Unpack[CustomerReply],
    ) -> Message:
        """Record the customer's answer in a conversation (the network side of the thread;
        :meth:`.network.NetworkStore.customer_reply` says what the options mean). Queues the
        email notifications in the same transaction. Raises NotFound, InvalidInput,
        AttachmentTooLarge, Conflict, Unavailable.
        """
        message = rules.outgoing(body, attachments)
        return await self._run(
            lambda conn: self._new_message(
                conn,
                lambda session: rules.customer_reply(
                    session,
                    conversation_id,
                    message,
                    customer_id=options.get("customer_id"),
                    contact_id=options.get("contact_id"),
                    key=options.get("idempotency_key"),
                    origin=options.get("origin", "app"),
                ),
            )
        )

    async def mark_read(self, conversation_id: int) -> None:
        def work(conn: C, me: Identity) -> None:
            self._decide(conn, lambda session: rules.mark_read(session, me, conversation_id))

        await self._as_me(work)

    # -- drafts -------------------------------------------------------------------------------
    async def save_draft(self, place: str, data: dict[str, Any]) -> None:
        await self._as_me(lambda conn, me: self._drafts.save(conn, me.user.id, place, data))

    async def drafts(self) -> dict[str, dict[str, Any]]:
        return await self._as_me(lambda conn, me: self._drafts.load(conn, me.user.id))

    async def delete_draft(self, place: str) -> None:
        await self._as_me(lambda conn, me: self._drafts.delete(conn, me.user.id, place))

    # -- canned replies ----------------------------------------------------------------------
    async def list_templates(self) -> tuple[Template, ...]:
        return await self._as_me(lambda conn, me: self._templates.load(conn, me.account.id))

    async def get_template(self, name: str) -> Template:
        return await self._as_me(lambda conn, me: self._templates.get(conn, me.account.id, name))

    async def save_template(self, name: str, body: str) -> Template:
        return await self._as_me(
            lambda conn, me: self._templates.save(conn, me.account.id, me.user.id, name, body)
        )

    async def delete_template(self, name: str) -> None:
        await self._as_me(lambda conn, me: self._templates.delete(conn, me.account.id, name))
