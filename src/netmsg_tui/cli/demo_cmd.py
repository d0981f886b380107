"""``netmsg demo init PATH``: write a demo store (or a large one for benchmarks)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import CliError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = sub.add_parser("demo", help="demo stores", description="Create demo stores.")
    demo_sub = demo.add_subparsers(dest="demo_command", metavar="COMMAND", required=True)
    init = demo_sub.add_parser(
        "init",
        help="write a demo store to PATH",
        description="Write a deterministic demo store: an Enterprise (or Standard) supplier, "
        "36 customers, 180 documents and 28 threads; or with --scale N a large store of N "
        "messages for benchmarks.",
    )
    init.add_argument("path", metavar="PATH", type=Path)
    init.add_argument("--plan", choices=["enterprise", "standard"], default="enterprise")
    init.add_argument("--scale", metavar="N", type=int, help="build a store of N messages")
    init.set_defaults(handler=init_demo)


def init_demo(args: argparse.Namespace) -> int:
    from ..demo import build_demo, build_scale

    path: Path = args.path.expanduser()
    if path.exists():
        raise CliError(f"{path} already exists; choose a new file name")
    if not path.parent.is_dir():
        raise CliError(f"Folder {path.parent} does not exist")
    if args.scale is not None:
        if args.scale < 100:
            raise CliError("--scale needs at least 100 messages")
        counts = build_scale(path, args.scale)
        print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" written to {path}")
        return 0
    build_demo(path, plan=args.plan)
    print(f"Demo store ({args.plan}) written to {path}")
    return 0
