"""What support staff (and suppliers, for their own account) ask when a message went astray:
``netmsg find QUERY`` and ``netmsg trail MESSAGE``. Both read through the store port, so they
work on every store; on a network server a support token picks the account with ``--account``
(every read is audited there)."""

from __future__ import annotations

import argparse
from datetime import datetime

from ..model import ORIGIN_LABELS, DeliveryTrail
from ..store import MessageStore
from .common import add_store_options, print_json, say_line, with_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "find",
        help="look up a thread id, message id, document number, network id or customer name",
        description="Look up everything of the account a query names: a thread or message id "
        "(12 or #12), the start of a document number or of a customer network id (AN…), part "
        "of a customer name.",
    )
    add_store_options(p, account=True)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=with_store(find))

    p = sub.add_parser(
        "trail",
        help="what happened to a message after it was stored",
        description="The delivery trail of a message: stored when, by whom and from where, its "
        "idempotency key, the notification emails it caused, the emailed reply's record, and "
        "when the customer first read it. MESSAGE is a message id or the Message-ID <…@…> of "
        "an emailed reply (a rejected one too).",
    )
    add_store_options(p, account=True)
    p.add_argument("message", metavar="MESSAGE")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(handler=with_store(trail))


async def find(store: MessageStore, args: argparse.Namespace) -> int:
    hits = await store.find(args.query, limit=args.limit)
    if args.json:
        print_json(hits)
        return 0
    if not hits:
        say_line(f"Nothing found for {args.query!r}")
        return 1
    for hit in hits:
        ids = [
            f"{name} {value}"
            for name, value in (
                ("thread", hit.conversation_id),
                ("message", hit.message_id),
                ("document", hit.document_id),
                ("customer", hit.customer_id),
            )
            if value is not None
        ]
        say_line(f"{hit.kind:<12}  by {hit.key:<15}  {hit.label}  [{', '.join(ids)}]")
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
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def trail_lines(found: DeliveryTrail) -> list[str]:
    """The trail as lines of text (from other people: print them sanitised)."""
    lines: list[str] = []
    m = found.message
    if m is not None:
        lines.append(f"Message {m.id} in thread {m.conversation_id}")
        via = ORIGIN_LABELS.get(m.origin, m.origin)
        lines.append(f"  stored      {_when(m.sent_at)} by {m.author} ({m.author_kind}), {via}")
    else:
        lines.append(f"Emailed reply, not stored (thread {found.conversation_id})")
    lines.append(f"  key         {found.idempotency_key or '(none)'}")
    for n in found.notifications:
        state = f"{n.state} after {n.attempts} {'try' if n.attempts == 1 else 'tries'}"
        lines.append(
            f"  email       #{n.id} to {', '.join(n.addresses) or '(no address)'}: {state}"
        )
        if n.last_error:
            lines.append(f"              last error: {n.last_error}")
        if n.email_message_id:
            lines.append(f"              Message-ID {n.email_message_id}, sent {_when(n.sent_at)}")
    if m is not None and m.author_kind == "customer" and not found.notifications:
        lines.append("  email       none queued")
    if (i := found.inbound) is not None:
        lines.append(f"  by email    {i.status} {_when(i.received)}, Message-ID {i.message_id}")
        if i.reason:
            lines.append(f"              reason: {i.reason}")
        if i.kept_at:
            lines.append(f"              raw mail kept at {i.kept_at}")
    if m is not None and m.author_kind == "supplier":
        read = (
            f"read {_when(found.customer_read_at)} by {found.customer_reader}"
            if found.customer_read_at
            else "not read yet"
        )
        lines.append(f"  customer    {read}")
    return lines
