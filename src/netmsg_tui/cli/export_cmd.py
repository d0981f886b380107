"""``netmsg export THREAD --format md|eml|json [--to FILE]``: a thread as a file (``export``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..i18n import _
from ..store import MessageStore
from .common import CliError, add_store_options, say, with_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from ..export import FORMATS

    help = _("write a thread as Markdown, an mbox of emails, or JSON")
    p: argparse.ArgumentParser = sub.add_parser("export", help=help, description=help)
    add_store_options(p)
    p.set_defaults(handler=with_store(export))
    p.add_argument("thread", metavar="THREAD", type=int, help=_("the thread's id"))
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="md",
        help=_(
            "md: readable Markdown; eml: one RFC 5322 message per thread message with its "
            "attachments, as an mbox file; json: the API's shape (default: md)"
        ),
    )
    p.add_argument("--to", metavar="FILE", type=Path, help=_("write here (default: stdout)"))
    p.add_argument("--force", action="store_true", help=_("overwrite an existing FILE"))


async def export(store: MessageStore, args: argparse.Namespace) -> int:
    from ..export import gather, render

    thread = await gather(store, args.thread, with_files=args.format == "eml")
    data = render(thread, args.format)
    if args.to is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    write_file(args.to, data, overwrite=args.force)
    say(args.to)
    return 0


def write_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path``; an existing file is kept unless ``overwrite``."""
    mode: Any = "wb" if overwrite else "xb"
    try:
        with open(path, mode) as out:
            out.write(data)
    except FileExistsError:
        raise CliError(
            _("{path} already exists; use --force to overwrite it").format(path=path)
        ) from None
    except OSError as exc:
        raise CliError(
            _("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
