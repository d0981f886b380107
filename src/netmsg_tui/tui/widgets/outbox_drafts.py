"""Drafts that survive a restart of the app: every store keeps unsent text (the port's
``save_draft``/``drafts``/``delete_draft``: the SQLite file, or a network store's local queue
file).

The reply box's text is saved a moment after typing stops, so quitting the app loses at most
that moment; an emptied box (sent, queued, cleared) forgets its draft.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.timer import Timer

from ...store import StoreError
from .composer import Composer, Draft

if TYPE_CHECKING:
    from ..app import NetmsgApp
    from ..base import NetmsgScreen, NetmsgWidget

SAVE_DELAY = 1.0  # seconds after the last key press


async def kept_draft(app: NetmsgApp, place: str) -> Draft | None:
    """The draft the store kept for ``place`` (e.g. ``"thread:12"``), if any."""
    store = app.store
    try:
        data = (await store.drafts()).get(place)
    except StoreError:
        return None  # what the user types now matters more than an old draft
    if not isinstance(data, dict) or not isinstance(data.get("body"), str):
        return None
    files = data.get("attachments")
    paths = [Path(p) for p in files if isinstance(p, str)] if isinstance(files, list) else []
    return Draft(body=data["body"], attachments=paths)


class DraftKeeper:
    """Saves one composer's text under ``place`` in the store, debounced."""

    def __init__(self, owner: NetmsgScreen[Any] | NetmsgWidget, place: str) -> None:
        self.owner = owner
        self.place = place
        self._timer: Timer | None = None

    def typed(self, composer: Composer) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.owner.set_timer(SAVE_DELAY, lambda: self.keep(composer))

    def keep(self, composer: Composer) -> None:
        """Save the composer's text now (or forget the draft when it is empty). Runs as an app
        worker, so it completes even when the screen is closing."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        app = self.owner.app
        store = app.store
        place = self.place
        empty = composer.is_empty
        data = {"body": composer.body, "attachments": [str(p) for p in composer.attachments]}

        async def save() -> None:
            try:
                if empty:
                    await store.delete_draft(place)
                else:
                    await store.save_draft(place, data)
            except StoreError as exc:
                app.notify(f"Could not keep the draft: {exc}", severity="warning")

        app.run_worker(save(), group=f"draft-{place}")
