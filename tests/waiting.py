"""Waiting in Pilot tests: for a condition, never for a fixed time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

#: A bound for a loaded machine (2 cores shared by many runs), not a timing: only a broken app
#: gets near it. The app's live poll never ends, so ``workers.wait_for_complete`` cannot be used.
TIMEOUT = 30.0


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = TIMEOUT
) -> None:
    """Let the app run until ``condition()`` is true; fail naming ``what`` after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
