"""Mail and notification commands: ``netmsg preferences``, ``netmsg notify``, ``netmsg mail …``.

``preferences`` works on any store (local or remote). ``notify`` and ``mail`` are the network's
mail gateway and work on the network's database (a SQLite file or a ``postgresql://`` URL); a
server runs them inside ``netmsg serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from ..config import ConfigError
from ..i18n import LANGUAGES, N_, _
from ..model import MAX_NOTIFY_ADDRESSES, InboundMail, NotificationPrefs
from ..store import MessageStore
from .common import (
    CliError,
    add_store_options,
    complain,
    counts_text,
    on_network,
    open_from_args,
    print_json,
    say_line,
    settings,
    store_url,
    with_store,
)

EX_DATAERR = 65  # sysexits: the MTA bounces the message with our stderr line
EX_TEMPFAIL = 75  # sysexits: the MTA keeps the message and tries again later
#: The notification modes as ``netmsg preferences`` shows them (``--mode`` takes the English).
MODES = {"immediate": N_("immediate"), "daily": N_("daily")}
#: A received reply's status in ``netmsg mail log``.
RECEIVED_STATES = {"accepted": N_("accepted"), "rejected": N_("rejected")}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    prefs = sub.add_parser(
        "preferences",
        help=_("show or change your notification preferences"),
        description=_("Show (default) or change how you are told about customer replies."),
    )
    add_store_options(prefs)
    prefs.add_argument("--json", action="store_true", help=_("print a JSON object"))
    prefs.set_defaults(handler=with_store(show_preferences))
    prefs_sub = prefs.add_subparsers(dest="prefs_command", metavar="COMMAND")
    show = prefs_sub.add_parser(
        "show", help=_("print the preferences"), description=_("print the preferences")
    )
    add_store_options(show)
    show.add_argument("--json", action="store_true", help=_("print a JSON object"))
    show.set_defaults(handler=with_store(show_preferences))
    change = prefs_sub.add_parser(
        "set",
        help=_("change some preferences (the others stay as they are)"),
        description=_("Change the given preferences; the others stay as they are."),
    )
    add_store_options(change)
    change.add_argument("--email", choices=["on", "off"], help=_("email on customer reply"))
    change.add_argument(
        "--address",
        metavar="ADDR",
        action="append",
        help=_("notification address; repeat for up to {n} (replaces the list)").format(
            n=MAX_NOTIFY_ADDRESSES
        ),
    )
    change.add_argument(
        "--mode", choices=["immediate", "daily"], help=_("one email or a daily digest")
    )
    change.add_argument("--toast", choices=["on", "off"], help=_("in-app toast on a reply"))
    change.add_argument("--bell", choices=["on", "off"], help=_("terminal bell on a reply"))
    change.add_argument(
        "--language", choices=LANGUAGES, help=_("the language of your notification emails")
    )
    change.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    change.set_defaults(handler=with_store(set_preferences))

    notify = sub.add_parser(
        "notify",
        help=_("send queued email notifications of customer replies"),
        description=_(
            "Deliver the notification queue of a local store over SMTP ([smtp] in "
            "config.toml). Runs until interrupted, or once with --once (for cron)."
        ),
    )
    add_store_options(notify)
    notify.add_argument("--once", action="store_true", help=_("one pass, then exit"))
    notify.add_argument(
        "--interval", type=float, default=30.0, help=_("seconds between passes (default 30)")
    )
    notify.add_argument(
        "--digest-hour", type=int, default=None, metavar="H", help=_("daily digests at H:00 UTC")
    )
    notify.add_argument(
        "--status", action="store_true", help=_("print the queue's counts and exit")
    )
    notify.set_defaults(handler=run_notify)

    mail = sub.add_parser(
        "mail",
        help=_("the mail gateway: replies by email"),
        description=_("Receive replies to notification emails."),
    )
    mail_sub = mail.add_subparsers(dest="mail_command", metavar="COMMAND", required=True)
    ingest = mail_sub.add_parser(
        "ingest",
        help=_("read one email on stdin and post it as a reply (for an MTA pipe)"),
        description=_(
            "Read one RFC 5322 message on stdin and post it in its thread. Exit status: "
            "0 posted (or dropped on purpose: forged, automatic, duplicate), 65 refused with a "
            "reason for the sender (the MTA bounces it), 75 try again later."
        ),
    )
    add_store_options(ingest)
    ingest.add_argument(
        "--recipient", metavar="ADDR", action="append", default=[], help=_("envelope recipient")
    )
    ingest.add_argument("--sender", metavar="ADDR", help=_("envelope sender ('' for a bounce)"))
    ingest.add_argument(
        "--rejected-dir", metavar="DIR", type=Path, help=_("where refused mail goes")
    )
    ingest.set_defaults(handler=run_ingest)
    text = _("list received replies, accepted and rejected")
    log = mail_sub.add_parser("log", help=text, description=text)
    add_store_options(log, account=True)
    log.add_argument("--limit", type=int, default=20, help=_("how many entries (default 20)"))
    log.add_argument("--json", action="store_true", help=_("JSON, with the stripped quoted text"))
    log.set_defaults(handler=run_log)
    rotate = mail_sub.add_parser(
        "rotate-secret",
        help=_("start signing reply addresses with a new secret (the previous one still works)"),
        description=_(
            "start signing reply addresses with a new secret (the previous one still works)"
        ),
    )
    rotate.set_defaults(handler=run_rotate)


# -- preferences ---------------------------------------------------------------------------------
def _print_prefs(prefs: NotificationPrefs, as_json: bool) -> None:
    if as_json:
        print_json(prefs)
        return
    on = {True: _("on"), False: _("off")}
    print(_("email on customer reply: {value}").format(value=on[prefs.email_on_reply]))
    print(_("addresses: {value}").format(value=", ".join(prefs.addresses) or _("(none)")))
    print(_("mode: {value}").format(value=_(MODES.get(prefs.mode, prefs.mode))))
    print(_("toast: {value}").format(value=on[prefs.toast]))
    print(_("bell: {value}").format(value=on[prefs.bell]))
    print(_("email language: {value}").format(value=prefs.language))


async def show_preferences(store: MessageStore, args: argparse.Namespace) -> int:
    _print_prefs(await store.get_preferences(), args.json)
    return 0


async def set_preferences(store: MessageStore, args: argparse.Namespace) -> int:
    old = await store.get_preferences()

    def flag(value: str | None, current: bool) -> bool:
        return current if value is None else value == "on"

    new = NotificationPrefs(
        email_on_reply=flag(args.email, old.email_on_reply),
        addresses=tuple(args.address) if args.address is not None else old.addresses,
        mode=args.mode or old.mode,
        toast=flag(args.toast, old.toast),
        bell=flag(args.bell, old.bell),
        language=args.language or old.language,
    )
    _print_prefs(await store.set_preferences(new), args.json)
    return 0


# -- the mail gateway ----------------------------------------------------------------------------
def local_store_path(args: argparse.Namespace) -> str | Path:
    """The network store the mail gateway works on: a SQLite file (it must exist) or a
    ``postgresql://`` URL (its database must exist). A server URL is refused: there the
    gateway runs inside ``netmsg serve``."""
    from ..store import default_store_path, is_postgres_url, sqlite_path

    url, _user = store_url(args)
    if url is not None and is_postgres_url(url):
        return url
    if url is None:
        path = default_store_path()
    else:
        found = sqlite_path(url)
        if found is None:
            raise CliError(
                _(
                    "the mail gateway works on a local store file; on a server it runs inside "
                    "'netmsg serve'"
                )
            )
        path = found
    if not path.is_file():
        raise CliError(_("No message store at {path}").format(path=path))
    return path


def rejected_mail_dir(args: argparse.Namespace, store: str | Path) -> Path | None:
    """Where refused mail is kept: ``--rejected-dir``, else beside a SQLite file (None), else
    (a database has no folder of its own) ``rejected-mail`` in the netmsg data folder, as
    ``netmsg serve`` does."""
    if args.rejected_dir is not None or isinstance(store, Path):
        return args.rejected_dir  # type: ignore[no-any-return]
    from ..store import default_store_path

    return default_store_path().parent / "rejected-mail"


def _shown(store: str | Path) -> str | Path:
    """The store as a log line may show it: a database URL without its password."""
    if isinstance(store, Path):
        return store
    from ..store import public_location

    return public_location(store)


def _signer(args: argparse.Namespace) -> Any:
    from ..mail import signer_for
    from ..mail.secret import SecretError

    try:
        return signer_for(settings(args))
    except (SecretError, ValueError) as exc:
        raise CliError(str(exc)) from None


def run_notify(args: argparse.Namespace) -> int:
    import asyncio

    from ..mail.sender import DIGEST_HOUR_UTC, run_sender_loop, send_due

    path = local_store_path(args)
    if args.status:
        found = on_network(path, lambda network: network.notice_counts(), create=False)
        text = counts_text(found, tuple(sorted(found)))
        print(text or _("the notification queue is empty"))
        return 0
    hour = DIGEST_HOUR_UTC if args.digest_hour is None else args.digest_hour
    if not 0 <= hour <= 23:
        raise CliError(_("--digest-hour must be between 0 and 23"))
    signer = _signer(args)
    if args.once:
        report = send_due(path, settings(args), signer, digest_hour=hour)
        print(report)
        return 1 if report.errors else 0
    if args.interval <= 0:
        raise CliError(_("--interval must be a positive number of seconds"))
    text = _("Sending notifications from {path} every {seconds} s; Ctrl+C stops")
    print(text.format(path=_shown(path), seconds=f"{args.interval:g}"))
    asyncio.run(run_sender_loop(path, settings(args), signer, interval=args.interval))
    return 0


def _require(module: str, extra: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise CliError(
            _(
                "Receiving replies needs the '{extra}' extra ({module} is missing): "
                "pip install 'netmsg-tui[{extra}]'"
            ).format(extra=extra, module=module)
        )


def run_ingest(args: argparse.Namespace) -> int:

    # A broken setup (missing store or package, unreadable secret) must not bounce the mail:
    # the MTA keeps it and retries until it is fixed.
    try:
        path = local_store_path(args)
        signer = _signer(args)
    except (CliError, ConfigError) as exc:
        complain(_("{reason}; try again later").format(reason=exc))
        return EX_TEMPFAIL
    from ..mail.inbound import ingest
    from ..mail.inbound_server import DATA_SIZE_LIMIT

    raw = sys.stdin.buffer.read(DATA_SIZE_LIMIT + 1)
    if len(raw) > DATA_SIZE_LIMIT:
        complain(_("the message is too large to be a reply"))
        return EX_DATAERR
    outcome = on_network(
        path,
        lambda network: ingest(
            raw,
            network,
            signer,
            recipients=args.recipient,
            envelope_sender=args.sender,
            rejected_dir=rejected_mail_dir(args, path),
        ),
        create=False,
    )
    if outcome.status == "accepted":
        text = _("posted as message {id} in thread {thread}")
        print(text.format(id=outcome.message_id, thread=outcome.conversation_id))
        return 0
    if outcome.status == "retry":
        complain(_("{reason}; try again later").format(reason=outcome.reason))
        return EX_TEMPFAIL
    if outcome.kept_at:
        text = _("reply refused: {reason} (kept in {path})")
    else:
        text = _("reply refused: {reason}")
    complain(text.format(reason=outcome.reason, path=outcome.kept_at))
    return EX_DATAERR if outcome.bounce else 0


def run_log(args: argparse.Namespace) -> int:
    url, _user = store_url(args)
    if url is not None and url.startswith(("http://", "https://")):
        # On a server: this account's log through the store port (support: audited).
        found = asyncio.run(_account_log(args))
    else:
        path = local_store_path(args)
        found = on_network(
            path, lambda network: network.inbound_mail_log(limit=args.limit), create=False
        )
    entries = [
        {
            "message_id": m.message_id,
            "received": f"{m.received:%Y-%m-%dT%H:%M:%S.%fZ}",
            "status": m.status,
            "reason": m.reason,
            "thread": m.conversation_id,
            "message": m.stored_message_id,
            "stripped_text": m.stripped_text,
            "kept_at": m.kept_at,
        }
        for m in found
    ]
    if args.json:
        print_json(entries)
        return 0
    for e in entries:
        if e["thread"] is not None:
            where = _("thread {id}").format(id=e["thread"])
        else:
            where = _("no thread")
        status = _(RECEIVED_STATES.get(str(e["status"]), str(e["status"])))
        say_line(f"{e['received']}  {status:<10}  {where}  {e['message_id']}  {e['reason']}")
    return 0


async def _account_log(args: argparse.Namespace) -> list[InboundMail]:
    store = open_from_args(args)
    try:
        return await store.mail_log(limit=args.limit)
    finally:
        await store.close()


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """The mail options of ``netmsg serve``."""
    parser.add_argument(
        "--notify",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("send email notifications of customer replies (default: when [smtp] is configured)"),
    )
    parser.add_argument(
        "--smtp-port",
        type=int,
        metavar="PORT",
        help=_("accept emailed replies on this SMTP port"),
    )
    parser.add_argument("--lmtp", action="store_true", help=_("speak LMTP on --smtp-port"))


def start_mail_gateway(args: argparse.Namespace, path: str | Path) -> Any:
    """For ``netmsg serve``: start the notification sender and the reply port as asked; returns
    the running :class:`~netmsg_tui.mail.gateway.MailGateway` (stop it), or None. ``path``: the
    SQLite file, or a PostgreSQL URL (rejected mail is then kept in the netmsg data folder)."""
    from ..config import SmtpSettings

    found = settings(args)
    notify = args.notify if args.notify is not None else found.smtp != SmtpSettings()
    port = args.smtp_port
    if not notify and port is None:
        return None
    if port is not None and not 0 <= port <= 65535:
        raise CliError(_("--smtp-port must be between 0 and 65535"))
    if port is not None:
        _require("aiosmtpd", "server")
    from ..mail.gateway import MailGateway

    rejected = None
    if isinstance(path, str):  # a database without a folder of its own
        from ..store import default_store_path

        rejected = default_store_path().parent / "rejected-mail"
    gateway = MailGateway(
        path, found, _signer(args), notify=notify, inbound_port=port,
        inbound_host=args.host, lmtp=args.lmtp, rejected_dir=rejected,
    )  # fmt: skip
    try:
        gateway.start()
    except OSError as exc:
        raise CliError(
            _("Cannot listen for mail on {host}:{port}: {reason}").format(
                host=args.host, port=port, reason=exc.strerror
            )
        ) from None
    parts = []
    if notify:
        text = _("notifications via {host}:{port}")
        parts.append(text.format(host=found.smtp.host, port=found.smtp.port))
    if gateway.port is not None:
        text = _("replies by {protocol} on {host}:{port}")
        protocol = "LMTP" if args.lmtp else "SMTP"
        parts.append(text.format(protocol=protocol, host=args.host, port=gateway.port))
    print("netmsg mail: " + "; ".join(parts), flush=True)
    return gateway


def run_rotate(args: argparse.Namespace) -> int:
    from ..mail.secret import SecretError, rotate_secret

    try:
        path = rotate_secret()
    except SecretError as exc:
        raise CliError(str(exc)) from None
    text = _("New mail secret written to {path}; replies signed with the previous one still work")
    print(text.format(path=path))
    return 0
