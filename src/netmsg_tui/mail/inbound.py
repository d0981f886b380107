"""Accepting an emailed reply: route on the signed token only, verify, strip, store.

The checks, in order, each with its reason (a rejection adds nothing to any thread):

1. duplicate ``Message-ID`` (an MTA retry, or a replay) — no bounce;
2. automatic mail (RFC 3834 ``Auto-Submitted``, ``Precedence: bulk|junk|list``, vacation
   headers, null envelope sender) — no bounce, so two robots never answer each other;
3. the reply token, from a ``reply+TOKEN@`` recipient, else from a ``References`` id: missing,
   forged or tampered — no bounce (we never answer mail we did not invite); expired — bounce;
4. the From address must be one of the token user's notification addresses (or the user's
   own email) — bounce;
5. attachments of at most 10 MiB each, and a non-empty reply — bounce;
6. the store's own rules (Enterprise plan, customer messaging still enabled, …) — bounce.

"Bounce" means the outcome tells the caller to refuse the mail with the reason: ``netmsg mail
ingest`` exits with status 65 (the MTA then returns the reason to the sender) and the SMTP/LMTP
port answers ``550``. Every rejected message is also kept, raw, in the rejected-mail folder with
an ``X-Netmsg-Rejected`` header giving the reason, and recorded in the store's inbound mail log.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Literal

from ..model import (
    MAX_ATTACHMENT_BYTES,
    InboundMail,
    NewAttachment,
    attachment_size_problem,
    safe_filename,
)
from ..private_files import private_folder, write_private
from ..store.base import StoreError, Unavailable
from ..store.network import NetworkStore
from . import reply_text
from .tokens import TokenError, TokenSigner

Status = Literal["accepted", "rejected", "duplicate", "retry"]
_AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")
_VACATION_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one inbound message. ``bounce``: refuse it to the sender with ``reason``;
    ``retry``: a temporary failure (the store is busy or missing), the MTA should try again."""

    status: Status
    reason: str = ""
    bounce: bool = False
    conversation_id: int | None = None
    message_id: int | None = None
    kept_at: Path | None = None


class _Rejected(Exception):
    def __init__(self, reason: str, *, bounce: bool, conversation_id: int | None = None):
        super().__init__(reason)
        self.bounce = bounce
        self.conversation_id = conversation_id


def rejected_dir_for(store: NetworkStore) -> Path:
    """The default rejected-mail folder: beside the store file, so a store's data stays together.
    Raises OSError for a store with no local folder (name one with ``rejected_dir``)."""
    if store.local_folder is None:
        raise OSError(f"the store {store.location} has no local folder: set a rejected-mail folder")
    return store.local_folder / "rejected-mail"


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def message_id_of(mail: EmailMessage, raw: bytes) -> str:
    found = str(mail.get("Message-ID", "") or "").strip()
    return found or f"<sha256.{hashlib.sha256(raw).hexdigest()}@netmsg.invalid>"


async def ingest(
    raw: bytes,
    store: NetworkStore,
    signer: TokenSigner,
    *,
    recipients: list[str] | None = None,
    envelope_sender: str | None = None,
    rejected_dir: Path | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Process one RFC 5322 message (``raw``) addressed to the reply domain.

    ``recipients`` are the envelope recipients when known (SMTP/LMTP, or the MTA pipe's
    argument); the To/Cc/Delivered-To headers are read as well. Never raises for bad mail:
    the outcome says what happened. A StoreError other than Unavailable is a rejection.
    """
    now = now or datetime.now(UTC)
    mail = parse(raw)
    mid = message_id_of(mail, raw)
    try:
        seen = await store.inbound_mail(mid)
        if seen is not None:
            earlier = f"{seen.status} at {seen.received:%Y-%m-%dT%H:%M:%S.%fZ}"
            return await _reject(
                raw, store, rejected_dir, mid, now,
                _Rejected(f"duplicate: message {mid} was already received ({earlier})",
                          bounce=False),
                record=False,
            )  # fmt: skip
        try:
            conversation_id, message_id, stripped = await _accept(
                mail, mid, store, signer, recipients or [], envelope_sender, now
            )
        except _Rejected as rejection:
            return await _reject(raw, store, rejected_dir, mid, now, rejection)
        # Stored but not yet recorded: a retry is safe, the store replays the idempotency key.
        await store.record_inbound_mail(
            InboundMail(mid, now, "accepted", "", conversation_id, message_id, stripped)
        )
    except Unavailable as exc:
        return Outcome("retry", f"the message store is not available: {exc}")
    except OSError as exc:  # the rejected-mail folder cannot be written: keep it at the MTA
        return Outcome("retry", f"cannot keep the rejected message: {exc}")
    return Outcome("accepted", conversation_id=conversation_id, message_id=message_id)


async def _accept(
    mail: EmailMessage,
    mid: str,
    store: NetworkStore,
    signer: TokenSigner,
    recipients: list[str],
    envelope_sender: str | None,
    now: datetime,
) -> tuple[int, int, str]:
    auto = automatic_reason(mail, envelope_sender)
    if auto:
        raise _Rejected(f"automatic reply ({auto}); not posted", bounce=False)
    headers = [str(v) for h in _RECIPIENT_HEADERS for v in mail.get_all(h, [])]
    addresses = recipients + [a for _, a in getaddresses(headers)]
    references = " ".join(str(mail.get(h, "")) for h in ("References", "In-Reply-To")).split()
    candidates = signer.find_candidates(addresses, references)
    if not candidates:
        raise _Rejected("no reply token: the message was not sent to a reply address", bounce=False)
    token = None
    problem: TokenError | None = None
    for text in candidates:
        try:
            token = signer.verify(text, now)
            break
        except TokenError as exc:
            problem = problem or exc
    if token is None:
        assert problem is not None
        raise _Rejected(str(problem), bounce=not problem.forged)
    conv = token.conversation_id
    sender = _sender(mail)
    allowed = await store.notification_addresses(token.user_id)
    if allowed is None:
        raise _Rejected("the user of this reply address no longer exists", bounce=True)
    if sender not in allowed:
        raise _Rejected(
            f"the sender {sender or '(none)'} is not one of the notification addresses of the "
            "user this reply address was issued to",
            bounce=True,
            conversation_id=conv,
        )
    attachments = _attachments(mail, conv)
    body, stripped = reply_text.strip_reply(reply_text.body_text(mail), str(mail["Subject"] or ""))
    if not body.strip() and not attachments:
        raise _Rejected(
            "the reply is empty once the quoted notification is removed: write your answer "
            "above the quoted text",
            bounce=True,
            conversation_id=conv,
        )
    try:
        message = await store.for_user(token.user_id).reply(
            conv, body, attachments, origin="email", idempotency_key=f"email:{mid}"
        )
    except Unavailable:
        raise
    except StoreError as exc:
        raise _Rejected(str(exc), bounce=True, conversation_id=conv) from None
    return conv, message.id, stripped


def automatic_reason(mail: EmailMessage, envelope_sender: str | None = None) -> str:
    """Why the message is an automatic one (RFC 3834 and common practice), or ''."""
    auto = str(mail.get("Auto-Submitted", "")).strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(mail.get("Precedence", "")).strip().lower()
    if precedence in _AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    for header in _VACATION_HEADERS:
        if mail.get(header) is not None:
            return f"{header} header"
    if envelope_sender is not None and envelope_sender.strip("<> ") == "":
        return "null envelope sender (a bounce)"
    return ""


def _sender(mail: EmailMessage) -> str:
    header = mail.get("From")
    addresses: tuple[Address, ...] = getattr(header, "addresses", ()) if header else ()
    if len(addresses) != 1:
        return ""
    return addresses[0].addr_spec.strip().lower()


def _attachments(mail: EmailMessage, conv: int) -> list[NewAttachment]:
    found: list[NewAttachment] = []
    for part in mail.iter_attachments():
        if not isinstance(part, EmailMessage) or part.is_multipart():
            continue
        # Images that an HTML body shows inline (logos in signatures) are not attachments.
        if part.get("Content-ID") and part.get_content_disposition() != "attachment":
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        name = safe_filename(part.get_filename() or "", fallback="attachment")
        if len(data) > MAX_ATTACHMENT_BYTES or not data:
            problem = attachment_size_problem(name, len(data)) or name
            raise _Rejected(problem, bounce=True, conversation_id=conv)
        found.append(NewAttachment(name, data, part.get_content_type()))
    return found


async def _reject(
    raw: bytes,
    store: NetworkStore,
    rejected_dir: Path | None,
    mid: str,
    now: datetime,
    rejection: _Rejected,
    *,
    record: bool = True,
) -> Outcome:
    reason = str(rejection)
    folder = rejected_dir or rejected_dir_for(store)
    kept = await asyncio.to_thread(keep_rejected, raw, folder, reason, now)
    if record:
        await store.record_inbound_mail(
            InboundMail(mid, now, "rejected", reason, rejection.conversation_id, kept_at=str(kept))
        )
    status: Status = "duplicate" if not record else "rejected"
    return Outcome(
        status,
        reason,
        bounce=rejection.bounce,
        conversation_id=rejection.conversation_id,
        kept_at=kept,
    )


def keep_rejected(raw: bytes, folder: Path, reason: str, now: datetime) -> Path:
    """Save the raw message with an ``X-Netmsg-Rejected: reason`` header on top (mode 0600)."""
    private_folder(folder)
    digest = hashlib.sha256(raw).hexdigest()[:12]
    path = folder / f"{now:%Y%m%dT%H%M%S}-{digest}.eml"
    header = "X-Netmsg-Rejected: " + " ".join(reason.split()) + "\r\n"
    write_private(path, header.encode("utf-8", errors="replace") + raw)
    return path
