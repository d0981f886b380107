"""``netmsg`` without a subcommand: open the TUI.

``--demo`` builds a fresh demo store in a temporary folder (removed on exit) and lets a simulated
customer answer what you send. With ``--account ID`` (support staff) the store opened shows that
account and the app does not ask which one. Textual is imported only here, after the arguments
are parsed, so the scripting subcommands never pay for it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import threading
from pathlib import Path

from ..store import MessageStore, NetworkStore, StoreError, open_network, open_store, sqlite_path
from .common import open_from_args, settings, store_url


def run_tui(args: argparse.Namespace) -> int:
    config = settings(args)
    with tempfile.TemporaryDirectory(prefix="netmsg-demo-") as folder:
        demo = None
        network: NetworkStore | None = None
        if getattr(args, "demo", False):
            from ..demo import build_demo
            from ..tui.demo_customer import DemoCustomer

            path = Path(folder) / "demo.db"
            build_demo(path, plan=getattr(args, "plan", "enterprise"))
            store = open_store(str(path))
            network = open_network(path)
            demo = DemoCustomer(network)
            local = True
        else:
            store = open_from_args(args)
            url, _user = store_url(args)
            local = url is None or sqlite_path(url) is not None
        if local:
            _warm_up(store)

        from ..tui.app import NetmsgApp

        app = NetmsgApp(
            store,
            keymap=config.keymap,
            demo_customer=demo,
            theme=config.theme,
            account=getattr(args, "account", None),
        )
        # One event loop for the app and the stores' closing: an HTTP store's connections
        # belong to the loop that opened them (closed on a new loop, they fail at exit).
        loop = asyncio.new_event_loop()
        try:
            code = app.run(loop=loop)
        finally:
            loop.run_until_complete(store.close())
            if network is not None:
                loop.run_until_complete(network.close())
            loop.close()
    return int(code or app.return_code or 0)


def _warm_up(store: MessageStore) -> None:
    """Open a local (SQLite) store and read who we are on a side thread while Textual is
    imported (a few hundred ms): the first screen then finds the file open and its pages cached.

    Only for a local file: its connection thread serves any event loop, whereas an HTTP client
    belongs to the loop that made it.
    """

    def whoami() -> None:
        with contextlib.suppress(StoreError):  # the app asks again and shows the reason
            asyncio.run(store.whoami())

    threading.Thread(target=whoami, name="netmsg-warm-up", daemon=True).start()
