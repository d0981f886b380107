"""The ``netmsg`` command: the TUI by default, plus scripting subcommands.

Each subcommand group lives in its own module with a ``register(subparsers)`` function; handlers
import what they need lazily. Opening the TUI (no subcommand) parses only the top-level options and
never imports the groups: start-up should cost what Textual costs, not what the CLI costs.
Exit status: 0 on success, 1 with a one-line reason on stderr when the store or input refuses,
2 for usage errors.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from .. import __version__
from ..i18n import _
from .common import CliError, add_store_options, run_handler
from .tui_argv import tui_options

if TYPE_CHECKING:
    import argparse
    from types import ModuleType

GROUPS = (
    "messages",
    "support_cmd",
    "export_cmd",
    "templates_cmd",
    "demo_cmd",
    "server_cmd",
    "mail_cmd",
)


def _groups() -> list[ModuleType]:
    """The subcommand groups; server and mail are skipped when their modules are absent."""
    import importlib

    found: list[ModuleType] = []
    for name in GROUPS:
        try:
            found.append(importlib.import_module(f"{__name__}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return found


def _top_parser(**kwargs: object) -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="netmsg",
        description=_(
            "Message your customers on a business network from the terminal. "
            "Without a subcommand, opens the TUI."
        ),
        **kwargs,  # type: ignore[arg-type]
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"netmsg {__version__}",
        help=_("show program's version number and exit"),
    )
    add_store_options(parser, top=True)
    parser.add_argument(
        "--demo", action="store_true", help=_("open the TUI on a freshly generated demo store")
    )
    parser.add_argument(
        "--plan",
        choices=["enterprise", "standard"],
        default="enterprise",
        help=_("with --demo: the demo account's plan (default: enterprise)"),
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _groups():
        group.register(sub)
    return parser


def _tui_args(argv: list[str]) -> argparse.Namespace | None:
    """The parsed options when ``argv`` asks for the TUI (no subcommand, no help), else None."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return None
    args, rest = _top_parser(add_help=False).parse_known_args(argv)
    return None if rest else args


def choose_language() -> None:
    """The interface's language for this run, before any text is made (help included):
    ``language`` from config.toml (read even when another key of the file is wrong, so the
    command that reads the file reports that in this language), else the locale variables. An
    unknown configured language counts as none here; the command then reports it."""
    import os

    from ..config import language_setting
    from ..i18n import resolve_language, set_language

    set_language(resolve_language(language_setting(), os.environ))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    choose_language()
    # `netmsg`, `netmsg --store X`: read by hand, without argparse (start-up; tui_argv.py).
    # The handlers only read and set attributes, as on argparse's Namespace.
    args = cast("argparse.Namespace | None", tui_options(argv))
    if args is None:
        from .argparse_text import argparse_in_language

        with argparse_in_language():  # "usage:", "error:" … in the chosen language too
            args = _tui_args(argv) or build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from .tui_cmd import run_tui

        handler = run_tui
    else:
        gc.enable()  # off while the program loaded (launch.py); the TUI turns it on itself
    try:
        return run_handler(handler, args)
    except BrokenPipeError:  # `netmsg threads | head`: the reader left, that is fine
        sys.stderr.close()
        return 0


__all__ = ["CliError", "build_parser", "main"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
