"""Waiting in Pilot tests: for a condition, never for a fixed time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

#: A bound for a loaded machine (2 cores shared by many runs), not a timing: only a broken app
#: gets near it. The app's live poll never ends, so ``workers.wait_for_complete`` cannot be used.
TIMEOUT = 30.0


def built(pilot: Pilot[Any]) -> bool:
    """The current screen and every widget on it are mounted (composed, their own parts there).

    A screen is current, and a widget is found by a query, as soon as it is added: before its
    children exist. A condition that saw it (``isinstance(app.screen, ThreadScreen)``,
    ``thread.query(Composer)``, a message counted before its widget is mounted) was followed
    by a ``query_one`` into it, or a read of its text, that failed on a loaded machine."""
    try:
        screen = pilot.app.screen
    except Exception:  # noqa: BLE001 - no screen (the app has ended): nothing is being built
        return True
    return all(node.is_mounted for node in screen.walk_children(with_self=True))


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = TIMEOUT
) -> None:
    """Let the app run until ``condition()`` is true on a :func:`built` screen; fail naming
    ``what`` after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (condition() and built(pilot)):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
