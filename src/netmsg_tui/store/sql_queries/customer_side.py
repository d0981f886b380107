"""The customer side of threads: a buyer's contact lists, reads and fetches in its own threads.
A customer sees the threads of its own organisation with every supplier; other ids answer
NotFound."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from ...i18n import N_
from ...model import (
    Attachment,
    ChangeBatch,
    CustomerContact,
    CustomerConversation,
    CustomerProfile,
    Message,
    Page,
)
from .. import sql
from ..sql import Row
from .dialect import Dialect, Queries
from .lookups import NO_ATTACHMENT, NO_CONVERSATION, Lookups

C = TypeVar("C")

# Conversation columns without a user's unread count (customers have none), plus the supplier.
_THREADS = (
    "SELECT v.id, v.customer_id, cu.name, v.subject, v.document_id, d.number, v.created, "
    "v.last_activity, 0, v.message_count, v.last_preview, a.name "
    "FROM conversations v JOIN customers cu ON cu.id = v.customer_id "
    "JOIN accounts a ON a.id = v.account_id LEFT JOIN documents d ON d.id = v.document_id "
)
_PROFILE = (
    f"SELECT cc.id, cc.name, cc.email, {sql.CUSTOMER_COLUMNS} FROM customer_contacts cc "
    "JOIN customers c ON c.id = cc.customer_id WHERE cc.id = ?"
)
_ATTACHMENT = (
    f"SELECT {sql.ATTACHMENT_COLUMNS}, b.data FROM attachments a "
    "JOIN messages m ON m.id = a.message_id JOIN conversations v ON v.id = m.conversation_id "
    "JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = ? AND v.customer_id = ?"
)
_CHANGES = (
    "SELECT c.id, c.kind, c.conversation_id, c.message_id, c.author_kind FROM changes c "
    "JOIN conversations v ON v.id = c.conversation_id WHERE v.customer_id = ? "
    "AND c.id > ? AND c.id <= ? AND c.kind != 'read' ORDER BY c.id LIMIT ?"
)

_READ_STATE = (
    "SELECT k.name, (SELECT MAX(id) FROM messages WHERE conversation_id = v.id), "
    "(SELECT MAX(up_to_message_id) FROM customer_reads "
    " WHERE conversation_id = v.id AND contact_id = k.id) "
    "FROM customer_contacts k JOIN conversations v ON v.customer_id = k.customer_id "
    "WHERE k.id = ? AND v.id = ?"
)


def _thread(row: Row) -> CustomerConversation:
    return CustomerConversation(sql.conversation(row[:11]), row[11])


class CustomerSide(Queries[C]):
    def __init__(self, db: Dialect[C]) -> None:
        super().__init__(db)
        self.look = Lookups(db)

    def profile(self, conn: C, contact_id: int) -> CustomerProfile:
        missing = N_("This customer contact no longer exists")
        row = self.found(conn, _PROFILE, (contact_id,), missing)
        return CustomerProfile(CustomerContact(row[0], row[1], row[2]), sql.customer(row[3:]))

    def conversations(
        self, conn: C, customer_id: int, cursor: str | None, limit: int
    ) -> Page[CustomerConversation]:
        text = f"{_THREADS}WHERE v.customer_id = ?"
        args: list[Any] = [customer_id]
        if cursor:
            activity, cid = sql.split_cursor(cursor, 2)
            text += " AND (v.last_activity, v.id) < (?, ?)"
            args += [self.db.time_cursor(activity), sql.int_cursor(cid)]
        text += " ORDER BY v.last_activity DESC, v.id DESC LIMIT ?"
        found = [_thread(r) for r in self.db.all(conn, text, [*args, limit + 1])]
        return sql.page(found, limit, lambda c: sql.conversation_cursor(c.conversation))

    def conversation(self, conn: C, customer_id: int, conversation_id: int) -> CustomerConversation:
        query, args = (
            f"{_THREADS}WHERE v.id = ? AND v.customer_id = ?",
            (conversation_id, customer_id),
        )
        return _thread(
            self.found(conn, query, args, NO_CONVERSATION, conversation_id=conversation_id)
        )

    def messages(
        self, conn: C, customer_id: int, conversation_id: int, cursor: str | None, limit: int
    ) -> Page[Message]:
        self.conversation(conn, customer_id, conversation_id)
        return self.look.message_page(conn, conversation_id, cursor, limit)

    def attachment(self, conn: C, customer_id: int, attachment_id: int) -> tuple[Attachment, bytes]:
        args = (attachment_id, customer_id)
        row = self.found(conn, _ATTACHMENT, args, NO_ATTACHMENT, attachment_id=attachment_id)
        return sql.attachment(row[:5]), bytes(row[5])

    def changes(self, conn: C, customer_id: int, cursor: int | None, limit: int) -> ChangeBatch:
        return self.look.changes(conn, _CHANGES, customer_id, cursor, limit)

    def mark_read(self, conn: C, contact_id: int, conversation_id: int, now: datetime) -> None:
        with self.db.transaction(conn):
            # The contact's row is locked, so two marks of one contact are not both taken.
            state = _READ_STATE + self.db.for_update("k")
            row = self.found(conn, state, (contact_id, conversation_id), N_("No such conversation"))
            name, newest, last = row
            if newest is not None and (last is None or newest > last):
                self.db.execute(
                    conn,
                    "INSERT INTO customer_reads(conversation_id, contact_id, contact_name, "
                    "up_to_message_id, read_at) VALUES (?, ?, ?, ?, ?)",
                    (conversation_id, contact_id, name, newest, self.db.time(now)),
                )
