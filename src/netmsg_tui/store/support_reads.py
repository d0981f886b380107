"""The support look-ups of the port, once for every SQL adapter: :meth:`find`,
:meth:`message_trail`, :meth:`customer_reads` and :meth:`mail_log` (contracts in :mod:`.base`).

Plain SQL that SQLite and PostgreSQL both run, written with ``?`` placeholders: an adapter's
:meth:`SupportReads._rows` runs it through the engine's dialect (:mod:`.sql_queries.dialect`,
which spells them ``%s`` for PostgreSQL). Values come as each
engine returns them (text or typed times, JSON text or a list): the mapping takes either. Every
query is bound to the acting user's account: an id of another account is NotFound.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from ..i18n import N_, _
from ..model import (
    MAX_PAGE_SIZE,
    MAX_SEARCH_CHARS,
    CustomerRead,
    DeliveryTrail,
    Found,
    Identity,
    InboundMail,
    Message,
    NotificationRecord,
    document_title,
)
from . import sql
from .base import InvalidInput, MessageStore, NotFound

C = TypeVar("C")
T = TypeVar("T")
Row = Sequence[Any]
Rows = Callable[[str, Sequence[Any]], list[Row]]

MAX_MAIL_ID = 998  # a Message-ID is one header line (RFC 5322's limit)
INBOUND_COLUMNS = (
    "i.message_id, i.received, i.status, i.reason, i.conversation_id, i.stored_message_id, "
    "i.stripped_text, i.kept_at"
)
_NOT_FOUND = N_("No such message in this account")


class SupportReads(MessageStore, Generic[C]):
    """The four support reads over an adapter's connections of type ``C``."""

    @abstractmethod
    async def _as_me(self, fn: Callable[[C, Identity], T]) -> T:
        """``fn(conn, me)`` on the adapter's thread, ``me`` being the acting user."""

    @abstractmethod
    def _rows(self, conn: C, query: str, args: Sequence[Any]) -> list[Row]:
        """Every row of ``query`` (``?`` placeholders) with ``args``."""

    async def _with_rows(self, fn: Callable[[Rows, int], T]) -> T:
        def work(conn: C, me: Identity) -> T:
            return fn(lambda query, args: self._rows(conn, query, args), me.account.id)

        return await self._as_me(work)

    async def find(self, query: str, *, limit: int = 20) -> list[Found]:
        text = query.strip()
        if not text or len(text) > MAX_SEARCH_CHARS:
            raise InvalidInput(
                _("Look up 1 to {max_search_chars} characters").format(
                    max_search_chars=MAX_SEARCH_CHARS
                )
            )
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInput(
                _("limit must be 1 to {max_page_size}").format(max_page_size=MAX_PAGE_SIZE)
            )
        return await self._with_rows(lambda rows, account: find(rows, account, text, limit))

    async def message_trail(self, message: int | str) -> DeliveryTrail:
        if isinstance(message, str) and not 0 < len(message.strip()) <= MAX_MAIL_ID:
            raise InvalidInput(
                _("A Message-ID is 1 to {max_mail_id} characters").format(max_mail_id=MAX_MAIL_ID)
            )
        return await self._with_rows(lambda rows, account: trail(rows, account, message))

    async def customer_reads(self, conversation_id: int) -> list[CustomerRead]:
        return await self._with_rows(
            lambda rows, account: customer_reads(rows, account, conversation_id)
        )

    async def mail_log(self, *, limit: int = 20) -> list[InboundMail]:
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInput(
                _("limit must be 1 to {max_page_size}").format(max_page_size=MAX_PAGE_SIZE)
            )
        return await self._with_rows(lambda rows, account: mail_log(rows, account, limit))


# --- the queries ---------------------------------------------------------------------------------
def find(rows: Rows, account: int, text: str, limit: int) -> list[Found]:
    hits: list[Found] = []
    number = text.removeprefix("#")
    if number.isascii() and number.isdigit() and len(number) <= 18:
        for cid, subject, customer, customer_id in rows(
            "SELECT v.id, v.subject, cu.name, v.customer_id FROM conversations v "
            "JOIN customers cu ON cu.id = v.customer_id WHERE v.id = ? AND v.account_id = ?",
            (int(number), account),
        ):
            label = _("Thread {id}: {subject} ({customer})").format(
                id=cid, subject=subject, customer=customer
            )
            hits.append(Found("conversation", "thread id", label, cid, customer_id=customer_id))
        for mid, cid, author, subject, customer_id in rows(
            "SELECT m.id, m.conversation_id, m.author_name, v.subject, v.customer_id "
            "FROM messages m JOIN conversations v ON v.id = m.conversation_id "
            "WHERE m.id = ? AND v.account_id = ?",
            (int(number), account),
        ):
            label = _("Message {id} by {author} in thread {thread}: {subject}").format(
                id=mid, author=author, thread=cid, subject=subject
            )
            hits.append(Found("message", "message id", label, cid, mid, customer_id=customer_id))
    start = sql.escape_like(text.lower()) + "%"
    for did, kind, doc_number, customer, customer_id, cid in rows(
        "SELECT d.id, d.kind, d.number, cu.name, d.customer_id, v.id FROM documents d "
        "JOIN customers cu ON cu.id = d.customer_id "
        "LEFT JOIN conversations v ON v.document_id = d.id "
        "WHERE d.account_id = ? AND lower(d.number) LIKE ? ESCAPE '\\' "
        "ORDER BY d.number, d.id LIMIT ?",
        (account, start, limit),
    ):
        title = document_title(kind, doc_number)
        if cid is None:
            label = _("{document} ({customer})").format(document=title, customer=customer)
        else:
            label = _("{document} ({customer}), thread {thread}").format(
                document=title, customer=customer, thread=cid
            )
        hits.append(Found("document", "document number", label, cid, None, did, customer_id))
    seen: set[int] = set()
    customer_sql = (
        "SELECT c.id, c.name, c.network_id FROM relationships r "
        "JOIN customers c ON c.id = r.customer_id WHERE r.account_id = ? AND "
    )
    by_key = (
        ("network id", "lower(c.network_id) LIKE ? ESCAPE '\\' ORDER BY c.network_id", start),
        ("customer name", "lower(c.name) LIKE ? ESCAPE '\\' ORDER BY lower(c.name), c.id",
         sql.like_pattern(text.lower())),
    )  # fmt: skip
    for key, where, pattern in by_key:
        for customer_id, name, network_id in rows(
            f"{customer_sql}{where} LIMIT ?", (account, pattern, limit)
        ):
            if customer_id not in seen:
                seen.add(customer_id)
                label = f"{name} ({network_id})"
                hits.append(Found("customer", key, label, customer_id=customer_id))  # type: ignore[arg-type]
    return hits[:limit]


def trail(rows: Rows, account: int, message: int | str) -> DeliveryTrail:
    inbound: InboundMail | None = None
    if isinstance(message, str):
        found = rows(f"SELECT {INBOUND_COLUMNS} FROM inbound_mail i WHERE i.message_id = ?",
                     (message.strip(),))  # fmt: skip
        if not found:
            raise NotFound(_("No emailed reply with that Message-ID was received"))
        inbound = inbound_mail(found[0])
        if inbound.conversation_id is None or not rows(
            "SELECT id FROM conversations WHERE id = ? AND account_id = ?",
            (inbound.conversation_id, account),
        ):
            raise NotFound(_("No emailed reply with that Message-ID belongs to this account"))
        if inbound.stored_message_id is None:
            return DeliveryTrail(inbound.conversation_id, inbound=inbound)
        message_id = inbound.stored_message_id
    else:
        message_id = int(message)
        if not 0 < message_id < 2**63:  # no database holds it (and SQLite cannot bind it)
            raise NotFound(_(_NOT_FOUND))
    stored = _message(rows, account, message_id)
    if inbound is None:
        found = rows(
            f"SELECT {INBOUND_COLUMNS} FROM inbound_mail i WHERE i.stored_message_id = ?",
            (message_id,),
        )
        inbound = inbound_mail(found[0]) if found else None
    keys = rows(
        "SELECT key FROM idempotency WHERE message_id = ? AND conversation_id = ? "
        "ORDER BY key LIMIT 1",
        (message_id, stored.conversation_id),
    )
    read_at, reader = None, ""
    for at, name in rows(
        "SELECT read_at, contact_name FROM customer_reads "
        "WHERE conversation_id = ? AND up_to_message_id >= ? ORDER BY read_at, id LIMIT 1",
        (stored.conversation_id, message_id),
    ):
        read_at, reader = sql.moment(at), name
    return DeliveryTrail(
        stored.conversation_id,
        message=stored,
        idempotency_key=keys[0][0] if keys else None,
        notifications=tuple(_notifications(rows, message_id)),
        inbound=inbound,
        customer_read_at=read_at,
        customer_reader=reader,
    )


def _message(rows: Rows, account: int, message_id: int) -> Message:
    found = rows(
        f"SELECT {sql.MESSAGE_COLUMNS} FROM messages m "
        "JOIN conversations v ON v.id = m.conversation_id WHERE m.id = ? AND v.account_id = ?",
        (message_id, account),
    )
    if not found:
        raise NotFound(_(_NOT_FOUND))
    files = rows(
        f"SELECT {sql.ATTACHMENT_COLUMNS} FROM attachments a WHERE a.message_id = ? ORDER BY a.id",
        (message_id,),
    )
    return sql.message(found[0], tuple(sql.attachment(f) for f in files))


def _notifications(rows: Rows, message_id: int) -> list[NotificationRecord]:
    found = []
    for (nid, user, email, state, attempts, error, created, sent_at, mail_id, sent_to,
         prefs) in rows(
        "SELECT o.id, u.name, u.email, o.state, o.attempts, o.last_error, o.created, "
        "o.sent_at, o.email_message_id, o.sent_to, p.addresses FROM notification_outbox o "
        "JOIN users u ON u.id = o.user_id LEFT JOIN notification_prefs p ON p.user_id = u.id "
        "WHERE o.message_id = ? ORDER BY o.id",
        (message_id,),
    ):  # fmt: skip
        # Until the email was composed, the addresses it will go to are the user's current ones.
        addresses = _addresses(sent_to) or (_addresses(prefs) if prefs is not None else (email,))
        found.append(
            NotificationRecord(
                id=nid,
                user_name=user,
                addresses=addresses,
                state=state,
                attempts=attempts,
                last_error=error,
                created=sql.moment(created),
                sent_at=None if sent_at is None else sql.moment(sent_at),
                email_message_id=mail_id,
            )
        )
    return found


def _addresses(value: Any) -> tuple[str, ...]:
    """JSON text (SQLite, and the recorded ``sent_to``) or a decoded list (PostgreSQL jsonb)."""
    if isinstance(value, str):
        if not value:
            return ()
        import json  # here, not at the top: the TUI's start reads no addresses (start-up)

        value = json.loads(value)
    return tuple(str(a) for a in value or ())


def customer_reads(rows: Rows, account: int, conversation_id: int) -> list[CustomerRead]:
    if not 0 < conversation_id < 2**63 or not rows(
        "SELECT id FROM conversations WHERE id = ? AND account_id = ?", (conversation_id, account)
    ):
        raise NotFound(_("No such conversation"))
    return [
        CustomerRead(cid, name, up_to, sql.moment(at))
        for cid, name, up_to, at in rows(
            "SELECT conversation_id, contact_name, up_to_message_id, read_at "
            "FROM customer_reads WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
    ]


def mail_log(rows: Rows, account: int, limit: int) -> list[InboundMail]:
    return [
        inbound_mail(r)
        for r in rows(
            f"SELECT {INBOUND_COLUMNS} FROM inbound_mail i "
            "JOIN conversations v ON v.id = i.conversation_id "
            "WHERE v.account_id = ? ORDER BY i.received DESC, i.message_id LIMIT ?",
            (account, limit),
        )
    ]


def inbound_mail(row: Row) -> InboundMail:
    mid, received, status, reason, conv, stored, stripped, kept = row
    return InboundMail(mid, sql.moment(received), status, reason, conv, stored, stripped, kept)
