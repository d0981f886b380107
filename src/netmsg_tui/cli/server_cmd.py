"""``netmsg serve`` (the network server), ``netmsg admin …`` (the operator's accounts, users,
customer contacts and tokens), ``netmsg login URL`` and ``netmsg logout URL``."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import mail_cmd
from .common import (
    CliError,
    add_store_options,
    on_network,
    print_json,
    say_line,
    store_url,
    with_store,
)

if TYPE_CHECKING:
    from ..store.network import NetworkStore

T = TypeVar("T")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help="run the network server over a SQLite or PostgreSQL store",
        description="Serve the store as a JSON API under /api/v1 (OpenAPI at /openapi.json). "
        "Put it behind a TLS-terminating proxy to expose it beyond this machine.",
    )
    add_store_options(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks one)")
    p.add_argument("--rate", type=float, default=20.0, help="requests per second per token")
    p.add_argument("--burst", type=int, default=200, help="burst size per token")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (1); each has its own rate limiter",
    )
    p.add_argument(
        "--max-connections", type=int, default=1000, help="open connections in all (1000)"
    )
    p.add_argument(
        "--max-connections-per-address",
        type=int,
        default=100,
        metavar="N",
        help="open connections per client address (100; behind a proxy, raise it)",
    )
    p.add_argument(
        "--head-timeout", type=float, default=10.0, help="seconds for a request's headers (10)"
    )
    p.add_argument(
        "--body-timeout",
        type=float,
        default=60.0,
        help="seconds a request body may take on top of 1 s per 16 KiB (60)",
    )
    mail_cmd.add_serve_options(p)  # --notify, --smtp-port, --lmtp: the mail gateway
    p.set_defaults(handler=serve, must_exist=False)

    admin = sub.add_parser(
        "admin", help="operator commands: accounts, users, contacts, tokens", description=(
            "Set up the network in a SQLite store: accounts, users, customers, customer "
            "contacts, API tokens. Each command prints what it made."
        )
    )  # fmt: skip
    cmds = admin.add_subparsers(dest="admin_command", metavar="COMMAND", required=True)

    def command(name: str, help: str, handler: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = cmds.add_parser(name, help=help, description=help)
        add_store_options(parser)
        parser.set_defaults(handler=handler)
        return parser

    p = command("create-account", "create a supplier account", create_account)
    p.add_argument("name")
    p.add_argument("--plan", choices=["enterprise", "standard"], default="enterprise")

    p = command("create-user", "create a user of a supplier account", create_user)
    p.add_argument("--account", type=int, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--email", required=True)

    p = command("create-customer", "create a customer (buyer) organisation", create_customer)
    p.add_argument("name")
    p.add_argument("--network-id", required=True, help="e.g. AN01000000123")
    p.add_argument("--city", default="")
    p.add_argument("--contact-name", default="")
    p.add_argument("--contact-email", default="")
    p.add_argument("--contact-phone", default="")
    p.add_argument("--contact-address", default="")
    p.add_argument("--messaging-disabled", action="store_true")
    p.add_argument("--trading-with", type=int, action="append", default=[], metavar="ACCOUNT")

    p = command(
        "create-customer-contact", "create a person who answers for a customer", create_contact
    )
    p.add_argument("--customer", type=int, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--email", required=True)

    p = command("issue-token", "issue an API token (printed once, stored as a hash)", issue)
    p.add_argument("--role", choices=["supplier", "customer", "support"], required=True)
    p.add_argument("--user", type=int, help="supplier: the user")
    p.add_argument("--contact", type=int, help="customer: the customer contact")
    p.add_argument("--account", type=int, action="append", default=[], help="support: account")
    p.add_argument("--label", default="", help="a note: who or what the token is for")

    p = cmds.add_parser(
        "copy-store",
        help="copy a whole network between SQLite and PostgreSQL",
        description="Copy every account, user, customer, contact, document, thread, message, "
        "attachment, token hash, audit entry, preference and queued notification from SRC to "
        "the empty store DST (one a SQLite file, the other a postgresql:// URL), then check the "
        "row counts and every attachment's hash.",
    )
    p.add_argument("source", metavar="SRC", help="a SQLite file or a postgresql:// URL")
    p.add_argument("destination", metavar="DST", help="an empty store of the other engine")
    p.set_defaults(handler=copy_network)

    p = command("revoke-token", "revoke a token by its id", revoke)
    p.add_argument("token_id", metavar="ID", type=int)

    p = command("list-tokens", "list tokens (ids, roles, never the tokens)", list_tokens)
    p.add_argument("--json", action="store_true")

    p = command("audit-log", "support staff's reads and refused attempts, newest first", audit)
    p.add_argument("--limit", type=int, default=50, help="how many entries (default 50)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "login",
        help="store a token for a network server",
        description="Check a token against the server and store it: in the system keyring, or "
        "with --file in a file only you can read. The token is asked for (not echoed), or read "
        "from standard input: never from the command line, where other users could see it. "
        "NETMSG_TOKEN, when set, wins over both.",
    )
    p.add_argument("url", metavar="URL")
    p.add_argument("--file", action="store_true", help="store it in a 0600 file, not the keyring")
    p.set_defaults(handler=login)

    p = sub.add_parser(
        "outbox",
        help="messages kept locally for a remote store: queued, sent, failed",
        description="Sends written while the server could not be reached are kept locally and "
        "delivered when it is back. List them, deliver them now, retry or discard one.",
    )
    add_store_options(p)
    p.add_argument("--retry", metavar="KEY", help="queue a failed send again")
    p.add_argument("--discard", metavar="KEY", help="drop a send from the outbox")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=with_store(outbox))

    p = sub.add_parser("logout", help="forget the stored token of a server")
    p.add_argument("url", metavar="URL")
    p.set_defaults(handler=logout)


def _network_store(args: argparse.Namespace) -> str | Path:
    """The network's database: a SQLite file (the default) or a PostgreSQL URL."""
    from ..store import is_postgres_url

    url, _ = store_url(args)
    if url is not None and is_postgres_url(url):
        return url
    return _sqlite(args)


def _sqlite(args: argparse.Namespace) -> Path:
    from ..store import default_store_path, sqlite_path

    url, _ = store_url(args)
    if url is None:
        path = default_store_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    found = sqlite_path(url)
    if found is None:
        raise CliError(
            "This command works on the network's database: --store sqlite:///path.db"
            " or postgresql://user@host/db"
        )
    if not found.parent.is_dir():
        raise CliError(f"Folder {found.parent} does not exist")
    return found


def serve(args: argparse.Namespace) -> int:
    try:
        from ..server.run import serve as run_server
    except ModuleNotFoundError as exc:
        raise CliError(
            f"The server needs the 'server' extra ({exc.name} is missing): "
            "pip install 'netmsg-tui[server]'"
        ) from None
    store = _network_store(args)
    if not 0 <= args.port <= 65535:
        raise CliError("--port must be between 0 and 65535")
    if not 1 <= args.workers <= 64:
        raise CliError("--workers must be between 1 and 64")
    from ..server.limits import Limits

    if min(args.max_connections, args.max_connections_per_address) < 1:
        raise CliError("--max-connections and --max-connections-per-address must be at least 1")
    if min(args.head_timeout, args.body_timeout) <= 0:
        raise CliError("--head-timeout and --body-timeout must be positive")
    limits = Limits(
        head_timeout=args.head_timeout,
        body_timeout=args.body_timeout,
        max_connections=args.max_connections,
        max_per_address=args.max_connections_per_address,
    )
    shown: str | Path = store
    if isinstance(store, str):
        from ..store import open_network

        shown = open_network(store).location  # the URL without its password

    def ready(url: str) -> None:
        print(f"netmsg server on {url} (store {shown}); Ctrl+C stops it", flush=True)

    gateway = mail_cmd.start_mail_gateway(args, store)
    try:
        run_server(
            store,
            args.host,
            args.port,
            log_level=args.log_level,
            ready=ready,
            rate=args.rate,
            burst=args.burst,
            limits=limits,
            workers=args.workers,
        )
    except OSError as exc:
        raise CliError(f"Cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    finally:
        if gateway is not None:
            gateway.stop()
    return 0


def _admin(args: argparse.Namespace, work: Callable[[NetworkStore], Awaitable[T]]) -> T:
    """Run one operator command on the network store the options name."""
    return on_network(_network_store(args), work)


def create_account(args: argparse.Namespace) -> int:
    account = _admin(args, lambda n: n.create_account(args.name, args.plan))
    print(f"Account {account.id}: {account.name} ({account.plan})")
    return 0


def create_user(args: argparse.Namespace) -> int:
    user = _admin(args, lambda n: n.create_user(args.account, args.name, args.email))
    print(f"User {user.id}: {user.name} <{user.email}> in account {user.account_id}")
    return 0


def create_customer(args: argparse.Namespace) -> int:
    from ..model import Contact

    contact = Contact(
        args.contact_name, args.contact_email, args.contact_phone, args.contact_address
    )
    customer = _admin(
        args,
        lambda n: n.create_customer(
            args.name,
            args.network_id,
            args.city,
            contact,
            messaging_enabled=not args.messaging_disabled,
            trading_with=args.trading_with,
        ),
    )
    trades = ", ".join(str(a) for a in args.trading_with) or "no account yet"
    print(f"Customer {customer.id}: {customer.name} ({customer.network_id}), trading with {trades}")
    return 0


def create_contact(args: argparse.Namespace) -> int:
    contact = _admin(
        args, lambda n: n.create_customer_contact(args.customer, args.name, args.email)
    )
    print(f"Customer contact {contact.id}: {args.name} <{args.email}> for customer {args.customer}")
    return 0


def issue(args: argparse.Namespace) -> int:
    issued = _admin(
        args,
        lambda n: n.issue_token(
            args.role,
            user_id=args.user,
            contact_id=args.contact,
            accounts=args.account,
            label=args.label,
        ),
    )
    print(f"Token {issued.id} ({args.role}); shown only now, store it safely:", file=sys.stderr)
    print(issued.token)
    return 0


def copy_network(args: argparse.Namespace) -> int:
    from ..store import copy_store

    rows = copy_store(args.source, args.destination)
    total = sum(rows.values())
    named = ("accounts", "users", "conversations", "messages", "attachments")
    shown = ", ".join(f"{rows[t]:,} {t}" for t in named if t in rows)
    print(f"Copied {total:,} rows ({shown}); counts and attachment hashes checked")
    return 0


def revoke(args: argparse.Namespace) -> int:
    _admin(args, lambda n: n.revoke_token(args.token_id))
    print(f"Token {args.token_id} revoked")
    return 0


def list_tokens(args: argparse.Namespace) -> int:
    found = _admin(args, lambda n: n.list_tokens())
    if args.json:
        print_json(found)
        return 0
    for t in found:
        who = f"user {t.user_id}" if t.user_id else f"contact {t.contact_id}"
        if t.role == "support":
            who = "support"
        state = f"revoked {_time(t.revoked)}" if t.revoked else "active"
        print(f"{t.id:>5}  {t.role:<9} {who:<14} {state:<40} {t.label}")
    return 0


def audit(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    found = _admin(args, lambda n: n.audit_log(limit=args.limit))
    if args.json:
        print_json(found)
        return 0
    for e in found:
        account = f"account {e.account_id}" if e.account_id is not None else "no account"
        # The action and target are the request's path and query: the caller's words.
        say_line(f"{_time(e.at)}  token {e.token_id:<5} {account:<14} {e.action}  {e.target}")
    return 0


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _read_token(args: argparse.Namespace) -> str:
    # Never from the command line: arguments are visible to every user in the process list.
    if sys.stdin.isatty():
        token = getpass.getpass(f"Token for {args.url}: ")
    else:
        token = sys.stdin.readline()
    if not token.strip():
        raise CliError("No token given")
    return token.strip()


def login(args: argparse.Namespace) -> int:
    import asyncio

    from ..credentials import CredentialError, save_token

    url = str(args.url).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise CliError(f"{url} is not a server URL: use http(s)://host[:port]")
    token = _read_token(args)
    who = asyncio.run(_check_token(url, token))
    try:
        where = save_token(url, token, use_file=args.file)
    except CredentialError as exc:
        raise CliError(str(exc)) from None
    print(f"Logged in to {url} as {who}; the token is kept in {where}.")
    print(f"Open it with: netmsg --store {url}")
    return 0


async def _check_token(url: str, token: str) -> str:
    """Who the token belongs to (supplier user or customer contact). Raises store errors."""
    from ..model import Identity
    from ..store import token_holder

    who = await token_holder(url, token)
    if isinstance(who, Identity):
        return f"{who.user.name} ({who.account.name})"
    return f"{who.contact.name} ({who.customer.name}, customer)"


def logout(args: argparse.Namespace) -> int:
    from ..credentials import CredentialError, forget_token

    url = str(args.url).rstrip("/")
    try:
        removed = forget_token(url)
    except CredentialError as exc:
        raise CliError(str(exc)) from None
    if not removed:
        print(f"No stored token for {url}")
    else:
        print(f"Logged out of {url}: removed the token from {' and '.join(removed)}")
    return 0


async def outbox(store: Any, args: argparse.Namespace) -> int:
    from ..store import OfflineStore

    if not isinstance(store, OfflineStore):
        raise CliError("Only a remote store (--store http(s)://…) has an outbox")
    if args.discard:
        await store.discard_send(args.discard)
    if args.retry:
        await store.retry_send(args.retry)
    delivered = await store.flush_sends()
    entries = await store.queued_sends()
    if args.json:
        print_json(entries)
        return 0
    if delivered:
        print(f"Delivered {delivered} queued message(s) now.")
    for e in entries:
        target = f"thread {e.conversation_id}" if e.kind == "reply" else f"new: {e.subject}"
        preview = " ".join(e.body.split())[:40]
        line = f"{e.state:<7} {e.created:%Y-%m-%d %H:%M}  {target:<28} {preview}"
        say_line(line + (f"  ({e.error})" if e.state == "failed" else ""))  # server's words
        print(f"        key {e.key}")
    if not entries:
        print("The outbox is empty.")
    return 0
