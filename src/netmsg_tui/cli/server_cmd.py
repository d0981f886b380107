"""``netmsg serve`` (the network server), ``netmsg admin …`` (the operator's accounts, users,
customer contacts and tokens), ``netmsg login URL`` and ``netmsg logout URL``."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from . import mail_cmd
from .common import CliError, add_store_options, print_json, store_url, with_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help="run the network server over a SQLite store",
        description="Serve the store as a JSON API under /api/v1 (OpenAPI at /openapi.json). "
        "Put it behind a TLS-terminating proxy to expose it beyond this machine.",
    )
    add_store_options(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks one)")
    p.add_argument("--rate", type=float, default=20.0, help="requests per second per token")
    p.add_argument("--burst", type=int, default=200, help="burst size per token")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
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

    p = command("revoke-token", "revoke a token by its id", revoke)
    p.add_argument("token_id", metavar="ID", type=int)

    p = command("list-tokens", "list tokens (ids, roles, never the tokens)", list_tokens)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "login",
        help="store a token for a network server",
        description="Check a token against the server and store it: in the system keyring, or "
        "with --file in a file only you can read. NETMSG_TOKEN, when set, wins over both.",
    )
    p.add_argument("url", metavar="URL")
    p.add_argument("--token", help="the token (default: ask for it, or read it from stdin)")
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


def _sqlite(args: argparse.Namespace) -> Path:
    from ..store import default_store_path, sqlite_path

    url, _ = store_url(args)
    if url is None:
        path = default_store_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    found = sqlite_path(url)
    if found is None:
        raise CliError("This command works on a SQLite store: --store sqlite:///path.db")
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
    path = _sqlite(args)
    if not 0 <= args.port <= 65535:
        raise CliError("--port must be between 0 and 65535")

    def ready(url: str) -> None:
        print(f"netmsg server on {url} (store {path}); Ctrl+C stops it", flush=True)

    gateway = mail_cmd.start_mail_gateway(args, path)
    try:
        run_server(
            path,
            args.host,
            args.port,
            log_level=args.log_level,
            ready=ready,
            rate=args.rate,
            burst=args.burst,
        )
    except OSError as exc:
        raise CliError(f"Cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    finally:
        if gateway is not None:
            gateway.stop()
    return 0


def _admin(args: argparse.Namespace, work: Any) -> Any:
    import sqlite3

    from ..store.sqlite import admin

    path = _sqlite(args)
    try:
        conn = admin.connect(path)
    except sqlite3.Error as exc:
        raise CliError(f"Cannot open {path}: {exc}") from None
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result
    except sqlite3.IntegrityError as exc:
        raise CliError(f"Refused by the store: {exc}") from None
    finally:
        conn.close()


def create_account(args: argparse.Namespace) -> int:
    from ..store.sqlite import admin

    account_id = _admin(args, lambda c: admin.create_account(c, args.name, args.plan))
    print(f"Account {account_id}: {args.name.strip()} ({args.plan})")
    return 0


def create_user(args: argparse.Namespace) -> int:
    from ..store.sqlite import admin

    def work(conn: Any) -> int:
        if conn.execute("SELECT 1 FROM accounts WHERE id = ?", (args.account,)).fetchone() is None:
            raise CliError(f"Account {args.account} does not exist")
        return admin.create_user(conn, args.account, args.name, args.email)

    user_id = _admin(args, work)
    print(f"User {user_id}: {args.name} <{args.email}> in account {args.account}")
    return 0


def create_customer(args: argparse.Namespace) -> int:
    from ..model import Contact
    from ..store.sqlite import admin

    contact = Contact(
        args.contact_name, args.contact_email, args.contact_phone, args.contact_address
    )

    def work(conn: Any) -> int:
        found = conn.execute(
            "SELECT id FROM customers WHERE network_id = ?", (args.network_id,)
        ).fetchone()
        if found:
            raise CliError(
                f"A customer with network id {args.network_id} already exists (customer {found[0]})"
            )
        for account_id in args.trading_with:
            if (
                conn.execute("SELECT 1 FROM accounts WHERE id = ?", (account_id,)).fetchone()
                is None
            ):
                raise CliError(f"Account {account_id} does not exist")
        return admin.create_customer(
            conn,
            args.name,
            args.network_id,
            args.city,
            contact,
            messaging_enabled=not args.messaging_disabled,
            trading_with=args.trading_with,
        )

    customer_id = _admin(args, work)
    trades = ", ".join(str(a) for a in args.trading_with) or "no account yet"
    print(f"Customer {customer_id}: {args.name} ({args.network_id}), trading with {trades}")
    return 0


def create_contact(args: argparse.Namespace) -> int:
    from ..server.auth import create_customer_contact

    contact_id = _admin(
        args, lambda c: create_customer_contact(c, args.customer, args.name, args.email)
    )
    print(f"Customer contact {contact_id}: {args.name} <{args.email}> for customer {args.customer}")
    return 0


def issue(args: argparse.Namespace) -> int:
    from ..server.auth import issue_token

    token_id, token = _admin(
        args,
        lambda c: issue_token(
            c,
            args.role,
            user_id=args.user,
            contact_id=args.contact,
            accounts=args.account,
            label=args.label,
        ),
    )
    print(f"Token {token_id} ({args.role}); shown only now, store it safely:", file=sys.stderr)
    print(token)
    return 0


def revoke(args: argparse.Namespace) -> int:
    from ..server.auth import revoke_token

    _admin(args, lambda c: revoke_token(c, args.token_id))
    print(f"Token {args.token_id} revoked")
    return 0


def list_tokens(args: argparse.Namespace) -> int:
    from ..server.auth import list_tokens as tokens

    found = _admin(args, tokens)
    if args.json:
        print_json(found)
        return 0
    for t in found:
        who = f"user {t['user_id']}" if t["user_id"] else f"contact {t['contact_id']}"
        if t["role"] == "support":
            who = "support"
        state = f"revoked {t['revoked']}" if t["revoked"] else "active"
        print(f"{t['id']:>5}  {t['role']:<9} {who:<14} {state:<40} {t['label']}")
    return 0


def _read_token(args: argparse.Namespace) -> str:
    if args.token:
        return str(args.token).strip()
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
    from ..store import Unauthorized
    from ..store.remote.http import Http

    http = Http(url, token)
    try:
        try:
            me = await http.json("GET", "/api/v1/me", retry=False)
            return f"{me['user']['name']} ({me['account']['name']})"
        except Unauthorized:
            me = await http.json("GET", "/api/v1/customer/me", retry=False)
            return f"{me['contact']['name']} ({me['customer']['name']}, customer)"
    finally:
        await http.close()


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
        print(line + (f"  ({e.error})" if e.state == "failed" else ""))
        print(f"        key {e.key}")
    if not entries:
        print("The outbox is empty.")
    return 0
