"""The writes of the port, once for every SQL adapter: checked by :mod:`.rules`, run in one
transaction over the adapter's :class:`~.rules.WriteSession`, read back as model objects.

An adapter subclasses :class:`SQLStore` with its connection type and supplies five small hooks:
how to run work on a connection as the acting user (:meth:`~SQLStore._as_me`) or as the network
(:meth:`~SQLStore._run`), how to run a rule in one write transaction (:meth:`~SQLStore._decide`),
and how to read a conversation or a message back. Everything else about a write is here or in
the rules: no SQL.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Generic, Protocol, TypeVar

from ..model import Conversation, Identity, Message, NewAttachment, Origin, Template
from . import rules
from .base import MessageStore

C = TypeVar("C")
T = TypeVar("T")
Rule = Callable[[rules.WriteSession], Coroutine[Any, Any, T]]
C_in = TypeVar("C_in", contravariant=True)


class DraftTable(Protocol[C_in]):
    """An adapter's ``drafts`` module: blocking functions on its connection."""

    def save(self, conn: C_in, user_id: int, place: str, data: dict[str, Any]) -> None: ...
    def load(self, conn: C_in, user_id: int) -> dict[str, dict[str, Any]]: ...
    def delete(self, conn: C_in, user_id: int, place: str) -> None: ...


class TemplateTable(Protocol[C_in]):
    """An adapter's ``templates`` module: blocking functions on its connection."""

    def load(self, conn: C_in, account_id: int) -> tuple[Template, ...]: ...
    def get(self, conn: C_in, account_id: int, name: str) -> Template: ...
    def save(self, conn: C_in, account_id: int, user_id: int, name: str, body: str) -> Template: ...
    def delete(self, conn: C_in, account_id: int, name: str) -> None: ...


class SQLStore(MessageStore, Generic[C]):
    """A :class:`~.base.MessageStore` over SQL connections of type ``C``: the writes."""

    # -- what an adapter supplies ---------------------------------------------------------------
    # Its drafts and templates modules (the same functions, each in its engine's SQL dialect).
    _drafts: DraftTable[C]
    _templates: TemplateTable[C]

    @abstractmethod
    async def _as_me(self, fn: Callable[[C, Identity], T]) -> T:
        """``fn(conn, me)`` on the adapter's thread, ``me`` being the acting user."""

    @abstractmethod
    async def _run(self, fn: Callable[[C], T]) -> T:
        """``fn(conn)`` on the adapter's thread (the network's own writes: no acting user)."""

    @abstractmethod
    def _decide(self, conn: C, rule: Rule[T]) -> T:
        """Run ``rule(session)`` in one write transaction: a session over ``conn``, the rule
        driven with :func:`.rules.run_now`, commit, or roll back when it raises."""

    @abstractmethod
    def _conversation(self, conn: C, me: Identity, conversation_id: int) -> Conversation:
        """The conversation as ``me`` sees it (its unread count)."""

    @abstractmethod
    def _message(self, conn: C, message_id: int) -> Message:
        """The message with its attachments."""

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

        def work(conn: C, me: Identity) -> Message:
            done = self._decide(
                conn,
                lambda session: rules.reply(
                    session, me, conversation_id, message, key=idempotency_key, origin=origin
                ),
            )
            return self._message(conn, done.message_id)

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
        wrote it (default: the customer's main contact). Queues the email notifications in the
        same transaction. Raises NotFound, InvalidInput, AttachmentTooLarge, Conflict,
        Unavailable.
        """
        message = rules.outgoing(body, attachments)

        def work(conn: C) -> Message:
            done = self._decide(
                conn,
                lambda session: rules.customer_reply(
                    session,
                    conversation_id,
                    message,
                    customer_id=customer_id,
                    contact_id=contact_id,
                    key=idempotency_key,
                    origin=origin,
                ),
            )
            return self._message(conn, done.message_id)

        return await self._run(work)

    async def mark_read(self, conversation_id: int) -> None:
        def work(conn: C, me: Identity) -> None:
            self._decide(conn, lambda session: rules.mark_read(session, me, conversation_id))

        await self._as_me(work)

    # -- drafts (the adapter's drafts.py) -------------------------------------------------------
    async def save_draft(self, place: str, data: dict[str, Any]) -> None:
        await self._as_me(lambda conn, me: self._drafts.save(conn, me.user.id, place, data))

    async def drafts(self) -> dict[str, dict[str, Any]]:
        return await self._as_me(lambda conn, me: self._drafts.load(conn, me.user.id))

    async def delete_draft(self, place: str) -> None:
        await self._as_me(lambda conn, me: self._drafts.delete(conn, me.user.id, place))

    # -- canned replies (the adapter's templates.py) --------------------------------------------
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
