"""What support staff (and suppliers, for their own account) ask when a message went astray:
``netmsg find QUERY`` and ``netmsg trail MESSAGE``. Both read through the store port, so they
work on every store; on a network server a support token picks the account with ``--account``
(every read is audited there)."""

from __future__ import annotations

import argparse
from datetime import datetime

from ..i18n import N_, _, ngettext
from ..model import ORIGIN_LABELS, DeliveryTrail
from ..store import MessageStore
from .common import COUNTED, add_store_options, print_json, say_line, with_store

#: Who wrote a message, as the trail shows it.
AUTHOR_KINDS = {"supplier": N_("supplier"), "customer": N_("customer")}
#: An emailed reply's status, as the trail shows it (a notification's state: COUNTED).
INBOUND_STATES = {"accepted": N_("accepted"), "rejected": N_("rejected")}
#: What a hit of ``netmsg find`` is, and which key found it, as the listing shows them.
HIT_KINDS = {
    "conversation": N_("thread"),
    "message": N_("message"),
    "document": N_("document"),
    "customer": N_("customer"),
}
HIT_KEYS = {
    "thread id": N_("thread id"),
    "message id": N_("message id"),
    "document number": N_("document number"),
    "network id": N_("network id"),
    "customer name": N_("customer name"),
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "find",
        help=_("look up a thread id, message id, document number, network id or customer name"),
        description=_(
            "Look up everything of the account a query names: a thread or message id "
            "(12 or #12), the start of a document number or of a customer network id (AN…), "
            "part of a customer name."
        ),
    )
    add_store_options(p, account=True)
    p.add_argument("query", metavar="QUERY", help=_("what to look up"))
    p.add_argument("--limit", type=int, default=20, help=_("at most this many hits (default 20)"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))
    p.set_defaults(handler=with_store(find))

    p = sub.add_parser(
        "trail",
        help=_("what happened to a message after it was stored"),
        description=_(
            "The delivery trail of a message: stored when, by whom and from where, its "
            "idempotency key, the notification emails it caused, the emailed reply's record, "
            "and when the customer first read it. MESSAGE is a message id or the Message-ID "
            "<…@…> of an emailed reply (a rejected one too)."
        ),
    )
    add_store_options(p, account=True)
    p.add_argument("message", metavar="MESSAGE", help=_("a message id or an email's Message-ID"))
    p.add_argument("--json", action="store_true", help=_("print a JSON object"))
    p.set_defaults(handler=with_store(trail))


async def find(store: MessageStore, args: argparse.Namespace) -> int:
    hits = await store.find(args.query, limit=args.limit)
    if args.json:
        print_json(hits)
        return 0
    if not hits:
        say_line(_("Nothing found for {query}").format(query=repr(args.query)))
        return 1
    for hit in hits:
        ids = [
            _(name).format(id=value)
            for name, value in (
                (N_("thread {id}"), hit.conversation_id),
                (N_("message {id}"), hit.message_id),
                (N_("document {id}"), hit.document_id),
                (N_("customer {id}"), hit.customer_id),
            )
            if value is not None
        ]
        kind = _(HIT_KINDS.get(hit.kind, hit.kind))
        by = _("by {key}").format(key=_(HIT_KEYS.get(hit.key, hit.key)))
        say_line(f"{kind:<12}  {by:<18}  {hit.label}  [{', '.join(ids)}]")
    return 0


def message_arg(text: str) -> int | str:
    """A message id (digits) or an email's Message-ID."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else text


async def trail(store: MessageStore, args: argparse.Namespace) -> int:
    found = await store.message_trail(message_arg(args.message))
    if args.json:
        print_json(found)
        return 0
    for line in trail_lines(found):
        say_line(line)
    return 0


def _when(moment: datetime | None) -> str:
    # ISO 8601 to the second in every language: support staff compare it with server logs.
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def trail_lines(found: DeliveryTrail) -> list[str]:
    """The trail as lines of text (from other people: print them sanitised)."""
    lines: list[str] = []
    m = found.message

    def row(label: str, text: str) -> None:
        lines.append(f"  {label:<11} {text}")

    more = " " * 14
    if m is not None:
        lines.append(_("Message {id} in thread {thread}").format(id=m.id, thread=m.conversation_id))
        via = _(ORIGIN_LABELS.get(m.origin, m.origin))
        stored = _("{when} by {author} ({kind}), {via}").format(
            when=_when(m.sent_at),
            author=m.author,
            kind=_(AUTHOR_KINDS.get(m.author_kind, m.author_kind)),
            via=via,
        )
        row(_("stored"), stored)
    else:
        lines.append(
            _("Emailed reply, not stored (thread {thread})").format(thread=found.conversation_id)
        )
    row(_("key"), found.idempotency_key or _("(none)"))
    for n in found.notifications:
        tries = ngettext("after {n} try", "after {n} tries", n.attempts).format(n=n.attempts)
        state = f"{_(COUNTED.get(n.state, n.state))} {tries}"
        to = ", ".join(n.addresses) or _("(no address)")
        row(_("email"), _("#{id} to {to}: {state}").format(id=n.id, to=to, state=state))
        if n.last_error:
            lines.append(more + _("last error: {error}").format(error=n.last_error))
        if n.email_message_id:
            sent = _("Message-ID {id}, sent {when}")
            lines.append(more + sent.format(id=n.email_message_id, when=_when(n.sent_at)))
    if m is not None and m.author_kind == "customer" and not found.notifications:
        row(_("email"), _("none queued"))
    if (i := found.inbound) is not None:
        text = _("{status} {when}, Message-ID {id}").format(
            status=_(INBOUND_STATES.get(i.status, i.status)),
            when=_when(i.received),
            id=i.message_id,
        )
        row(_("by email"), text)
        if i.reason:
            lines.append(more + _("reason: {reason}").format(reason=i.reason))
        if i.kept_at:
            lines.append(more + _("raw mail kept at {path}").format(path=i.kept_at))
    if m is not None and m.author_kind == "supplier":
        read = (
            _("read {when} by {reader}").format(
                when=_when(found.customer_read_at), reader=found.customer_reader
            )
            if found.customer_read_at
            else _("not read yet")
        )
        row(_("customer"), read)
    return lines
