"""``netmsg`` without a subcommand: open the TUI.

``--demo`` builds a fresh demo store in a temporary folder (removed on exit) and lets a simulated
customer answer what you send. Textual is imported only here, after the arguments are parsed, so
the scripting subcommands never pay for it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import threading
from pathlib import Path

from ..store import MessageStore, StoreError
from .common import open_from_args, settings


def run_tui(args: argparse.Namespace) -> int:
    config = settings(args)
    with tempfile.TemporaryDirectory(prefix="netmsg-demo-") as folder:
        demo = None
        if getattr(args, "demo", False):
            from ..demo import build_demo
            from ..store.sqlite import SQLiteStore
            from ..tui.demo_customer import DemoCustomer

            path = Path(folder) / "demo.db"
            build_demo(path, plan=getattr(args, "plan", "enterprise"))
            demo_store = SQLiteStore(path)
            demo = DemoCustomer(demo_store)
            store: MessageStore = demo_store
        else:
            store = open_from_args(args)
        _warm_up(store)

        from ..tui.app import NetmsgApp

        app = NetmsgApp(store, keymap=config.keymap, demo_customer=demo, theme=config.theme)
        try:
            code = app.run()
        finally:
            asyncio.run(store.close())
    return int(code or app.return_code or 0)


def _warm_up(store: MessageStore) -> None:
    """Open a SQLite store and read who we are on a side thread while Textual is imported
    (a few hundred ms): the first screen then finds the file open and its pages cached.

    Only for the SQLite adapter: its connection thread serves any event loop, whereas an HTTP
    client belongs to the loop that made it.
    """
    from ..store.sqlite import SQLiteStore

    if not isinstance(store, SQLiteStore):
        return

    def whoami() -> None:
        with contextlib.suppress(StoreError):  # the app asks again and shows the reason
            asyncio.run(store.whoami())

    threading.Thread(target=whoami, name="netmsg-warm-up", daemon=True).start()
