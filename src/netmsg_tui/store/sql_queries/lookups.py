"""Single rows by id, as the acting account may see them, and a thread's page of messages: the
reads every other query module builds on. An id of another account is NotFound, as a missing one
is."""

from __future__ import annotations

from typing import Any, TypeVar

from ...i18n import N_, _
from ...model import (
    Account,
    Attachment,
    Change,
    ChangeBatch,
    Conversation,
    Customer,
    Identity,
    Message,
    NotificationPrefs,
    Page,
    User,
)
from .. import sql
from ..base import Unauthorized
from ..sql import Row
from .dialect import Queries

C = TypeVar("C")

# A conversation's customer, document and this user's unread row (the ?: the user id).
CONVERSATION_FROM = (
    "FROM conversations v JOIN customers cu ON cu.id = v.customer_id "
    "LEFT JOIN documents d ON d.id = v.document_id "
    "LEFT JOIN unread u ON u.conversation_id = v.id AND u.user_id = ? "
)
_IDENTITY = (
    "SELECT u.id, u.account_id, u.name, u.email, a.name, a.plan "
    "FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = ?"
)
_CUSTOMER = (
    f"SELECT {sql.CUSTOMER_COLUMNS} FROM relationships r "
    "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = ? AND c.id = ?"
)
_DOCUMENT = (
    f"SELECT {sql.DOCUMENT_COLUMNS} FROM documents d JOIN customers cu "
    "ON cu.id = d.customer_id WHERE d.id = ? AND d.account_id = ?"
)
_CONVERSATION = (
    f"SELECT {sql.CONVERSATION_COLUMNS} {CONVERSATION_FROM}WHERE v.id = ? AND v.account_id = ?"
)
_ATTACHMENT = (
    f"SELECT {sql.ATTACHMENT_COLUMNS} FROM attachments a JOIN messages m ON m.id = a.message_id "
    "JOIN conversations v ON v.id = m.conversation_id WHERE a.id = ? AND v.account_id = ?"
)
_MESSAGE = f"SELECT {sql.MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?"
#: Refusals the customer side shares.
NO_CONVERSATION = N_("Conversation {conversation_id} does not exist")
NO_ATTACHMENT = N_("Attachment {attachment_id} does not exist")
_PREFS = (
    "SELECT email_on_reply, addresses, mode, toast, bell, language FROM notification_prefs "
    "WHERE user_id = ?"
)


class Lookups(Queries[C]):
    def identity(self, conn: C, user_id: int | None, location: str) -> Identity:
        """The user (default: the store's first one) with their account and plan."""
        if user_id is None:
            first = self.db.one(conn, "SELECT id FROM users ORDER BY id LIMIT 1")
            if first is None:
                raise Unauthorized(_(self.db.no_user_yet).format(location=location))
            user_id = int(first[0])
        row = self.db.one(conn, _IDENTITY, (user_id,))
        if row is None:
            raise Unauthorized(
                _("User {user_id} does not exist in this store").format(user_id=user_id)
            )
        account = Account(id=row[1], name=row[4], plan=row[5])
        user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
        return Identity(account=account, user=user, granted=(account,))

    def customer(self, conn: C, me: Identity, customer_id: int) -> Customer:
        missing = N_("Customer {customer_id} does not exist")
        args = (me.account.id, customer_id)
        return sql.customer(self.found(conn, _CUSTOMER, args, missing, customer_id=customer_id))

    def document_row(self, conn: C, me: Identity, document_id: int) -> Row:
        missing = N_("Document {document_id} does not exist")
        args = (document_id, me.account.id)
        return self.found(conn, _DOCUMENT, args, missing, document_id=document_id)

    def conversation(self, conn: C, me: Identity, conversation_id: int) -> Conversation:
        args = (me.user.id, conversation_id, me.account.id)
        row = self.found(
            conn, _CONVERSATION, args, NO_CONVERSATION, conversation_id=conversation_id
        )
        return sql.conversation(row)

    def message(self, conn: C, message_id: int) -> Message:
        missing = N_("Message {message_id} does not exist")
        row = self.found(conn, _MESSAGE, (message_id,), missing, message_id=message_id)
        return sql.message(row, self.attachments_of(conn, [message_id]).get(message_id, ()))

    def attachments_of(self, conn: C, message_ids: list[int]) -> dict[int, tuple[Attachment, ...]]:
        if not message_ids:
            return {}
        among, args = self.db.among("a.message_id", message_ids)
        found: dict[int, list[Attachment]] = {}
        for r in self.db.all(
            conn,
            f"SELECT a.message_id, {sql.ATTACHMENT_COLUMNS} FROM attachments a "
            f"WHERE {among} ORDER BY a.id",
            args,
        ):
            found.setdefault(r[0], []).append(sql.attachment(r[1:]))
        return {k: tuple(v) for k, v in found.items()}

    def attachment_row(self, conn: C, me: Identity, attachment_id: int) -> Row:
        args = (attachment_id, me.account.id)
        return self.found(conn, _ATTACHMENT, args, NO_ATTACHMENT, attachment_id=attachment_id)

    def message_page(
        self, conn: C, conversation_id: int, cursor: str | None, limit: int
    ) -> Page[Message]:
        """The newest ``limit`` messages before ``cursor`` (oldest-first in the page); the
        caller has checked that the conversation may be read."""
        text = f"SELECT {sql.MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = ?"
        args: list[Any] = [conversation_id]
        if cursor:
            text += " AND m.id < ?"
            args.append(sql.int_cursor(cursor))
        found = self.db.all(conn, text + " ORDER BY m.id DESC LIMIT ?", [*args, limit + 1])
        more = len(found) > limit
        found = found[:limit]
        files = self.attachments_of(conn, [r[0] for r in found])
        messages = [sql.message(r, files.get(r[0], ())) for r in reversed(found)]
        return Page(tuple(messages), str(messages[0].id) if more and messages else None)

    def prefs(self, conn: C, user: User) -> NotificationPrefs:
        row = self.db.one(conn, _PREFS, (user.id,))
        if row is None:
            return NotificationPrefs(addresses=(user.email,))
        return NotificationPrefs(
            email_on_reply=bool(row[0]),
            addresses=self.db.read_text_list(row[1]),
            mode=row[2],
            toast=bool(row[3]),
            bell=bool(row[4]),
            language=row[5],
        )

    def feed_head(self, conn: C) -> int:
        return int(self.db.value(conn, "SELECT COALESCE(MAX(id), 0) FROM changes"))

    def changes(
        self, conn: C, query: str, scope: int, cursor: int | None, limit: int
    ) -> ChangeBatch:
        """The changes ``query`` selects for ``scope`` (an account, a customer) after ``cursor``:
        its ``?`` are the scope, the cursor, the head and the limit. Bounded by the head read
        first, so a batch never passes an id still committing."""
        top = self.feed_head(conn)
        if cursor is None:
            return ChangeBatch((), top)
        found = tuple(Change(*r) for r in self.db.all(conn, query, (scope, cursor, top, limit)))
        if len(found) == limit:
            return ChangeBatch(found, found[-1].id)
        return ChangeBatch(found, max(cursor, top))
