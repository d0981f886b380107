"""``netmsg`` without a subcommand: open the TUI.

``--demo`` builds a fresh demo store in a temporary folder (removed on exit) and lets a simulated
customer answer what you send. With ``--account ID`` (support staff) the store opened shows that
account and the app does not ask which one. Textual is imported only here, after the arguments
are parsed, so the scripting subcommands never pay for it.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..store import NetworkStore, open_network, open_store, sqlite_path
from ..tui.start import StartData, read_start_aside
from .common import open_from_args, settings, store_url
from .flow_control import flow_control_off

if TYPE_CHECKING:
    import argparse


def run_tui(args: argparse.Namespace) -> int:
    # Before Textual is imported: a ctrl+s typed from here on reaches the app.
    with tuned_for_the_tui(), flow_control_off():
        return _run_tui(args)


#: Python's switch interval while the TUI runs (its default is 5 ms): see tuned_for_the_tui.
SWITCH_INTERVAL = 0.001


@contextmanager
def tuned_for_the_tui() -> Iterator[None]:
    """The interpreter set for the TUI while it runs, and set back after (also on errors).

    Without the cyclic collector: until the home screen's first frame it collected ~100 times
    (10-20 ms of CPU on a 2-core machine) among objects that nearly all live as long as the app.
    The app turns it back on after that frame, with the objects made until then frozen
    (tui/idle_gc.py); here it is turned on again when the app ended, also before that frame.

    With a 1 ms switch interval: Textual writes each frame from a thread of its own, which takes
    the interpreter's lock for each step of the write (encode, write, flush); while the app went
    on working after a frame (as after the first one: the Documents tab, the unread count), each
    step waited up to 5 ms. At 1 ms the first row reached a pty ~20 ms sooner (medians of 21
    and 25 interleaved starts; bench/README.md); threads taking turns this often cost Python
    well under 1 % here, where one thread (the app's) does the work.
    """
    switch_interval = sys.getswitchinterval()
    gc.disable()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        gc.enable()
        sys.setswitchinterval(switch_interval)


def _run_tui(args: argparse.Namespace) -> int:
    config = settings(args)
    with ExitStack() as cleanup:
        demo = None
        network: NetworkStore | None = None
        if getattr(args, "demo", False):
            import tempfile  # the demo's folder: no other start makes (and removes) one

            from ..demo import build_demo
            from ..tui.demo_customer import DemoCustomer

            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="netmsg-demo-"))
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
        # A local (SQLite) file is read on a side thread while Textual is imported: the home
        # screen is then the first screen, with its rows (tui/start.py).
        start: Future[StartData] | None = read_start_aside(store) if local else None

        from ..tui.app import NetmsgApp

        app = NetmsgApp(
            store,
            keymap=config.keymap,
            demo_customer=demo,
            theme=config.theme,
            account=getattr(args, "account", None),
            start=start,
        )
        from ..tui.css_cache import ParsedCss, default_path

        parsed_css = ParsedCss(app.stylesheet, default_path())
        # One event loop for the app and the stores' closing: an HTTP store's connections
        # belong to the loop that opened them (closed on a new loop, they fail at exit).
        loop = asyncio.new_event_loop()
        try:
            code = app.run(loop=loop)
        finally:
            parsed_css.save()
            loop.run_until_complete(store.close())
            if network is not None:
                loop.run_until_complete(network.close())
            loop.close()
    return int(code or app.return_code or 0)
