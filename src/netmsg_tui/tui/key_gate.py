"""Type-ahead: keys typed in a burst reach the widget the user was going to, in order.

Textual routes a key to the widget focused *when the app reads it*, but what a key does (open a
screen, a dialog, move the focus) happens later, in that widget's own message queue. In a burst
(`n + harb Enter`, or any paste of keys over SSH) the keys after `n` were routed to the list
before the composer existed, and were lost or misrouted.

The gate takes every key the terminal sends, in order, and lets the next one through only when
the previous one has settled: the widget it went to has handled it, every message queue of the
app and its screen is empty, and the screen and focus have stopped changing. A screen or widget
that needs longer (a customer still loading, Enter waiting for the search typed before it)
holds the keys with :meth:`KeyGate.hold` until it is ready; the held keys then go, in order, to
wherever the focus is by then. A hold that is never released lets keys through after
``MAX_HOLD`` seconds: a bug may delay a key, never swallow it.

Keys typed before the app put the terminal in raw mode (a burst sent while ``ssh -t`` connects
and Python starts) passed the terminal's line discipline, which turns Enter's ``\r`` into
``\n`` (ICRNL): Textual reads that as ctrl+j and the Enter was lost. Until the app's first
screen is up (:attr:`KeyGate.starting`) a ctrl+j is taken as the Enter it was. (A ctrl+s typed
then is the terminal's XOFF, kept by the kernel: no program sees it.)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen

from .base import app_ending

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

#: Seconds a hold may keep keys waiting before they go anyway.
MAX_HOLD = 5.0
#: Rounds of the event loop a key may take to settle before the next goes anyway (a widget
#: that posts messages to itself forever, an animation).
MAX_ROUNDS = 200


class KeyGate:
    """Keys of one app, let through one at a time (see the module docstring)."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._waiting: deque[events.Key] = deque()
        self._released: set[int] = set()  # ids of keys the gate has let through
        self._holds: set[object] = set()
        self._unheld = asyncio.Event()
        self._unheld.set()
        self._task: asyncio.Task[None] | None = None
        #: True until the app's first screen is up: a ctrl+j is an Enter typed before the
        #: terminal left cooked mode (see the module docstring). The app sets it False.
        self.starting = True

    def takes(self, event: events.Event) -> bool:
        """True when the gate took ``event`` (a key from the terminal) to send it in turn;
        False for any other event and for keys it lets through itself."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            return False
        if id(event) in self._released:
            self._released.discard(id(event))
            return False
        if self.starting and event.key == "ctrl+j":
            event = events.Key("enter", "\r")
        self._waiting.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="netmsg key gate")
        return True

    def hold(self, owner: object) -> None:
        """Keep keys waiting until :meth:`release` with the same ``owner``."""
        self._holds.add(owner)
        self._unheld.clear()

    def release(self, owner: object) -> None:
        self._holds.discard(owner)
        if not self._holds:
            self._unheld.set()

    @property
    def waiting(self) -> int:
        """Keys typed and not yet let through."""
        return len(self._waiting)

    async def _run(self) -> None:
        while True:
            while self._waiting:
                await self._settled()
                if app_ending(self._app):
                    # Keys still held when the app ends go nowhere: its screens are being
                    # removed (a key posted then failed the app: no screens on the stack).
                    self._waiting.clear()
                    return
                key = self._waiting.popleft()
                released = events.Key(key.key, key.character)
                self._released.add(id(released))
                self._app.post_message(released)
                # The app forwards it in turn; then the widget it went to handles it.
                await self._through(self._app)
                await self._through(self._app.focused or self._app.screen)
            await self._settled()
            # A key typed while that last wait ran found this task still running (takes()
            # starts no other): it is this loop's to send, or it would wait for the next key.
            if not self._waiting:
                return

    async def _settled(self) -> None:
        """Wait until no hold is on, nothing is queued and screen and focus are still."""
        app = self._app
        seen = None
        for _ in range(MAX_ROUNDS):
            if not self._unheld.is_set():
                await self._unhold()
            if app_ending(app):
                return
            screen = app.screen
            now = (screen, app.focused)
            if now == seen and screen.is_mounted and self._quiet(screen):
                return
            seen = now
            await self._through(app)

    async def _unhold(self) -> None:
        """Wait for the holds to go: released, or held by a screen that has closed, or older
        than MAX_HOLD (a forgotten hold delays keys, it never swallows them)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_HOLD
        while not self._unheld.is_set() and loop.time() < deadline:
            stack = self._app.screen_stack
            for owner in list(self._holds):
                if isinstance(owner, Screen) and owner not in stack:
                    self.release(owner)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._unheld.wait(), 0.1)
        self._holds.clear()
        self._unheld.set()

    def _quiet(self, screen: Screen[Any]) -> bool:
        pumps: list[MessagePump] = [self._app, screen, *screen.walk_children()]
        return all(pump.message_queue_size == 0 for pump in pumps)

    async def _through(self, pump: MessagePump) -> None:
        """Return once ``pump`` has handled every message queued to it before this call."""
        done = asyncio.get_running_loop().create_future()

        def finish() -> None:
            if not done.done():
                done.set_result(None)

        if not pump.call_later(finish):
            return  # closed: nothing more will be handled there
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done, MAX_HOLD)
