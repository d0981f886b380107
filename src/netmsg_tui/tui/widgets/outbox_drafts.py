"""Drafts that survive a restart of the app: every store keeps unsent text (the port's
``save_draft``/``drafts``/``delete_draft``: the SQLite file, or a network store's local queue
file).

The reply box's and the new-conversation composer's text (subject, customer and files too) is
saved a moment after typing stops, and at once when the screen closes or the app quits through
its question; an emptied box (sent, queued, cleared, discarded) forgets its draft. The app keeps
the set of places with a draft (``draft_places``) for the list's draft marker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.timer import Timer

from ...i18n import _
from ...store import MessageStore, StoreError
from ..base import is_gone
from .composer import Composer, Draft

if TYPE_CHECKING:
    from ..app import NetmsgApp
    from ..base import NetmsgScreen, NetmsgWidget

SAVE_DELAY = 1.0  # seconds after the last key press


async def kept_draft(app: NetmsgApp, place: str) -> Draft | None:
    """The draft the store kept for ``place`` (e.g. ``"thread:12"``), if any."""
    return await kept_draft_in(app.store, place)


async def kept_draft_in(store: MessageStore, place: str) -> Draft | None:
    """:func:`kept_draft` from ``store``."""
    try:
        data = (await store.drafts()).get(place)
    except StoreError:
        return None  # what the user types now matters more than an old draft
    return draft_from_data(data) if isinstance(data, dict) else None


def draft_from_data(data: dict[str, Any]) -> Draft | None:
    """A stored draft read back (None when damaged)."""
    if not isinstance(data.get("body"), str):
        return None
    files = data.get("attachments")
    paths = [Path(p) for p in files if isinstance(p, str)] if isinstance(files, list) else []
    subject = data.get("subject")
    customer = data.get("customer_id")
    return Draft(
        body=data["body"],
        attachments=paths,
        subject=subject if isinstance(subject, str) else "",
        customer_id=customer if isinstance(customer, int) else None,
    )


def draft_to_data(draft: Draft) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": draft.body,
        "attachments": [str(p) for p in draft.attachments],
    }
    if draft.subject:
        data["subject"] = draft.subject
    if draft.customer_id is not None:
        data["customer_id"] = draft.customer_id
    return data


async def store_draft(app: NetmsgApp, place: str, draft: Draft | None) -> None:
    """Save ``draft`` at ``place`` now (None: forget it) and update the app's draft places.
    Raises StoreError; a draft the store refused is noted in ``app.unsaved_drafts`` (see
    :class:`DraftsNotStored`)."""
    if draft is None:
        await app.store.delete_draft(place)
        app.draft_places = app.draft_places - {place}
    else:
        try:
            await app.store.save_draft(place, draft_to_data(draft))
        except StoreError:
            app.unsaved_drafts.add(place)
            raise
        app.draft_places = app.draft_places | {place}
    app.unsaved_drafts.discard(place)


async def keep_refused_send(app: NetmsgApp, keeper: DraftKeeper, draft: Draft, said: str) -> None:
    """A send the store refused after its screen closed: its text becomes the place's draft
    (in the app at once, in the store before this returns: the app, quitting, waits for the
    send's worker), and the user is told ``said``; a refused save is noted (quitting asks)."""
    app.drafts[keeper.place] = draft
    app.notify(said, severity="error", markup=False)
    keeper.cancel()
    try:
        await store_draft(app, keeper.place, draft)
    except StoreError as again:
        app.notify(_("Could not keep the draft: {error}").format(error=again), severity="warning")


class DraftsNotStored:
    """The drafts of closed screens that the store refused to keep: only the app holds them
    (``app.drafts``), so quitting asks about them as about text on a screen (the app's
    :class:`~..dialogs.unsent_text.HoldsUnsentText`): keep them (the store is asked again),
    or discard them. They cannot be sent from here."""

    def __init__(self, app: NetmsgApp) -> None:
        self.app = app

    def _held(self) -> dict[str, Draft]:
        unsaved = self.app.unsaved_drafts
        return {place: d for place, d in self.app.drafts.items() if place in unsaved}

    def has_unsent_text(self) -> bool:
        return bool(self._held())

    async def send_unsent(self) -> bool:
        self.app.notify(
            _("Not sent: open its thread or New conversation to send that text."),
            severity="warning",
        )
        return False

    async def keep_unsent(self) -> None:
        for place, draft in self._held().items():
            await store_draft(self.app, place, draft)

    async def discard_unsent(self) -> None:
        for place in self._held():
            del self.app.drafts[place]
            self.app.unsaved_drafts.discard(place)


class DraftKeeper:
    """Saves one composer's text under ``place`` in the store, debounced."""

    def __init__(self, owner: NetmsgScreen[Any] | NetmsgWidget, place: str) -> None:
        self.owner = owner
        self.place = place
        self._timer: Timer | None = None

    def typed(self, composer: Composer) -> None:
        self.typed_draft(lambda: None if composer.is_empty else composer.draft())

    def typed_draft(self, current: Callable[[], Draft | None]) -> None:
        """Save what ``current()`` returns (None: nothing to keep) a moment after the last key."""
        self.cancel()
        self._timer = self.owner.set_timer(SAVE_DELAY, lambda: self._save_typed(current))

    def _save_typed(self, current: Callable[[], Draft | None]) -> None:
        # A screen that goes keeps its text itself (Back, or the app's question on quitting);
        # its fields may be removed already (Textual stops the timer only after that).
        if not is_gone(self.owner):
            self.keep_draft(current())

    def cancel(self) -> None:
        """Forget a pending save (the text is being saved or discarded some other way)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def keep(self, composer: Composer) -> None:
        """Save the composer's text now (or forget the draft when it is empty)."""
        self.keep_draft(None if composer.is_empty else composer.draft())

    def keep_draft(self, draft: Draft | None) -> None:
        """Save ``draft`` now (None: forget the draft). Runs as an app worker, so it completes
        even when the screen is closing."""
        self.cancel()
        app = self.owner.app
        place = self.place

        async def save() -> None:
            try:
                await store_draft(app, place, draft)
            except StoreError as exc:
                app.notify(
                    _("Could not keep the draft: {error}").format(error=exc), severity="warning"
                )

        app.run_worker(save(), group=f"draft-{place}")
