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

from ..i18n import N_, _, formats
from . import mail_cmd
from .common import (
    CliError,
    add_store_options,
    counts_text,
    on_network,
    print_json,
    say_line,
    store_url,
    with_store,
)

if TYPE_CHECKING:
    from ..store.network import NetworkStore

T = TypeVar("T")
#: An outbox entry's state as the listing shows it.
OUTBOX_STATES = {"queued": N_("queued"), "sent": N_("sent"), "failed": N_("failed")}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help=_("run the network server over a SQLite or PostgreSQL store"),
        description=_(
            "Serve the store as a JSON API under /api/v1 (OpenAPI at /openapi.json). "
            "Put it behind a TLS-terminating proxy to expose it beyond this machine."
        ),
    )
    add_store_options(p)
    p.add_argument(
        "--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)")
    )
    p.add_argument("--port", type=int, default=8080, help=_("port (default 8080; 0 picks one)"))
    p.add_argument("--rate", type=float, default=20.0, help=_("requests per second per token"))
    p.add_argument("--burst", type=int, default=200, help=_("burst size per token"))
    p.add_argument(
        "--answer-cache",
        type=int,
        default=32,
        metavar="MB",
        help=_(
            "memory per server process for list answers kept until their data changes (32; 0: none)"
        ),
    )
    p.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help=_("the server log's detail (default: info)"),
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help=_("server processes sharing the port (1); each has its own rate limiter"),
    )
    p.add_argument(
        "--max-connections", type=int, default=1000, help=_("open connections in all (1000)")
    )
    p.add_argument(
        "--max-connections-per-address",
        type=int,
        default=100,
        metavar="N",
        help=_("open connections per client address (100; behind a proxy, raise it)"),
    )
    p.add_argument(
        "--head-timeout",
        type=float,
        default=10.0,
        help=_("seconds for a request's headers (10)"),
    )
    p.add_argument(
        "--body-timeout",
        type=float,
        default=60.0,
        help=_("seconds a request body may take on top of 1 s per 16 KiB (60)"),
    )
    mail_cmd.add_serve_options(p)  # --notify, --smtp-port, --lmtp: the mail gateway
    p.set_defaults(handler=serve, must_exist=False)

    admin = sub.add_parser(
        "admin",
        help=_("operator commands: accounts, users, contacts, tokens"),
        description=_(
            "Set up the network in a SQLite store: accounts, users, customers, customer "
            "contacts, API tokens. Each command prints what it made."
        ),
    )
    cmds = admin.add_subparsers(dest="admin_command", metavar="COMMAND", required=True)

    def command(name: str, help: str, handler: Any) -> argparse.ArgumentParser:
        text = _(help)
        parser: argparse.ArgumentParser = cmds.add_parser(name, help=text, description=text)
        add_store_options(parser)
        parser.set_defaults(handler=handler)
        return parser

    json_help = _("print JSON")
    p = command("create-account", N_("create a supplier account"), create_account)
    p.add_argument("name", help=_("the account's (company's) name"))
    p.add_argument(
        "--plan",
        choices=["enterprise", "standard"],
        default="enterprise",
        help=_("the account's plan (default: enterprise)"),
    )

    p = command("create-user", N_("create a user of a supplier account"), create_user)
    p.add_argument("--account", type=int, required=True, help=_("the account's id"))
    p.add_argument("--name", required=True, help=_("the person's name"))
    p.add_argument("--email", required=True, help=_("the person's email address"))

    p = command("create-customer", N_("create a customer (buyer) organisation"), create_customer)
    p.add_argument("name", help=_("the customer's (company's) name"))
    p.add_argument("--network-id", required=True, help=_("e.g. AN01000000123"))
    p.add_argument("--city", default="", help=_("the customer's city"))
    p.add_argument("--contact-name", default="", help=_("the contact shown when messaging is off"))
    p.add_argument("--contact-email", default="", help=_("the contact's email address"))
    p.add_argument("--contact-phone", default="", help=_("the contact's phone number"))
    p.add_argument("--contact-address", default="", help=_("the contact's postal address"))
    p.add_argument(
        "--messaging-disabled",
        action="store_true",
        help=_("the customer has not enabled messaging"),
    )
    p.add_argument(
        "--trading-with",
        type=int,
        action="append",
        default=[],
        metavar="ACCOUNT",
        help=_("a supplier account it trades with (repeat for more)"),
    )

    p = command(
        "create-customer-contact", N_("create a person who answers for a customer"), create_contact
    )
    p.add_argument("--customer", type=int, required=True, help=_("the customer's id"))
    p.add_argument("--name", required=True, help=_("the person's name"))
    p.add_argument("--email", required=True, help=_("the person's email address"))

    p = command("issue-token", N_("issue an API token (printed once, stored as a hash)"), issue)
    p.add_argument(
        "--role",
        choices=["supplier", "customer", "support"],
        required=True,
        help=_("who uses the token"),
    )
    p.add_argument("--user", type=int, help=_("supplier: the user"))
    p.add_argument("--contact", type=int, help=_("customer: the customer contact"))
    p.add_argument("--account", type=int, action="append", default=[], help=_("support: account"))
    p.add_argument("--label", default="", help=_("a note: who or what the token is for"))

    p = cmds.add_parser(
        "copy-store",
        help=_("copy a whole network between SQLite and PostgreSQL"),
        description=_(
            "Copy every account, user, customer, contact, document, thread, message, "
            "attachment, token hash, audit entry, preference and queued notification from SRC "
            "to the empty store DST (one a SQLite file, the other a postgresql:// URL), then "
            "check the row counts and every attachment's hash."
        ),
    )
    p.add_argument("source", metavar="SRC", help=_("a SQLite file or a postgresql:// URL"))
    p.add_argument("destination", metavar="DST", help=_("an empty store of the other engine"))
    p.set_defaults(handler=copy_network)

    p = command("revoke-token", N_("revoke a token by its id"), revoke)
    p.add_argument("token_id", metavar="ID", type=int, help=_("the token's id"))

    p = command("list-tokens", N_("list tokens (ids, roles, never the tokens)"), list_tokens)
    p.add_argument("--json", action="store_true", help=json_help)

    p = command("audit-log", N_("support staff's reads and refused attempts, newest first"), audit)
    p.add_argument("--limit", type=int, default=50, help=_("how many entries (default 50)"))
    p.add_argument("--json", action="store_true", help=json_help)

    p = sub.add_parser(
        "login",
        help=_("store a token for a network server"),
        description=_(
            "Check a token against the server and store it: in the system keyring, or "
            "with --file in a file only you can read. The token is asked for (not echoed), or "
            "read from standard input: never from the command line, where other users could "
            "see it. NETMSG_TOKEN, when set, wins over both."
        ),
    )
    p.add_argument("url", metavar="URL", help=_("the server, http(s)://host[:port]"))
    p.add_argument(
        "--file", action="store_true", help=_("store it in a 0600 file, not the keyring")
    )
    p.set_defaults(handler=login)

    p = sub.add_parser(
        "outbox",
        help=_("messages kept locally for a remote store: queued, sent, failed"),
        description=_(
            "Sends written while the server could not be reached are kept locally and "
            "delivered when it is back. List them, deliver them now, retry or discard one."
        ),
    )
    add_store_options(p)
    p.add_argument("--retry", metavar="KEY", help=_("queue a failed send again"))
    p.add_argument("--discard", metavar="KEY", help=_("drop a send from the outbox"))
    p.add_argument("--json", action="store_true", help=json_help)
    p.set_defaults(handler=with_store(outbox))

    p = sub.add_parser(
        "logout",
        help=_("forget the stored token of a server"),
        description=_("forget the stored token of a server"),
    )
    p.add_argument("url", metavar="URL", help=_("the server, http(s)://host[:port]"))
    p.set_defaults(handler=logout)


def _network_store(args: argparse.Namespace) -> str | Path:
    """The network's database: a SQLite file (the default) or a PostgreSQL URL."""
    from ..store import is_postgres_url

    url, _user = store_url(args)
    if url is not None and is_postgres_url(url):
        return url
    return _sqlite(args)


def _sqlite(args: argparse.Namespace) -> Path:
    from ..store import default_store_path, sqlite_path

    url, _user = store_url(args)
    if url is None:
        path = default_store_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    found = sqlite_path(url)
    if found is None:
        raise CliError(
            _(
                "This command works on the network's database: --store sqlite:///path.db"
                " or postgresql://user@host/db"
            )
        )
    if not found.parent.is_dir():
        raise CliError(_("Folder {path} does not exist").format(path=found.parent))
    return found


def serve(args: argparse.Namespace) -> int:
    try:
        from ..server.run import serve as run_server
    except ModuleNotFoundError as exc:
        raise CliError(
            _(
                "The server needs the 'server' extra ({module} is missing): "
                "pip install 'netmsg-tui[server]'"
            ).format(module=exc.name)
        ) from None
    store = _network_store(args)
    if not 0 <= args.port <= 65535:
        raise CliError(_("--port must be between 0 and 65535"))
    if not 1 <= args.workers <= 64:
        raise CliError(_("--workers must be between 1 and 64"))
    if not 0 <= args.answer_cache <= 65536:
        raise CliError(_("--answer-cache must be between 0 and 65536 (MB)"))
    from ..server.limits import Limits

    if min(args.max_connections, args.max_connections_per_address) < 1:
        raise CliError(_("--max-connections and --max-connections-per-address must be at least 1"))
    if min(args.head_timeout, args.body_timeout) <= 0:
        raise CliError(_("--head-timeout and --body-timeout must be positive"))
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
        text = _("netmsg server on {url} (store {store}); Ctrl+C stops it")
        print(text.format(url=url, store=shown), flush=True)

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
            answer_cache_mb=args.answer_cache,
            limits=limits,
            workers=args.workers,
        )
    except OSError as exc:
        raise CliError(
            _("Cannot listen on {host}:{port}: {reason}").format(
                host=args.host, port=args.port, reason=exc.strerror
            )
        ) from None
    finally:
        if gateway is not None:
            gateway.stop()
    return 0


def _admin(args: argparse.Namespace, work: Callable[[NetworkStore], Awaitable[T]]) -> T:
    """Run one operator command on the network store the options name."""
    return on_network(_network_store(args), work)


def create_account(args: argparse.Namespace) -> int:
    account = _admin(args, lambda n: n.create_account(args.name, args.plan))
    text = _("Account {id}: {name} ({plan})")
    print(text.format(id=account.id, name=account.name, plan=account.plan))
    return 0


def create_user(args: argparse.Namespace) -> int:
    user = _admin(args, lambda n: n.create_user(args.account, args.name, args.email))
    text = _("User {id}: {name} <{email}> in account {account}")
    print(text.format(id=user.id, name=user.name, email=user.email, account=user.account_id))
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
    trades = ", ".join(str(a) for a in args.trading_with) or _("no account yet")
    text = _("Customer {id}: {name} ({network_id}), trading with {accounts}")
    print(
        text.format(
            id=customer.id, name=customer.name, network_id=customer.network_id, accounts=trades
        )
    )
    return 0


def create_contact(args: argparse.Namespace) -> int:
    contact = _admin(
        args, lambda n: n.create_customer_contact(args.customer, args.name, args.email)
    )
    text = _("Customer contact {id}: {name} <{email}> for customer {customer}")
    print(text.format(id=contact.id, name=args.name, email=args.email, customer=args.customer))
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
    text = _("Token {id} ({role}); shown only now, store it safely:")
    print(text.format(id=issued.id, role=args.role), file=sys.stderr)
    print(issued.token)
    return 0


def copy_network(args: argparse.Namespace) -> int:
    from ..store import copy_store

    rows = copy_store(args.source, args.destination)
    total = sum(rows.values())
    named = ("accounts", "users", "conversations", "messages", "attachments")
    text = _("Copied {total} rows ({tables}); counts and attachment hashes checked")
    print(text.format(total=formats.count(total), tables=counts_text(rows, named)))
    return 0


def revoke(args: argparse.Namespace) -> int:
    _admin(args, lambda n: n.revoke_token(args.token_id))
    print(_("Token {id} revoked").format(id=args.token_id))
    return 0


def list_tokens(args: argparse.Namespace) -> int:
    found = _admin(args, lambda n: n.list_tokens())
    if args.json:
        print_json(found)
        return 0
    for t in found:
        if t.role == "support":
            who = _("support")
        elif t.user_id:
            who = _("user {id}").format(id=t.user_id)
        else:
            who = _("contact {id}").format(id=t.contact_id)
        state = _("revoked {when}").format(when=_time(t.revoked)) if t.revoked else _("active")
        print(f"{t.id:>5}  {t.role:<9} {who:<14} {state:<40} {t.label}")
    return 0


def audit(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError(_("--limit must be at least 1"))
    found = _admin(args, lambda n: n.audit_log(limit=args.limit))
    if args.json:
        print_json(found)
        return 0
    for e in found:
        if e.account_id is not None:
            account = _("account {id}").format(id=e.account_id)
        else:
            account = _("no account")
        token = _("token {id}").format(id=e.token_id)
        # The action and target are the request's path and query: the caller's words.
        say_line(f"{_time(e.at)}  {token:<11} {account:<14} {e.action}  {e.target}")
    return 0


def _time(moment: datetime) -> str:
    """The audit's exact time, ISO 8601 in every language (operators compare it with logs)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _read_token(args: argparse.Namespace) -> str:
    # Never from the command line: arguments are visible to every user in the process list.
    if sys.stdin.isatty():
        token = getpass.getpass(_("Token for {url}: ").format(url=args.url))
    else:
        token = sys.stdin.readline()
    if not token.strip():
        raise CliError(_("No token given"))
    return token.strip()


def login(args: argparse.Namespace) -> int:
    import asyncio

    from ..credentials import CredentialError, save_token

    url = str(args.url).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise CliError(_("{url} is not a server URL: use http(s)://host[:port]").format(url=url))
    token = _read_token(args)
    who = asyncio.run(_check_token(url, token))
    try:
        where = save_token(url, token, use_file=args.file)
    except CredentialError as exc:
        raise CliError(str(exc)) from None
    print(
        _("Logged in to {url} as {who}; the token is kept in {where}.").format(
            url=url, who=who, where=where
        )
    )
    print(_("Open it with: netmsg --store {url}").format(url=url))
    return 0


async def _check_token(url: str, token: str) -> str:
    """Who the token belongs to (supplier user or customer contact). Raises store errors."""
    from ..model import Identity
    from ..store import token_holder

    who = await token_holder(url, token)
    if isinstance(who, Identity):
        return f"{who.user.name} ({who.account.name})"
    return _("{name} ({customer}, customer)").format(
        name=who.contact.name, customer=who.customer.name
    )


def logout(args: argparse.Namespace) -> int:
    from ..credentials import CredentialError, forget_token

    url = str(args.url).rstrip("/")
    try:
        removed = forget_token(url)
    except CredentialError as exc:
        raise CliError(str(exc)) from None
    if not removed:
        print(_("No stored token for {url}").format(url=url))
    else:
        places = _(" and ").join(removed)
        text = _("Logged out of {url}: removed the token from {places}")
        print(text.format(url=url, places=places))
    return 0


async def outbox(store: Any, args: argparse.Namespace) -> int:
    from ..store import OfflineStore

    if not isinstance(store, OfflineStore):
        raise CliError(_("Only a remote store (--store http(s)://…) has an outbox"))
    if args.discard:
        await store.discard_send(args.discard)
    if args.retry:
        await store.retry_send(args.retry)
    delivered = await store.flush_sends()
    entries = await store.queued_sends()
    if args.json:
        print_json(entries)
        return 0
    width = max(len(_(label)) for label in OUTBOX_STATES.values())
    if delivered:
        print(_("Delivered {n} queued message(s) now.").format(n=delivered))
    for e in entries:
        if e.kind == "reply":
            target = _("thread {id}").format(id=e.conversation_id)
        else:
            target = _("new: {subject}").format(subject=e.subject)
        preview = " ".join(e.body.split())[:40]
        state = _(OUTBOX_STATES.get(e.state, e.state))
        line = f"{state:<{width}} {formats.date_time(e.created):<17}  {target:<28} {preview}"
        say_line(line + (f"  ({e.error})" if e.state == "failed" else ""))  # server's words
        print("        " + _("key {key}").format(key=e.key))
    if not entries:
        print(_("The outbox is empty."))
    return 0
