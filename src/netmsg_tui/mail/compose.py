"""The notification emails: one per customer reply, or one daily digest per user.

Threading in mail clients: every notification of a conversation says ``In-Reply-To`` the same
thread id and lists it first in ``References``, so clients stack them into one thread. The second
``References`` id carries the reply token, for mail servers that drop the ``+tag`` of the
Reply-To address (a reply's References repeat ours). ``Auto-Submitted: auto-generated`` (RFC
3834) and ``X-Auto-Response-Suppress`` keep vacation responders from answering.

The text is in the language in force: the sender composes each email inside
``use_language(<the recipient's preference>)``. Header names, ids and ``Re:`` stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from ..i18n import _, formats, ngettext
from ..model import Notice, human_size
from .tokens import TokenSigner

# Message ids must never be folded into RFC 2047 encoded words (the default policy does that to
# a word longer than 78 characters, and a long reply domain makes the token's id that long). So
# the headers are written with RFC 5322's hard limit of 998; the body is encoded before that,
# with the usual 78, so that quoted-printable lines stay short.
SEND_POLICY = policy.SMTP.clone(max_line_length=998)


def thread_id(conversation_id: int, domain: str) -> str:
    return f"<netmsg-thread.{conversation_id}@{domain}>"


def notice_subject(notice: Notice) -> str:
    context = notice.customer_name
    if notice.document_title:
        context += f", {notice.document_title}"
    return f"Re: {notice.subject} [{context}]"


def _headers(mail: EmailMessage, sender: str, to: Sequence[str], now: datetime) -> None:
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = format_datetime(now)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Auto-Response-Suppress"] = "All"


def notification(notice: Notice, signer: TokenSigner, sender: str, now: datetime) -> EmailMessage:
    """The email for one customer reply, addressed to all of the user's notification addresses."""
    domain = signer.reply_domain
    token = signer.issue(notice.user.id, notice.conversation_id, now)
    msg = notice.message
    mail = EmailMessage(policy=policy.SMTP)
    _headers(mail, sender, notice.prefs.addresses, now)
    mail["Subject"] = notice_subject(notice)
    mail["Reply-To"] = signer.address(token)
    mail["Message-ID"] = (
        f"<netmsg-notice.{notice.notice_id}.{notice.conversation_id}.{msg.id}@{domain}>"
    )
    mail["In-Reply-To"] = thread_id(notice.conversation_id, domain)
    mail["References"] = f"{thread_id(notice.conversation_id, domain)} {signer.reference(token)}"
    document = notice.document_title
    if document:
        said = _("{author} replied in “{subject}” about {document}")
    else:
        said = _("{author} replied in “{subject}”")
    lines = [said.format(author=msg.author, subject=notice.subject, document=document), ""]
    lines += [msg.body.strip() or _("(no text)"), ""]
    if msg.attachments:
        lines.append(_("Attachments (open them in netmsg):"))
        lines += [f"  📎 {a.filename} ({human_size(a.size)})" for a in msg.attachments]
        lines.append("")
    where = _("Thread {id} · {customer}").format(
        id=notice.conversation_id, customer=notice.customer_name
    )
    lines += [
        "—",
        _("Reply to this email to answer in the thread; your reply is posted as you."),
        _(
            "This reply address works until {date}. Attachments up to 10 MiB each are accepted."
        ).format(date=formats.full_date(token.expires)),
        _("Change these emails and their language with F2 in netmsg or 'netmsg preferences'."),
        where + (f" · {document}" if document else ""),
    ]
    mail.set_content("\n".join(lines) + "\n")
    mail.policy = SEND_POLICY
    return mail


def digest(
    notices: Sequence[Notice], signer: TokenSigner, sender: str, now: datetime
) -> EmailMessage:
    """One email listing the threads with new replies, each with its own reply address."""
    first = notices[0]
    by_thread: dict[int, list[Notice]] = {}
    for notice in notices:
        by_thread.setdefault(notice.conversation_id, []).append(notice)
    replies = len(notices)
    threads = len(by_thread)
    mail = EmailMessage(policy=policy.SMTP)
    _headers(mail, sender, first.prefs.addresses, now)
    mail["Subject"] = _("Daily digest: {replies} in {threads}").format(
        replies=ngettext("{n} new reply", "{n} new replies", replies).format(n=replies),
        threads=ngettext("{n} thread", "{n} threads", threads).format(n=threads),
    )
    mail["Message-ID"] = (
        f"<netmsg-digest.{first.user.id}.{first.notice_id}.{now:%Y%m%d}@{signer.reply_domain}>"
    )
    lines = [_("New customer replies for {name}:").format(name=first.user.name), ""]
    for conversation_id, items in by_thread.items():
        head = items[0]
        token = signer.issue(head.user.id, conversation_id, now)
        context = head.customer_name + (f", {head.document_title}" if head.document_title else "")
        new = ngettext("{n} new", "{n} new", len(items)).format(n=len(items))
        lines.append(f"■ {head.subject} [{context}] — {new}")
        for notice in items:
            text = " ".join(notice.message.body.split())
            clip = text if len(text) <= 200 else text[:199] + "…"
            files = "".join(f" 📎 {a.filename}" for a in notice.message.attachments)
            lines.append(f"  {notice.message.author}: {clip}{files}")
        lines.append("  " + _("Reply by email: {address}").format(address=signer.address(token)))
        lines.append("")
    lines += [
        "—",
        _("You get this digest once a day; change it with F2 in netmsg or 'netmsg preferences'."),
    ]
    mail.set_content("\n".join(lines) + "\n")
    mail.policy = SEND_POLICY
    return mail
