"""Python's cyclic garbage collector run while the person is idle, not in the middle of a key.

Textual's widgets hold cycles (parent ↔ child, screen ↔ widgets), so a closed thread or a
replaced page is freed only by the collector. Left to itself its full (generation 2) pass came
in the middle of opening a thread or listing search results and took 50-190 ms on a loaded
2-core machine: it was the p95 tail of those interactions (bench/interactions.py).

So, while the app runs: the objects alive once the app is idle after start-up (modules,
styles, the first screen) are frozen out of the collector's view (``gc.freeze``); the
automatic full pass is made rare (after 1,000 middle passes instead of 10; the young and middle
generations keep Python's thresholds: larger ones made their own passes long); and a full pass
runs after a second without a key or a click, when anything has been promoted since the last
and no worker is loading. At exit it is all put back as it was.

``netmsg`` starts the app with the collector off (cli/tui_cmd.py: its passes were 10-20 ms of
start-up's CPU). Then the collector is turned on after the first frame, and the objects made
until then are frozen at once, uncollected: nearly all of them live as long as the app, and the
first pass over them would have come with the person's first key. (What start-up leaves as
cyclic garbage, ~1,200 objects, is freed at exit.)
"""

from __future__ import annotations

import gc
import time
from collections.abc import Collection
from typing import Any

from textual import events
from textual.app import App

#: A full pass waits for this long without input.
IDLE_S = 1.0
#: How often idleness is checked.
CHECK_S = 0.5
THRESHOLDS = (700, 10, 1_000)
#: The longest :meth:`IdleCollector.pause` keeps the collector off (a pause never resumed).
MAX_PAUSE_S = 1.0


class IdleCollector:
    """Installed by :meth:`start` (from the app's mount), removed by :meth:`stop`. The app is
    idle when no key or click came for IDLE_S and no worker runs but those of ``standing``
    groups (which run for the app's life)."""

    def __init__(self, app: App[Any], standing: Collection[str] = ()) -> None:
        self.app = app
        self._standing = frozenset(standing)
        self._last_input = time.monotonic()
        self._thresholds = gc.get_threshold()
        self._frozen = False
        self._running = False
        self._pauses: set[object] = set()
        self._paused_at = 0.0
        self._paused = False  # the collector was on and pause() turned it off

    def start(self) -> None:
        self._running = True
        gc.set_threshold(*THRESHOLDS)
        self.app.set_interval(CHECK_S, self._check, name="idle-gc")

    def started(self) -> None:
        """The first screen is drawn: a collector turned off for start-up (cli/tui_cmd.py) is
        turned on, the objects made until now frozen."""
        if not self._running or gc.isenabled() or self._paused:
            return
        gc.freeze()
        self._frozen = True
        gc.enable()

    def pause(self, owner: object) -> None:
        """No automatic pass until :meth:`resume` with the same ``owner`` (at most MAX_PAUSE_S):
        ``owner`` is building what the user waits to see (a thread's first frame). A pass in
        the middle of it came in most opens of a thread, 1-13 ms each, and the slowest opens
        had the longest (issue 15); it comes after the frame, finding the same objects."""
        if not self._running:
            return
        if not self._pauses:
            self._paused_at = time.monotonic()
        self._pauses.add(owner)
        if gc.isenabled():  # off for start-up (see started) stays off until then
            gc.disable()
            self._paused = True

    def resume(self, owner: object) -> None:
        self._pauses.discard(owner)
        if not self._pauses and self._paused:
            self._paused = False
            gc.enable()

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._pauses.clear()
        if self._paused:
            self._paused = False
            gc.enable()
        gc.set_threshold(*self._thresholds)
        if self._frozen:
            gc.unfreeze()  # the app's objects may be collected again once it is gone

    def saw(self, event: events.Event) -> None:
        """The app received ``event``: a key or a click postpones the next pass."""
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self._last_input = time.monotonic()

    def _check(self) -> None:
        if self._pauses and time.monotonic() - self._paused_at > MAX_PAUSE_S:
            for owner in list(self._pauses):  # never resumed (a bug): collected all the same
                self.resume(owner)
        if not self._running or time.monotonic() - self._last_input < IDLE_S:
            return
        if any(not w.is_finished and w.group not in self._standing for w in self.app.workers):
            return  # a thread opening, a page loading: not now
        if not self._frozen:
            gc.collect()
            gc.freeze()
            self._frozen = True
        elif gc.get_count()[2]:  # middle passes since the last full one: something aged
            gc.collect()
