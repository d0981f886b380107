"""Scripting subcommands over the store: customers, documents, threads, show, send, reply,
unread, save-attachment."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from ..model import (
    Conversation,
    Customer,
    Document,
    NewAttachment,
    Page,
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
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)
        add_store_options(parser, account=True)
        parser.set_defaults(handler=with_store(handler))
        return parser

    p = command("customers", "list the customers you trade with", customers)
    p.add_argument("--search", metavar="Q", default="", help="name, network id or city")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("documents", "list purchase orders and invoices", documents)
    p.add_argument("--kind", choices=["purchase_order", "invoice"])
    p.add_argument("--search", metavar="Q", default="", help="document number or customer")
    p.add_argument("--customer", metavar="ID", type=int)
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("threads", "list conversations, most recent first", threads)
    p.add_argument("--unread", action="store_true", help="only threads with unread replies")
    p.add_argument("--search", metavar="Q", default="", help="full-text search")
    p.add_argument("--limit", type=int, default=0, help="at most this many (default: all)")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = command("show", "print a conversation with its messages", show)
    p.add_argument("thread", metavar="THREAD", type=int)
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument("--no-mark-read", action="store_true", help="leave it unread")

    p = command("send", "start a conversation; prints the new thread's id", send)
    p.add_argument("--customer", metavar="ID", required=True, help="customer id or network id")
    p.add_argument("--subject", metavar="S", required=True)
    p.add_argument("--body", metavar="B", required=True, help="message text ('-' reads stdin)")
    p.add_argument("--document", metavar="ID", type=int, help="link the thread to a document")
    p.add_argument("--attach", metavar="FILE", action="append", default=[], type=Path)
    p.add_argument("--key", metavar="KEY", help="idempotency key: a retried send is stored once")

    p = command("reply", "reply in a conversation; prints the message id", reply)
    p.add_argument("thread", metavar="THREAD", type=int)
    p.add_argument("--body", metavar="B", required=True, help="message text ('-' reads stdin)")
    p.add_argument("--attach", metavar="FILE", action="append", default=[], type=Path)
    p.add_argument("--key", metavar="KEY", help="idempotency key: a retried reply is stored once")

    command("unread", "print the number of unread customer messages", unread)

    p = command("save-attachment", "save a received attachment to a folder", save_attachment)
    p.add_argument("attachment", metavar="ID", type=int)
    p.add_argument("--to", metavar="DIR", type=Path, default=Path("."))
    p.add_argument("--force", action="store_true", help="overwrite an existing file")


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
        state = "messaging on" if c.messaging_enabled else "messaging OFF"
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
    for d in found:
        kind = "PO" if d.kind == "purchase_order" else "INV"
        amount = f"{d.amount:,.2f} {d.currency}"
        say_line(
            f"{d.id:>6}  {kind:<3} {d.number:<14} {d.issued} {amount:>16}  "
            f"{d.status:<18} {d.customer_name}"
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
        badge = f"({c.unread_count} new)" if c.unread_count else ""
        doc = f"[{c.document_number}] " if c.document_number else ""
        when = c.last_activity.strftime("%Y-%m-%d %H:%M")
        say_line(f"{c.id:>6}  {when}  {c.customer_name[:28]:<28} {doc}{c.subject} {badge}".rstrip())
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
    print(f"with {printable_line(conv.customer_name)}\n")
    for m in messages:
        via = " (replied by email)" if m.origin == "email" else ""
        print(f"--- {printable_line(m.author)}, {m.sent_at:%Y-%m-%d %H:%M}{via}")
        if m.body:
            for line in printable(m.body).split("\n"):
                print(f"{BODY_PREFIX}{line}")
        for a in m.attachments:
            name = printable_line(a.filename)
            print(f"    📎 {name} ({human_size(a.size)}), attachment {a.id}")
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
        raise CliError(f"{exc}; nothing was sent") from None


async def _resolve_customer(store: MessageStore, ref: str) -> int:
    if ref.isdigit():
        return int(ref)
    page = await store.list_customers(ref, limit=2)
    exact = [c for c in page.items if c.network_id.lower() == ref.lower()]
    if len(exact) == 1:
        return exact[0].id
    raise CliError(f"No customer with id or network id {ref!r} (see 'netmsg customers')")


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
            f"{args.to / safe_filename(info.filename)} already exists; use --force to overwrite it"
        ) from None
    except AttachmentFileError as exc:
        raise CliError(str(exc)) from None
    say(target)
    return 0
