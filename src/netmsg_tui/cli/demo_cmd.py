"""``netmsg demo init PATH``: write a demo store (or a large one for benchmarks)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import _, formats, ngettext
from .common import CliError, counts_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = sub.add_parser("demo", help=_("demo stores"), description=_("Create demo stores."))
    demo_sub = demo.add_subparsers(dest="demo_command", metavar="COMMAND", required=True)
    init = demo_sub.add_parser(
        "init",
        help=_("write a demo store to PATH"),
        description=_(
            "Write a deterministic demo store: an Enterprise (or Standard) supplier, "
            "36 customers, 180 documents and 28 threads; or with --scale N a large store of N "
            "messages for benchmarks."
        ),
    )
    init.add_argument("path", metavar="PATH", help=_("a new SQLite file, or a postgresql:// URL"))
    init.add_argument(
        "--plan",
        choices=["enterprise", "standard"],
        default="enterprise",
        help=_("the demo account's plan (default: enterprise)"),
    )
    init.add_argument("--scale", metavar="N", type=int, help=_("build a store of N messages"))
    init.set_defaults(handler=init_demo)


def init_demo(args: argparse.Namespace) -> int:
    from ..demo import build_demo, build_scale
    from ..store import is_postgres_url

    if is_postgres_url(args.path):
        return _init_postgres(args)
    path = Path(args.path).expanduser()
    if path.exists():
        raise CliError(_("{path} already exists; choose a new file name").format(path=path))
    if not path.parent.is_dir():
        raise CliError(_("Folder {path} does not exist").format(path=path.parent))
    if args.scale is not None:
        if args.scale < 100:
            raise CliError(_("--scale needs at least 100 messages"))
        counts = build_scale(path, args.scale)
        print(_("{what} written to {path}").format(what=counts_text(counts), path=path))
        return 0
    build_demo(path, plan=args.plan)
    print(_("Demo store ({plan}) written to {path}").format(plan=args.plan, path=path))
    return 0


def _init_postgres(args: argparse.Namespace) -> int:
    """The same demo (or --scale store) in an empty PostgreSQL database: built in a temporary
    SQLite file by the one generator, then moved over with copy-store (and checked)."""
    import tempfile

    from ..demo import build_demo, build_scale
    from ..store import copy_store, open_network

    if args.scale is not None and args.scale < 100:
        raise CliError(_("--scale needs at least 100 messages"))
    with tempfile.TemporaryDirectory(prefix="netmsg-demo-") as folder:
        staging = Path(folder) / "demo.db"
        if args.scale is not None:
            build_scale(staging, args.scale)
        else:
            build_demo(staging, plan=args.plan)
        rows = copy_store(staging, args.path)
    where = open_network(args.path).location  # the URL without its password
    if args.scale is not None:
        n = rows["messages"]
        text = ngettext(
            "Demo store of {n} message written to {where}",
            "Demo store of {n} messages written to {where}",
            n,
        ).format(n=formats.count(n), where=where)
    else:
        text = _("Demo store ({plan}) written to {path}").format(plan=args.plan, path=where)
    print(text)
    return 0
