"""The ``netmsg`` command: the TUI by default, plus scripting subcommands.

Each subcommand group lives in its own module with a ``register(subparsers, common)`` function;
handlers import what they need lazily so ``netmsg --help`` stays instant. Exit status: 0 on
success, 1 with a one-line reason on stderr when the store or input refuses, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from .. import __version__
from . import demo_cmd, messages
from .common import CliError, add_store_options, run_handler

GROUPS = [messages, demo_cmd]


def _optional_groups() -> list[ModuleType]:
    """Groups that other parts of the product add (server, admin, mail), when present."""
    import importlib

    found: list[ModuleType] = []
    for name in ("server_cmd", "mail_cmd"):
        try:
            found.append(importlib.import_module(f"{__name__}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netmsg",
        description="Message your customers on a business network from the terminal. "
        "Without a subcommand, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"netmsg {__version__}")
    add_store_options(parser, top=True)
    parser.add_argument(
        "--demo", action="store_true", help="open the TUI on a freshly generated demo store"
    )
    parser.add_argument(
        "--plan",
        choices=["enterprise", "standard"],
        default="enterprise",
        help="with --demo: the demo account's plan (default: enterprise)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in [*GROUPS, *_optional_groups()]:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from .tui_cmd import run_tui

        handler = run_tui
    try:
        return run_handler(handler, args)
    except BrokenPipeError:  # `netmsg threads | head`: the reader left, that is fine
        sys.stderr.close()
        return 0


__all__ = ["CliError", "build_parser", "main"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
