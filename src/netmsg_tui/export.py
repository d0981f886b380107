"""A thread as a file: Markdown, an mbox of RFC 5322 messages, or JSON in the API's shape.

The formatting is pure (no Textual, no I/O); :func:`gather` reads a thread through the store port.
The CLI (``netmsg export``) and the TUI's thread screen both use it, so the files are the same.

Every string from outside (subject, names, bodies, file names) goes through the terminal
sanitiser first: an export holds the text the terminal shows, never raw control or bidi
characters that could drive a terminal when the file is ``cat``-ed or opened in a mail client.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime
from io import BytesIO
from typing import TYPE_CHECKING, Literal

from .i18n import _, formats, ngettext
from .model import Attachment, Conversation, Message, human_size
from .terminal_text import escape_json_text, printable, printable_line

if TYPE_CHECKING:
    from .store.base import MessageStore

ExportFormat = Literal["md", "eml", "json"]
FORMATS: tuple[ExportFormat, ...] = ("md", "eml", "json")
SUFFIXES: dict[ExportFormat, str] = {"md": ".md", "eml": ".mbox", "json": ".json"}
#: Made-up domain of the exported mail addresses and Message-IDs (.invalid never resolves).
MAIL_DOMAIN = "netmsg.invalid"
_FROM_LINE = re.compile(r"^From ", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ThreadExport:
    """What an export holds: the thread, its messages oldest first, and (for mbox) the bytes of
    every attachment by attachment id."""

    conversation: Conversation
    messages: tuple[Message, ...]
    files: dict[int, bytes] = field(default_factory=dict)


async def gather(store: MessageStore, thread_id: int, *, with_files: bool) -> ThreadExport:
    """Read the whole thread (every page) and, with ``with_files``, every attachment's bytes.
    Raises what the store raises (NotFound, Unavailable, …)."""
    conversation = await store.get_conversation(thread_id)
    pages: list[tuple[Message, ...]] = []
    cursor: str | None = None
    while True:  # pages come newest first, messages oldest first inside a page
        page = await store.list_messages(thread_id, cursor=cursor, limit=200)
        pages.append(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    messages = tuple(m for items in reversed(pages) for m in items)
    files: dict[int, bytes] = {}
    if with_files:
        for m in messages:
            for a in m.attachments:
                files[a.id] = await store.read_attachment(a.id)
    return ThreadExport(conversation, messages, files)


def default_filename(conversation: Conversation, fmt: ExportFormat) -> str:
    """``thread-12.md``: no outside text in it, so it is always a safe name."""
    return f"thread-{conversation.id}{SUFFIXES[fmt]}"


def render(thread: ThreadExport, fmt: ExportFormat) -> bytes:
    """The export file's bytes in ``fmt``."""
    if fmt == "md":
        return markdown(thread).encode()
    if fmt == "eml":
        return mbox(thread)
    return json_text(thread).encode()


# -- sanitised copies -----------------------------------------------------------------------------
def _clean_conversation(c: Conversation) -> Conversation:
    return dataclasses.replace(
        c,
        customer_name=printable_line(c.customer_name),
        subject=printable_line(c.subject),
        document_number=printable_line(c.document_number) if c.document_number else None,
        last_preview=printable_line(c.last_preview),
    )


def _clean_attachment(a: Attachment) -> Attachment:
    return dataclasses.replace(
        a, filename=printable_line(a.filename), media_type=printable_line(a.media_type)
    )


def _clean_message(m: Message) -> Message:
    return dataclasses.replace(
        m,
        author=printable_line(m.author),
        body=printable(m.body),
        attachments=tuple(_clean_attachment(a) for a in m.attachments),
    )


def _clean(thread: ThreadExport) -> tuple[Conversation, Sequence[Message]]:
    return _clean_conversation(thread.conversation), [_clean_message(m) for m in thread.messages]


def _when(m: Message) -> str:
    """When a message was sent, in UTC, as the export's language writes dates."""
    return formats.date_time(m.sent_at.astimezone(UTC)) + " UTC"


# -- formats --------------------------------------------------------------------------------------
def markdown(thread: ThreadExport) -> str:
    """Readable Markdown: a heading per message, its text as a quote (so no customer text can
    pass for a heading of the export), attachments listed with size and sha256. The export's
    own words and dates follow the interface's language; the customers' text is as written."""
    conv, messages = _clean(thread)
    lines = [f"# {conv.subject}", ""]
    count = ngettext("{n} message", "{n} messages", len(messages)).format(n=len(messages))
    if conv.document_number:
        about = _("Thread {id} with {customer}; document {document}; {count}.").format(
            id=conv.id, customer=conv.customer_name, document=conv.document_number, count=count
        )
    else:
        about = _("Thread {id} with {customer}; {count}.").format(
            id=conv.id, customer=conv.customer_name, count=count
        )
    lines += [about, ""]
    for m in messages:
        via = " " + _("(replied by email)") if m.origin == "email" else ""
        lines += [f"## {m.author}, {_when(m)}{via}", ""]
        if m.body:
            lines += [f"> {line}".rstrip() for line in m.body.split("\n")]
            lines.append("")
        if m.attachments:
            lines += [_("Attachments:"), ""]
            for a in m.attachments:
                lines.append(f"- `{a.filename}` ({human_size(a.size)}), sha256 `{a.sha256}`")
            lines.append("")
    return "\n".join(lines)


def json_text(thread: ThreadExport) -> str:
    """The thread as ``GET /conversations/{id}`` and ``GET .../messages`` answer it (see
    ``wire``): the conversation's fields plus ``messages`` oldest first."""
    from .wire import to_json

    conv, messages = _clean(thread)
    data = {**to_json(conv), "messages": to_json(list(messages))}
    return escape_json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _address(m: Message) -> Address:
    return Address(display_name=m.author, username=m.author_kind, domain=MAIL_DOMAIN)


def _message_id(conv: Conversation, m: Message) -> str:
    return f"<message-{m.id}.thread-{conv.id}@{MAIL_DOMAIN}>"


def mail_messages(thread: ThreadExport) -> list[EmailMessage]:
    """One RFC 5322 message per thread message, with its attachments; each one answers the one
    before it (In-Reply-To, References), so a mail client shows them as one thread."""
    conv, messages = _clean(thread)
    found: list[EmailMessage] = []
    previous: list[str] = []
    for m in messages:
        mail = EmailMessage(policy=default_policy)
        mail["From"] = _address(m)
        mail["Subject"] = conv.subject if not previous else f"Re: {conv.subject}"
        mail["Date"] = format_datetime(m.sent_at.astimezone(UTC))
        mail["Message-ID"] = _message_id(conv, m)
        if previous:
            mail["In-Reply-To"] = previous[-1]
            mail["References"] = " ".join(previous)
        mail["X-Netmsg-Thread"] = str(conv.id)
        mail["X-Netmsg-Origin"] = m.origin
        # A line starting "From " would come back as ">From " from an mbox: base64 keeps it.
        from_line = _FROM_LINE.search(m.body) is not None
        mail.set_content(m.body or "", cte="base64" if from_line else None)
        for a in m.attachments:
            maintype, _sep, subtype = (a.media_type or "application/octet-stream").partition("/")
            data = thread.files.get(a.id)
            if data is None:
                raise KeyError(f"attachment {a.id} was not gathered (gather(with_files=True))")
            mail.add_attachment(
                data, maintype=maintype, subtype=subtype or "octet-stream", filename=a.filename
            )
        found.append(mail)
        previous.append(_message_id(conv, m))
    return found


def mbox(thread: ThreadExport) -> bytes:
    """The messages as an mbox file (``From `` separator lines, body lines starting with
    ``From `` quoted as ``>From ``), which ``mailbox.mbox`` and mail clients read."""
    out = BytesIO()
    policy = default_policy.clone(linesep="\n")
    for mail, m in zip(mail_messages(thread), thread.messages, strict=True):
        stamp = m.sent_at.astimezone(UTC).strftime("%a %b %d %H:%M:%S %Y")
        out.write(f"From netmsg@{MAIL_DOMAIN} {stamp}\n".encode())
        BytesGenerator(out, mangle_from_=True, policy=policy).flatten(mail)
        out.write(b"\n")
    return out.getvalue()
