"""What every subcommand shares: store options, opening the store, errors, JSON output."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..config import ConfigError, Settings, load_settings
from ..i18n import N_, _, formats, ngettext
from ..store import MessageStore, MessagingDisabled, StoreError
from ..terminal_text import escape_json_text, printable, printable_line

if TYPE_CHECKING:
    import argparse  # imported where a parser is built: the TUI's start reads argv by hand

    from ..store.network import NetworkStore

T = TypeVar("T")

#: Notification states as the listings show them (after a count, too: "2 pending").
COUNTED = {
    "pending": N_("pending"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "digested": N_("in a digest"),
    "skipped": N_("skipped"),
    "failed": N_("failed"),
}


def counted(name: str, n: int) -> str:
    """``n`` things the store counts (rows of a table, notices in a state), e.g. ``3 messages``;
    a name not known here is shown as the store gives it."""
    plurals = {
        "accounts": ngettext("{n} account", "{n} accounts", n),
        "users": ngettext("{n} user", "{n} users", n),
        "customers": ngettext("{n} customer", "{n} customers", n),
        "documents": ngettext("{n} document", "{n} documents", n),
        "conversations": ngettext("{n} conversation", "{n} conversations", n),
        "messages": ngettext("{n} message", "{n} messages", n),
        "attachments": ngettext("{n} attachment", "{n} attachments", n),
    }
    if name in plurals:
        return plurals[name].format(n=formats.count(n))
    return f"{formats.count(n)} {_(COUNTED.get(name, name))}"


def counts_text(counts: dict[str, int], names: tuple[str, ...] | None = None) -> str:
    """``1,200 messages, 36 customers``: each count (of ``names`` if given) with its name."""
    return ", ".join(counted(n, counts[n]) for n in (names or tuple(counts)) if n in counts)


class CliError(Exception):
    """A refusal to print as one line on stderr (exit 1)."""


def add_store_options(
    parser: argparse.ArgumentParser, *, top: bool = False, account: bool = False
) -> None:
    """``--store`` and ``--profile``; with ``account`` (the TUI and the commands that read
    through the store port) also ``--account``."""
    import argparse

    # Subcommands repeat the options; SUPPRESS keeps a value given before the subcommand.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--store",
        metavar="URL",
        default=default,
        help=_(
            "sqlite:///path.db, a file path, or http(s)://host[:port] "
            "(default: the profile's store, else netmsg.db in the user data folder)"
        ),
    )
    parser.add_argument(
        "--profile", metavar="NAME", default=default, help=_("profile from config.toml")
    )
    if not (account or top):
        return
    parser.add_argument(
        "--account",
        metavar="ID",
        type=int,
        default=default,
        help=_(
            "support staff: which granted account to read (on a network server; "
            "default: the first one)"
        ),
    )


def settings(args: argparse.Namespace) -> Settings:
    found = getattr(args, "_settings", None)
    if found is None:
        found = load_settings()
        for warning in found.warnings:
            warn(warning)
        args._settings = found
    return found


def store_url(args: argparse.Namespace) -> tuple[str | None, int | None]:
    profile = settings(args).profile(getattr(args, "profile", None))
    return (getattr(args, "store", None) or profile.store), profile.user


def open_from_args(args: argparse.Namespace) -> MessageStore:
    from ..store import is_postgres_url, open_store, sqlite_path

    url, user = store_url(args)
    token = None
    account = getattr(args, "account", None)
    if account is not None and not (url or "").startswith(("http://", "https://")):
        raise CliError(_("--account picks a support token's account on a network server (http…)"))
    if url is not None and is_postgres_url(url):
        pass  # the database's own credentials are in the URL (or ~/.pgpass, PG* variables)
    elif url is not None and sqlite_path(url) is None:
        from ..credentials import token_for

        problems: list[str] = []
        token = token_for(url, problems)
        for problem in problems:  # e.g. a locked keyring over SSH: say so, then go on
            warn(problem)
    elif url is not None:
        path = sqlite_path(url)
        assert path is not None
        if not path.exists() and getattr(args, "must_exist", True):
            raise CliError(
                _("No message store at {path}: create one with 'netmsg demo init {path}'").format(
                    path=path
                )
            )
    return open_store(url, user_id=user, token=token, account=account)


def on_network(
    location: str | Path, work: Callable[[NetworkStore], Awaitable[T]], *, create: bool = True
) -> T:
    """Run ``work`` on the network store at ``location`` (a path or store URL), then close it.
    ``create=False``: a missing store file answers Unavailable instead of being made."""
    from ..store import open_network

    async def go() -> T:
        network = open_network(location, create=create)
        try:
            return await work(network)
        finally:
            await network.close()

    return asyncio.run(go())


def run_handler(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except MessagingDisabled as exc:
        c = exc.contact
        complain(
            _(
                "{customer} has not enabled messaging; contact them directly: "
                "{name} <{email}>, phone {phone}, {address}"
            ).format(
                customer=exc.customer.name,
                name=c.name,
                email=c.email,
                phone=c.phone,
                address=c.address,
            )
        )
    except (StoreError, CliError, ConfigError) as exc:
        complain(exc)
    except KeyboardInterrupt:
        complain(_("interrupted"))
        return 130
    return 1


def with_store(work: Callable[[MessageStore, argparse.Namespace], Any]) -> Any:
    """Decorate ``async def work(store, args)`` into a handler that opens and closes the store."""

    def handler(args: argparse.Namespace) -> int:
        async def go() -> int:
            store = open_from_args(args)
            try:
                result = await work(store, args)
            finally:
                await store.close()
            return int(result or 0)

        return asyncio.run(go())

    return handler


def say(*parts: object) -> None:
    """Print text that came from other people (customers' mail, file names) safely: control
    and bidi characters, which could drive the terminal, are shown as placeholders (see
    ``terminal_text``); newlines and tabs stay."""
    print(*(printable(str(p)) for p in parts))


def say_line(text: object) -> None:
    """One line of output (a row of a listing): like :func:`say`, with line breaks from
    outside folded to spaces, so a name cannot start a row of its own."""
    print(printable_line(str(text)))


def warn(text: object) -> None:
    """``netmsg: warning: <text>`` on stderr, sanitised like :func:`complain`."""
    complain(_("warning: {text}").format(text=text))


def complain(text: object) -> None:
    """``netmsg: <text>`` on stderr, sanitised: error texts quote names and server answers."""
    print(f"netmsg: {printable(str(text))}", file=sys.stderr)


def print_json(value: Any) -> None:
    """Exact JSON (``json.loads`` gives back every string as stored), with C1 and bidi
    characters written as ``\\u009b``-style escapes so the raw output cannot drive a terminal;
    other non-ASCII text stays readable."""
    import json  # as msgspec: not on the TUI's start-up path

    from ..wire import to_json

    text = json.dumps(to_json(value), indent=2, ensure_ascii=False)
    sys.stdout.write(escape_json_text(text) + "\n")
