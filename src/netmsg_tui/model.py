"""The domain: frozen dataclasses, the network's rules and its limits.

Pure: no I/O, no Textual, no store. Every boundary (UI, store, server, mail) checks input with the
``*_problem`` functions below, so a refusal reads the same wherever it happens.

Decisions recorded here:

* A message needs a non-blank body **unless** it carries at least one attachment: sending a
  signed certificate without a covering note is a normal thing to do.
* Empty (0-byte) attachments are refused: on a business network they are almost always a mistake
  (a failed export), and the receiver cannot do anything with them.
* Subjects are single-line; leading/trailing whitespace is trimmed before it is checked.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from dataclasses import field
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from .i18n import N_, _, language, ngettext
from .i18n.formats import count as grouped
from .records import record
from .terminal_text import FILENAME_UNSAFE

# --- limits -------------------------------------------------------------------------------------
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # 10 MiB = 10,485,760 bytes, per file
MAX_ATTACHMENTS_PER_MESSAGE = 10
MAX_SUBJECT_CHARS = 200
MAX_BODY_CHARS = 50_000
MAX_FILENAME_CHARS = 255
MAX_NOTIFY_ADDRESSES = 3
MAX_SEARCH_CHARS = 200
MAX_PAGE_SIZE = 500

UPGRADE_TEXT = N_(
    "Messaging is available to Enterprise accounts only. To message your customers, "
    "upgrade this account to Enterprise: an account administrator can do so under "
    "Account settings > Subscription (or ask your network administrator)."
)
"""The refusal of a Standard account's write (a msgid: show it as ``_(UPGRADE_TEXT)``)."""

Plan = Literal["enterprise", "standard"]
Origin = Literal["app", "email", "api"]
DocumentKind = Literal["purchase_order", "invoice"]
AuthorKind = Literal["supplier", "customer"]
DigestMode = Literal["immediate", "daily"]

PLANS: tuple[Plan, ...] = ("enterprise", "standard")
ORIGINS: tuple[Origin, ...] = ("app", "email", "api")
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("purchase_order", "invoice")
DOCUMENT_KIND_LABELS: dict[str, str] = {
    "purchase_order": N_("Purchase order"),
    "invoice": N_("Invoice"),
}
"""Msgids: show them as ``_(DOCUMENT_KIND_LABELS[kind])``."""


def document_title(kind: str, number: str) -> str:
    """``Purchase order 4500012345`` / ``Bestellung 4500012345``, in the language in force."""
    label = DOCUMENT_KIND_LABELS.get(kind)
    return f"{_(label) if label else kind} {number}"


#: The statuses the network gives documents (SAP Business Network's), as msgids. A customer's
#: system may send another: that one is shown as it came (data, not a word of ours).
DOCUMENT_STATUS_LABELS: dict[str, str] = {
    "New": N_("New"),
    "Confirmed": N_("Confirmed"),
    "Shipped": N_("Shipped"),
    "Partially shipped": N_("Partially shipped"),
    "Changed": N_("Changed"),
    "Cancelled": N_("Cancelled"),
    "Sent": N_("Sent"),
    "Approved": N_("Approved"),
    "Paid": N_("Paid"),
    "Rejected": N_("Rejected"),
    "Disputed": N_("Disputed"),
}


def document_status(status: str) -> str:
    """A document's status in the language in force (``Confirmed`` / ``Bestätigt``)."""
    label = DOCUMENT_STATUS_LABELS.get(status)
    return _(label) if label else status


# --- entities -----------------------------------------------------------------------------------
@record
class Account:
    id: int
    name: str
    plan: Plan

    @property
    def can_message(self) -> bool:
        return self.plan == "enterprise"


@record
class NotificationPrefs:
    email_on_reply: bool = True
    addresses: tuple[str, ...] = ()
    mode: DigestMode = "immediate"
    toast: bool = True
    bell: bool = False
    language: str = "en"  # of the notification emails: "en" or "de" (i18n.LANGUAGES)


@record
class User:
    id: int
    account_id: int
    name: str
    email: str


@record
class Identity:
    """Who the store acts for: the answer to "who am I".

    ``role`` is ``supplier`` (a user of ``account``: reads and writes) or ``support`` (support
    staff: read-only, every read is audited by the server). ``account`` is the account shown;
    ``user`` the user whose view of it is read (for support: the account's first user, whose
    unread counts a support read leaves alone). ``granted``: the accounts this caller may open
    (:meth:`~netmsg_tui.store.base.MessageStore.open_account`), by id; a supplier's is its own.
    """

    account: Account
    user: User
    role: Role = "supplier"
    granted: tuple[Account, ...] = ()

    @property
    def read_only(self) -> bool:
        """Support staff never write: no composer, no reply, no read marks."""
        return self.role == "support"


@record
class Contact:
    name: str
    email: str
    phone: str
    address: str


@record
class Customer:
    id: int
    name: str
    network_id: str
    city: str
    messaging_enabled: bool
    contact: Contact


@record
class LineItem:
    line: int
    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return self.quantity * self.unit_price


@record
class Document:
    id: int
    kind: DocumentKind
    number: str
    customer_id: int
    customer_name: str
    issued: date
    amount: Decimal
    currency: str
    status: str
    line_items: tuple[LineItem, ...] = ()

    @property
    def title(self) -> str:
        """E.g. ``Purchase order 4500012345``: the default subject of its thread."""
        return document_title(self.kind, self.number)


@record
class Conversation:
    id: int
    customer_id: int
    customer_name: str
    subject: str
    document_id: int | None
    document_number: str | None
    created: datetime
    last_activity: datetime
    unread_count: int
    message_count: int
    last_preview: str = ""


@record
class Attachment:
    id: int
    filename: str
    size: int
    media_type: str
    sha256: str


@record
class Message:
    id: int
    conversation_id: int
    author: str
    author_kind: AuthorKind
    body: str
    sent_at: datetime
    origin: Origin
    attachments: tuple[Attachment, ...] = ()


@record
class NewAttachment:
    """An attachment on its way in: the bytes, before the store has given it an id."""

    filename: str
    data: bytes
    media_type: str = ""


@record
class Change:
    """One entry of the change feed: something happened to a conversation."""

    id: int
    kind: Literal["message", "read", "conversation"]
    conversation_id: int
    message_id: int | None
    author_kind: AuthorKind | None


# --- the network side: who calls, customer views, operators, mail -------------------------------
Role = Literal["supplier", "customer", "support"]
ROLES: tuple[Role, ...] = ("supplier", "customer", "support")
NoticeState = Literal["pending", "sending", "sent", "digested", "skipped", "failed"]
InboundStatus = Literal["accepted", "rejected"]


@record
class Principal:
    """The holder of a valid API token, as the network store's authentication answers it.

    * ``supplier``: a user of a supplier account; reads and writes that account's threads.
    * ``customer``: a contact of a buyer organisation; lists and answers its own threads.
    * ``support``: reads the accounts it was granted (never writes); every read is audited.
    """

    token_id: int
    role: Role
    user_id: int | None = None  # supplier
    account_id: int | None = None  # supplier: its account
    contact_id: int | None = None  # customer
    customer_id: int | None = None  # customer: the buyer organisation
    granted: frozenset[int] = frozenset()  # support: account ids
    # supplier: its account's change-feed head read with the token (the server's ETags), so a
    # conditional request needs no second look-up
    feed_head: int | None = None


@record
class CustomerContact:
    """A person who answers for a customer (buyer) organisation."""

    id: int
    name: str
    email: str


@record
class CustomerProfile:
    """Who a customer token speaks for: the contact and its organisation."""

    contact: CustomerContact
    customer: Customer


@record
class CustomerConversation:
    """A thread as its customer sees it: no unread count, and the supplier's name."""

    conversation: Conversation
    supplier: str


@record
class TokenInfo:
    """An API token as the operator lists it (never the token itself: only its hash is kept)."""

    id: int
    role: Role
    user_id: int | None
    contact_id: int | None
    label: str
    created: datetime
    revoked: datetime | None


@record
class IssuedToken:
    """A new token: ``token`` is shown once and never stored."""

    id: int
    token: str


@record
class AuditEntry:
    """One support read: who (token), which account, what (method and path), with what query."""

    id: int
    at: datetime
    token_id: int
    account_id: int | None
    action: str
    target: str


@record
class Notice:
    """Everything one notification email says about one customer reply (a queued notification)."""

    notice_id: int
    user: User
    prefs: NotificationPrefs
    conversation_id: int
    subject: str
    customer_name: str
    document_kind: str | None  # with document_number: the thread's document, if any
    document_number: str | None
    message: Message

    @property
    def document_title(self) -> str | None:
        """``Purchase order 4500012345`` in the language in force (the recipient's, in mail)."""
        if self.document_kind is None or self.document_number is None:
            return None
        return document_title(self.document_kind, self.document_number)


@record
class InboundMail:
    """An emailed reply the gateway saw: posted (``accepted``) or refused, with the reason."""

    message_id: str  # the mail's Message-ID
    received: datetime
    status: InboundStatus
    reason: str = ""
    conversation_id: int | None = None
    stored_message_id: int | None = None
    stripped_text: str = ""  # the quoted history taken off the reply
    kept_at: str = ""  # rejected: where the raw mail is kept (a file on the mail host)


# --- what support staff (and suppliers) look up ---------------------------------------------------
FoundKind = Literal["conversation", "message", "document", "customer"]
FoundKey = Literal["thread id", "message id", "document number", "network id", "customer name"]
FOUND_KEYS: tuple[FoundKey, ...] = (
    "thread id",
    "message id",
    "document number",
    "network id",
    "customer name",
)
#: Where a message came from, in words: typed in the app, answered by email, sent over the API.
ORIGIN_LABELS: dict[str, str] = {"app": N_("typed"), "email": N_("email"), "api": N_("network")}


@record
class Found:
    """One hit of :meth:`~netmsg_tui.store.base.MessageStore.find`: what matched, by which key,
    and the ids to open it with (a document's or message's thread in ``conversation_id`` when
    it has one). ``label`` is one line for a person (hostile text: show it sanitised)."""

    kind: FoundKind
    key: FoundKey
    label: str
    conversation_id: int | None = None
    message_id: int | None = None
    document_id: int | None = None
    customer_id: int | None = None


@record
class CustomerRead:
    """A contact of the customer read the thread up to ``up_to_message_id`` at ``read_at``
    (the customer API records it when the contact opens the thread)."""

    conversation_id: int
    contact_name: str
    up_to_message_id: int
    read_at: datetime


@record
class NotificationRecord:
    """One notification email a customer message caused (one per supplier user): to which
    addresses, its state (``NoticeState``), how many tries, the last error, and the email's
    Message-ID (empty until it was composed; ``addresses`` are the user's current ones until
    then)."""

    id: int
    user_name: str
    addresses: tuple[str, ...]
    state: NoticeState
    attempts: int
    last_error: str
    created: datetime
    sent_at: datetime | None = None
    email_message_id: str = ""


@record
class DeliveryTrail:
    """What happened to a message after it was stored.

    * ``message``: the stored message: when (``sent_at``), by whom (``author``), from where
      (``origin``, see :data:`ORIGIN_LABELS`); None for an emailed reply that was rejected.
    * ``idempotency_key``: the key the send carried (None: sent without one).
    * ``notifications``: the emails a customer message caused (none for a supplier's).
    * ``inbound``: for a reply by email, its record: accepted, or the rejection reason and
      where the raw mail is kept.
    * ``customer_read_at``/``customer_reader``: when a contact of the customer first read the
      thread with this message in it, and who (None: not read yet).
    """

    conversation_id: int | None
    message: Message | None = None
    idempotency_key: str | None = None
    notifications: tuple[NotificationRecord, ...] = ()
    inbound: InboundMail | None = None
    customer_read_at: datetime | None = None
    customer_reader: str = ""


T = TypeVar("T")


@record
class Page(Generic[T]):
    """One page of a listing. ``next_cursor`` is None on the last page."""

    items: tuple[T, ...]
    next_cursor: str | None = None


@record
class ChangeBatch:
    changes: tuple[Change, ...]
    cursor: int
    extra: dict[str, int] = field(default_factory=dict)


# --- rules --------------------------------------------------------------------------------------
def human_size(size: int) -> str:
    """1536 -> '1.5 KiB'. Bytes below 1 KiB are shown exactly."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            shown = f"{value:.1f}"
            return f"{shown.replace('.', ',') if language() == 'de' else shown} {unit}"
    raise AssertionError("unreachable")


def attachment_size_problem(filename: str, size: int) -> str | None:
    """The refusal text for a file of ``size`` bytes, or None when the size is allowed."""
    if size > MAX_ATTACHMENT_BYTES:
        limit = grouped(MAX_ATTACHMENT_BYTES)
        if human_size(size) == human_size(MAX_ATTACHMENT_BYTES):
            # "is 10.0 MiB … at most 10 MiB" reads like no refusal at all: bytes lead then.
            over = size - MAX_ATTACHMENT_BYTES
            return ngettext(
                "{filename} is {size} bytes, {over} byte over: "
                "attachments may be at most {limit} bytes (10 MiB)",
                "{filename} is {size} bytes, {over} bytes over: "
                "attachments may be at most {limit} bytes (10 MiB)",
                over,
            ).format(filename=filename, size=grouped(size), over=grouped(over), limit=limit)
        return _(
            "{filename} is {human} ({size} bytes); attachments may be at most 10 MiB "
            "({limit} bytes)"
        ).format(filename=filename, human=human_size(size), size=grouped(size), limit=limit)
    if size == 0:
        return _("{filename} is empty (0 bytes); empty files cannot be attached").format(
            filename=filename
        )
    return None


def nul_problem(text: str) -> str | None:
    """A NUL character (0x00) is refused in every stored text, on every store: PostgreSQL's
    text type cannot hold one and SQLite could, so refusing it here keeps the stores alike
    (rather than changing the text silently)."""
    if "\x00" in text:
        return _("Text may not contain the NUL character (0x00); nothing was stored")
    return None


def filename_problem(filename: str) -> str | None:
    if problem := nul_problem(filename):
        return problem
    if not filename.strip():
        return _("an attachment needs a file name")
    if len(filename) > MAX_FILENAME_CHARS:
        return _("attachment file name is longer than {limit} characters").format(
            limit=MAX_FILENAME_CHARS
        )
    return None


def subject_problem(subject: str) -> str | None:
    if problem := nul_problem(subject):
        return problem
    if not subject.strip():
        return _("Subject is empty: enter a subject")
    if len(subject) > MAX_SUBJECT_CHARS:
        return _("Subject is {length} characters; at most {limit} are allowed").format(
            length=grouped(len(subject)), limit=MAX_SUBJECT_CHARS
        )
    if "\n" in subject or "\r" in subject:
        return _("Subject must be a single line")
    return None


def body_problem(body: str, attachment_count: int = 0) -> str | None:
    if problem := nul_problem(body):
        return problem
    if not body.strip() and attachment_count == 0:
        return _("Message is empty: write a message or attach a file")
    if len(body) > MAX_BODY_CHARS:
        return _("Message is {length} characters; at most {limit} are allowed").format(
            length=grouped(len(body)), limit=grouped(MAX_BODY_CHARS)
        )
    return None


def attachment_count_problem(count: int) -> str | None:
    if count > MAX_ATTACHMENTS_PER_MESSAGE:
        return _("{count} attachments; a message may carry at most {limit}").format(
            count=count, limit=MAX_ATTACHMENTS_PER_MESSAGE
        )
    return None


@functools.cache  # compiled when a name is first made safe, not at start-up (~0.5 ms)
def _unsafe_name() -> re.Pattern[str]:
    # C0, DEL, C1, bidi controls and marks, line separators: a saved name shows what it is.
    return re.compile(f'[\x00-\x1f\x7f{FILENAME_UNSAFE}/\\\\:*?"<>|]')


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A name that is safe to create inside a chosen directory.

    Strips directories (``../../.bashrc`` -> ``.bashrc`` is still hidden, so leading dots are
    removed too), control and bidi characters (``invoice<U+202E>fdp.exe`` reads as
    ``invoiceexe.pdf``) and characters that Windows forbids; never empty.
    """
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _unsafe_name().sub("_", name).strip().lstrip(".").strip()
    if name in {"", ".", ".."}:
        name = fallback
    return name[:MAX_FILENAME_CHARS]


def contact_text(customer: Customer) -> str:
    """The contact card text shown where a disabled customer cannot be messaged."""
    c = customer.contact
    return _(
        "{customer} has not enabled messaging. Contact them directly: "
        "{name}, {email}, {phone}, {address}"
    ).format(customer=customer.name, name=c.name, email=c.email, phone=c.phone, address=c.address)


# --- canned replies -----------------------------------------------------------------------------
MAX_TEMPLATE_NAME_CHARS = 60
#: The placeholders a canned reply may hold, and what each one is filled with.
TEMPLATE_PLACEHOLDERS: dict[str, str] = {
    "customer": N_("the customer's name"),
    "contact": N_("the customer's contact person"),
    "document": N_("the document number"),
    "document_kind": N_("the document's kind (Purchase order, Invoice)"),
    "me": N_("your name"),
}
"""The descriptions are msgids: show them as ``_(TEMPLATE_PLACEHOLDERS[name])``."""
# A letter or digit first: the name is also a path-safe key in URLs and on the command line.
_TEMPLATE_NAME = re.compile(r"[^\W_][\w .-]*")


@record
class Template:
    """A canned reply, shared by the users of an account; ``body`` holds ``{placeholders}``."""

    name: str
    body: str


def template_problem(name: str, body: str) -> str | None:
    """The refusal text for a template, or None when it may be saved.

    A placeholder is one of :data:`TEMPLATE_PLACEHOLDERS` in braces, nothing else (no format
    spec, no conversion); a literal brace is written twice (``{{`` and ``}}``)."""
    if not name.strip():
        return _("A template needs a name")
    if len(name) > MAX_TEMPLATE_NAME_CHARS:
        return _("A template name is at most {limit} characters").format(
            limit=MAX_TEMPLATE_NAME_CHARS
        )
    if not _TEMPLATE_NAME.fullmatch(name):
        return _(
            "A template name is letters, digits, spaces, '-', '_' and '.', "
            "starting with a letter or digit"
        )
    if problem := nul_problem(body):
        return problem
    if not body.strip():
        return _("Template text is empty: write the reply")
    if len(body) > MAX_BODY_CHARS:
        return _("Template text is {length} characters; at most {limit} are allowed").format(
            length=grouped(len(body)), limit=grouped(MAX_BODY_CHARS)
        )
    known = ", ".join(f"{{{p}}}" for p in TEMPLATE_PLACEHOLDERS)
    try:
        parts = list(string.Formatter().parse(body))
    except ValueError as exc:
        return _("Template is malformed ({error}); write {{{{ and }}}} for a literal brace").format(
            error=exc
        )
    for _text, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        if field_name not in TEMPLATE_PLACEHOLDERS:
            return _("Unknown placeholder {{{field}}} in the template; use {known}").format(
                field=field_name, known=known
            )
        if spec or conversion:
            return _("Placeholder {{{field}}} takes no format: write {{{field}}}").format(
                field=field_name
            )
    return None


def fill_template(body: str, values: dict[str, str]) -> str:
    """``body`` with its placeholders replaced by ``values`` (a missing value, e.g. no document
    in a context-free thread, is left empty). ``body`` must pass :func:`template_problem`."""
    return body.format_map({name: values.get(name, "") for name in TEMPLATE_PLACEHOLDERS})
