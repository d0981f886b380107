"""The ``netmsg`` program's entry point: Python's cyclic collector is off while the program loads.

Loading the command (asyncio, the store, our modules; Textual comes later, in cli/tui_cmd.py,
with the collector off already) ran ~30 young and 3 middle collections among objects that
nearly all live as long as the program. With the collector off from here, the TUI reached its
first frame with 13-18 ms less CPU (main thread, 15 interleaved starts a variant, twice; the
collections themselves timed ~5 ms: a collection also costs what it evicts from the CPU's
caches). A subcommand runs with the collector on again (cli.main); the TUI keeps it off until
its home screen's first frame (cli/tui_cmd.py, tui/idle_gc.py).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    gc.disable()
    from .cli import main as run_command

    return run_command(argv)
