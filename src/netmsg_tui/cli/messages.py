"""Scripting subcommands over the store: customers, documents, threads, show, send, reply,
unread, save-attachment."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from ..i18n import N_, _, formats, ngettext
from ..model import (
    Conversation,
    Customer,
    Document,
    NewAttachment,
    Page,
    document_status,
    human_size,
    safe_filename,
)
from ..store import MessageStore
from ..terminal_text import printable, printable_line
from .common import CliError, add_store_options, print_json, say, say_line, with_store

T = TypeVar("T")
#: Every line of a message's text in ``netmsg show`` starts with this, so no text can pass for
#: the output's own lines (``--- author`` lines, attachment lines).
BODY_PREFIX = "  | "


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    def command(name: str, help: str, handler: Any) -> argparse.ArgumentParser:
        text = _(help)
        parser: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text)
        add_store_options(parser, account=True)
        parser.set_defaults(handler=with_store(handler))
        return parser

    p = command("customers", N_("list the customers you trade with"), customers)
    p.add_argument("--search", metavar="Q", default="", help=_("name, network id or city"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))

    p = command("documents", N_("list purchase orders and invoices"), documents)
    p.add_argument("--kind", choices=["purchase_order", "invoice"], help=_("only this kind"))
    p.add_argument("--search", metavar="Q", default="", help=_("document number or customer"))
    p.add_argument("--customer", metavar="ID", type=int, help=_("only this customer's"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))

    p = command("threads", N_("list conversations, most recent first"), threads)
    p.add_argument("--unread", action="store_true", help=_("only threads with unread replies"))
    p.add_argument("--search", metavar="Q", default="", help=_("full-text search"))
    p.add_argument("--limit", type=int, default=0, help=_("at most this many (default: all)"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))

    p = command("show", N_("print a conversation with its messages"), show)
    p.add_argument("thread", metavar="THREAD", type=int, help=_("the thread's id"))
    p.add_argument("--json", action="store_true", help=_("print a JSON object"))
    p.add_argument("--no-mark-read", action="store_true", help=_("leave it unread"))

    attach = _("attach this file (repeat for more)")
    p = command("send", N_("start a conversation; prints the new thread's id"), send)
    p.add_argument("--customer", metavar="ID", required=True, help=_("customer id or network id"))
    p.add_argument("--subject", metavar="S", required=True, help=_("the subject"))
    p.add_argument("--body", metavar="B", required=True, help=_("message text ('-' reads stdin)"))
    p.add_argument("--document", metavar="ID", type=int, help=_("link the thread to a document"))
    p.add_argument("--attach", metavar="FILE", action="append", default=[], type=Path, help=attach)
    p.add_argument("--key", metavar="KEY", help=_("idempotency key: a retried send is stored once"))

    p = command("reply", N_("reply in a conversation; prints the message id"), reply)
    p.add_argument("thread", metavar="THREAD", type=int, help=_("the thread's id"))
    p.add_argument("--body", metavar="B", required=True, help=_("message text ('-' reads stdin)"))
    p.add_argument("--attach", metavar="FILE", action="append", default=[], type=Path, help=attach)
    p.add_argument(
        "--key", metavar="KEY", help=_("idempotency key: a retried reply is stored once")
    )

    command("unread", N_("print the number of unread customer messages"), unread)

    p = command("save-attachment", N_("save a received attachment to a folder"), save_attachment)
    p.add_argument("attachment", metavar="ID", type=int, help=_("the attachment's id"))
    p.add_argument(
        "--to", metavar="DIR", type=Path, default=Path("."), help=_("the folder (default: .)")
    )
    p.add_argument("--force", action="store_true", help=_("overwrite an existing file"))


async def _all(
    fetch: Callable[[str | None], Awaitable[Page[T]]], limit: int = 0
) -> AsyncIterator[T]:
    cursor: str | None = None
    count = 0
    while True:
        page = await fetch(cursor)
        for item in page.items:
            yield item
            count += 1
            if limit and count >= limit:
                return
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


async def customers(store: MessageStore, args: argparse.Namespace) -> int:
    found: list[Customer] = [
        c async for c in _all(lambda cur: store.list_customers(args.search, cursor=cur, limit=200))
    ]
    if args.json:
        print_json(found)
        return 0
    for c in found:
        state = _("messaging on") if c.messaging_enabled else _("messaging OFF")
        say_line(f"{c.id:>6}  {c.network_id:<14} {c.name[:36]:<36} {c.city[:14]:<14} {state}")
    return 0


async def documents(store: MessageStore, args: argparse.Namespace) -> int:
    found: list[Document] = [
        d
        async for d in _all(
            lambda cur: store.list_documents(
                args.search, kind=args.kind, customer_id=args.customer, cursor=cur, limit=200
            )
        )
    ]
    if args.json:
        print_json(found)
        return 0
    # Abbreviations of "purchase order" and "invoice" (the TUI's "PO" too); a column as wide.
    kinds = {"purchase_order": _("PO"), "invoice": _("INV")}
    width = max(len(k) for k in kinds.values())
    for d in found:
        kind = kinds.get(d.kind, d.kind)
        amount = formats.amount(d.amount, d.currency)
        issued = formats.full_date(d.issued)
        say_line(
            f"{d.id:>6}  {kind:<{width}} {d.number:<14} {issued:<11} {amount:>16}  "
            f"{document_status(d.status):<18} {d.customer_name}"
        )
    return 0


async def threads(store: MessageStore, args: argparse.Namespace) -> int:
    found: list[Conversation] = [
        c
        async for c in _all(
            lambda cur: store.list_conversations(
                args.search, unread_only=args.unread, cursor=cur, limit=200
            ),
            args.limit,
        )
    ]
    if args.json:
        print_json(found)
        return 0
    for c in found:
        new = c.unread_count
        badge = ngettext("({n} new)", "({n} new)", new).format(n=new) if new else ""
        doc = f"[{c.document_number}] " if c.document_number else ""
        when = formats.date_time(c.last_activity)
        say_line(
            f"{c.id:>6}  {when:<17}  {c.customer_name[:28]:<28} {doc}{c.subject} {badge}".rstrip()
        )
    return 0


async def show(store: MessageStore, args: argparse.Namespace) -> int:
    conv = await store.get_conversation(args.thread)
    pages = []
    cursor: str | None = None
    while True:  # newest page first; collect, then print oldest-first
        page = await store.list_messages(args.thread, cursor=cursor, limit=200)
        pages.append(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    messages = [m for items in reversed(pages) for m in items]
    if not args.no_mark_read:
        await store.mark_read(args.thread)
    if args.json:
        print_json({**_as_dict(conv), "messages": messages})
        return 0
    # Outside text goes in one line each (printable_line) or, for a message's text, with every
    # line behind BODY_PREFIX: only the lines written here start a line of the output.
    doc = f"  [{printable_line(conv.document_number)}]" if conv.document_number else ""
    print(f"{printable_line(conv.subject)}{doc}")
    print(_("with {customer}").format(customer=printable_line(conv.customer_name)) + "\n")
    for m in messages:
        via = " " + _("(replied by email)") if m.origin == "email" else ""
        print(f"--- {printable_line(m.author)}, {formats.date_time(m.sent_at)}{via}")
        if m.body:
            for line in printable(m.body).split("\n"):
                print(f"{BODY_PREFIX}{line}")
        for a in m.attachments:
            name = printable_line(a.filename)
            about = _("{name} ({size}), attachment {id}")
            print("    📎 " + about.format(name=name, size=human_size(a.size), id=a.id))
        print()
    return 0


def _as_dict(value: Any) -> dict[str, Any]:
    from ..wire import to_json

    result: dict[str, Any] = to_json(value)
    return result


def _body(text: str) -> str:
    if text == "-":
        import sys

        return sys.stdin.read()
    return text


def _read_files(paths: list[Path]) -> list[NewAttachment]:
    from ..files import AttachmentFileError, read_attachment

    try:
        return [read_attachment(p) for p in paths]
    except AttachmentFileError as exc:
        raise CliError(_("{reason}; nothing was sent").format(reason=exc)) from None


async def _resolve_customer(store: MessageStore, ref: str) -> int:
    if ref.isdigit():
        return int(ref)
    page = await store.list_customers(ref, limit=2)
    exact = [c for c in page.items if c.network_id.lower() == ref.lower()]
    if len(exact) == 1:
        return exact[0].id
    raise CliError(
        _("No customer with id or network id {ref} (see 'netmsg customers')").format(ref=repr(ref))
    )


async def send(store: MessageStore, args: argparse.Namespace) -> int:
    files = _read_files(args.attach)
    customer_id = await _resolve_customer(store, args.customer)
    conv = await store.start_conversation(
        customer_id,
        args.subject,
        _body(args.body),
        files,
        document_id=args.document,
        idempotency_key=args.key or str(uuid.uuid4()),
    )
    say(conv.id)
    return 0


async def reply(store: MessageStore, args: argparse.Namespace) -> int:
    files = _read_files(args.attach)
    message = await store.reply(
        args.thread, _body(args.body), files, idempotency_key=args.key or str(uuid.uuid4())
    )
    say(message.id)
    return 0


async def unread(store: MessageStore, args: argparse.Namespace) -> int:
    say(await store.unread_total())
    return 0


async def save_attachment(store: MessageStore, args: argparse.Namespace) -> int:
    from ..files import AttachmentFileError
    from ..files import save_attachment as save

    info = await store.get_attachment(args.attachment)
    data = await store.read_attachment(args.attachment)
    try:
        target = save(data, info.filename, args.to, overwrite=args.force)
    except FileExistsError:
        raise CliError(
            # The name on disk is the sanitised one; the raw name may hold terminal escapes.
            _("{path} already exists; use --force to overwrite it").format(
                path=args.to / safe_filename(info.filename)
            )
        ) from None
    except AttachmentFileError as exc:
        raise CliError(str(exc)) from None
    say(target)
    return 0
