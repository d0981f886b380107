"""The one-line header on every screen: account, plan, where the store is and, for a network
server, whether it is reachable (connected / reconnecting / offline) and how many sends wait in
the offline outbox ("2 queued", "1 failed"; a click opens the outbox)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static

from ...store import OfflineStore, StoreError
from ...terminal_text import printable_line
from ..base import NetmsgWidget

#: What the header says per connection state of a remote store (the SQLite store has none).
STATE_LABELS = {
    "connecting": ("◌ connecting…", "dim"),
    "connected": ("● connected", "green"),
    "reconnecting": ("◌ reconnecting…", "yellow"),
    "offline": ("✕ offline", "bold red"),
}


class AppHeader(NetmsgWidget, Static):
    """Shows ``app.header_text`` and the store's connection state, right-aligned. It repaints
    only when the state changes (no clock: an idle screen stays idle)."""

    class StateChanged(Message):
        def __init__(self, state: str) -> None:
            super().__init__()
            self.state = state

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._unsubscribe: Callable[[], None] | None = None
        self.queued = 0
        self.failed = 0
        self._counting = False

    @property
    def offline_store(self) -> OfflineStore | None:
        """The store when it can lose its server, else None (a local SQLite file)."""
        store = self.app.store
        return store if isinstance(store, OfflineStore) else None

    @property
    def connection_state(self) -> str | None:
        """The store's state, or None for a store without one (a local SQLite file)."""
        store = self.offline_store
        return None if store is None else store.connection_state

    def on_mount(self) -> None:
        store = self.offline_store
        if store is not None:
            self._unsubscribe = store.on_connection_change(self._state_changed)
            # Sends are queued by screens and delivered in the background: look at the local
            # outbox now and then, but only while offline or while something is in it.
            self.set_interval(self.app.poll_interval, self._maybe_count)
            self._count()
        self.refresh()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _state_changed(self, state: str) -> None:
        # The store calls back on the event loop's thread; from another thread, hand it over.
        if threading.get_ident() == self.app._thread_id:
            self.post_message(self.StateChanged(state))
        else:
            self.app.call_from_thread(self.post_message, self.StateChanged(state))

    def on_app_header_state_changed(self, event: AppHeader.StateChanged) -> None:
        event.stop()
        self.refresh()
        self._count()

    def _maybe_count(self) -> None:
        if self.queued or self.failed or self.connection_state != "connected":
            self._count()

    @work(group="header-outbox")
    async def _count(self) -> None:
        store = self.offline_store
        if store is None or self._counting:
            return
        self._counting = True
        try:
            entries = await store.queued_sends()
        except StoreError:
            return  # the outbox file is local; the next look will tell
        finally:
            self._counting = False
        queued = sum(1 for e in entries if e.state == "queued")
        failed = sum(1 for e in entries if e.state == "failed")
        if (queued, failed) != (self.queued, self.failed):
            self.queued, self.failed = queued, failed
            self.refresh()

    class QueuedSendsRequested(Message):
        """A click on the header of a network store: show the queued sends."""

    def on_click(self) -> None:
        if self.offline_store is not None:
            self.post_message(self.QueuedSendsRequested())

    def render(self) -> Text:
        width = max(self.content_size.width, 1)
        # The account name and the store's address come from the server.
        left = printable_line(str(self.app.header_text))
        state = self.connection_state
        if state is None:
            return Text(left, no_wrap=True, overflow="ellipsis")
        label, style = STATE_LABELS.get(state, (state, ""))
        if self.queued:
            label += f" · {self.queued} queued"
        if self.failed:
            label += f" · {self.failed} failed"
            style = "bold red"
        room = width - cell_len(label) - 2
        if room < 8:  # too narrow for both: the state matters more
            return Text(label, style=style, no_wrap=True, overflow="ellipsis")
        text = Text(left, no_wrap=True)
        text.truncate(room, overflow="ellipsis")
        text.append(" " * (width - text.cell_len - cell_len(label)))
        text.append(label, style=style)
        return text
