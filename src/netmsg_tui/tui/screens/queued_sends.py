"""The outbox of a network store: every send the server does not have yet, in every thread,
including new conversations written while offline (they have no thread to show in until the
server has them). Opened by clicking the header's "queued"/"failed" count.

A failed send can be queued again (`r`) or discarded (`x`): its text then becomes the draft of
its thread or of the New conversation screen (one about a document: of that document's thread
or composer, still linked to it), saved in the store before the send leaves the queue, so
nothing is lost.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...i18n import N_, _
from ...store import MessageStore, NotFound, OfflineStore, StoreError
from ..base import NetmsgScreen
from ..widgets.composer import Draft
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar
from ..widgets.outbox_drafts import store_draft
from ..widgets.outbox_view import OutboxView
from .with_composer import ComposerScreen

if TYPE_CHECKING:
    from ...model import Document
    from ...store import QueuedSend
    from ..app import NetmsgApp


def where(entry: QueuedSend, document: Document | None = None) -> str:
    """The line above a queued send's text: its thread, or the New conversation it starts
    (and the document it is about, as ``document`` or else by id)."""
    if entry.kind != "start":
        return _("Reply in conversation #{id}").format(id=entry.conversation_id)
    if document is not None:
        return _("New conversation “{subject}” about {document} (customer #{id})").format(
            subject=entry.subject, document=document.title, id=entry.customer_id
        )
    if entry.document_id is not None:
        return _("New conversation “{subject}” about document #{document} (customer #{id})").format(
            subject=entry.subject, document=entry.document_id, id=entry.customer_id
        )
    return _("New conversation “{subject}” (customer #{id})").format(
        subject=entry.subject, id=entry.customer_id
    )


async def document_of(app: NetmsgApp, entry: QueuedSend) -> Document | None:
    """The document a queued New conversation is about: one read this run, else asked of the
    store if its server answers now (an offline store would keep the outbox waiting for its
    retries); None if it has none or it cannot be told."""
    if entry.kind != "start" or entry.document_id is None:
        return None
    document = app.documents_seen.get(entry.document_id)
    store = app.store
    connected = isinstance(store, OfflineStore) and store.connection_state == "connected"
    if document is None and connected:
        with contextlib.suppress(StoreError):
            document = await store.get_document(entry.document_id)
            app.documents_seen[document.id] = document
    return document


async def draft_place(store: MessageStore, entry: QueuedSend) -> str:
    """Where a discarded send's text becomes a draft: a reply's thread; for a New conversation
    about a document, where that document's Messages panel leads (its thread if it has one by
    now, else the composer linked to it), so the link is not lost; else New conversation.
    Raises StoreError."""
    if entry.kind != "start":
        return f"thread:{entry.conversation_id}"
    if entry.document_id is None:
        return "new"
    try:
        thread = await store.document_thread(entry.document_id)
    except NotFound:
        return "new"  # the document is gone: nothing left to link the text to
    return f"thread:{thread.id}" if thread is not None else f"document:{entry.document_id}"


async def retry_queued(screen: NetmsgScreen[Any], entry: QueuedSend) -> QueuedSend | None:
    """Queue a failed send again: the entry as it now stands, or None (no send queue, or the
    store refused: said in a toast)."""
    if await _change_queue(screen, lambda store: store.retry_send(entry.key)):
        return replace(entry, state="queued", error="")
    return None


async def discard_queued(screen: NetmsgScreen[Any], entry: QueuedSend) -> bool:
    """Drop a send from the queue; False when there is no send queue or the store refused."""
    return await _change_queue(screen, lambda store: store.discard_send(entry.key))


async def _change_queue(
    screen: NetmsgScreen[Any], change: Callable[[OfflineStore], Awaitable[None]]
) -> bool:
    store = screen.app.store
    if not isinstance(store, OfflineStore):
        return False
    try:
        await change(store)
    except StoreError as exc:
        screen.notify(str(exc), severity="error")
        return False
    return True


class QueuedSendsScreen(NetmsgScreen[None]):
    BINDINGS = [Binding("escape", "back", N_("Back"), id="back")]

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static(_("Outbox: not on the server yet"), classes="screen-title")
        yield VerticalScroll(id="outbox-list")
        yield KeyBar()

    @property
    def views(self) -> list[OutboxView]:
        return list(self.query(OutboxView))

    def on_mount(self) -> None:
        # The app reads the queue (one reader for the header, threads and this screen).
        self.watch(self.app, "queued_sends", self._queue_changed)
        self.app.look_at_queued_sends()

    def _queue_changed(self, entries: tuple[QueuedSend, ...]) -> None:
        if self.gone:  # the app's read of the queue ended as this screen went
            return
        self._show([e for e in entries if e.state != "sent"])

    @work(exclusive=True, group="outbox-screen")
    async def _show(self, entries: list[QueuedSend]) -> None:
        """Show ``entries`` (a later call cancels this one: it shows everything again)."""
        scroll = self.query_one("#outbox-list", VerticalScroll)
        keys = {e.key: e for e in entries}
        for view in self.views:
            if view.key in keys:
                view.update_entry(keys.pop(view.key))
            else:
                await view.remove()  # delivered or discarded
        new = [OutboxView(e, where=where(e, await document_of(self.app, e))) for e in keys.values()]
        await scroll.mount_all(new)
        empty = list(scroll.query(".outbox-empty"))
        if not self.views and not empty:
            await scroll.mount(Static(_("Nothing waiting: the server has every message."),
                                      classes="outbox-empty hint"))  # fmt: skip
        elif self.views:
            for node in empty:
                await node.remove()

    @on(OutboxView.Retry)
    async def _retry(self, event: OutboxView.Retry) -> None:
        if (queued := await retry_queued(self, event.view.entry)) is not None:
            event.view.update_entry(queued)
            self.app.look_at_queued_sends()

    @on(OutboxView.Discard)
    async def _discard(self, event: OutboxView.Discard) -> None:
        entry = event.view.entry
        # The draft is in the store before the queue forgets the send: whatever comes next
        # (the app quits, the store fails), the text is in one of the two.
        try:
            place = await draft_place(self.app.store, entry)
            in_thread = place.startswith("thread:")
            draft = Draft(
                body=entry.body,
                subject="" if in_thread else entry.subject,
                customer_id=None if in_thread else entry.customer_id,
            )
            if (refusal := await self._place_taken(entry, place)) is not None:
                self.notify(refusal, severity="warning")
                return
            await store_draft(self.app, place, draft)
        except StoreError as exc:
            self.notify(
                _("Not discarded: its text could not be kept as a draft: {error}").format(
                    error=exc
                ),
                severity="error",
                markup=False,
            )
            return
        if not await discard_queued(self, entry):
            with contextlib.suppress(StoreError):  # still in the outbox (the store said why)
                await store_draft(self.app, place, None)
            return
        if not self.gone:
            await event.view.remove()
        self.app.look_at_queued_sends()
        if place == "new":
            said = _("Discarded. The text is the draft of New conversation now.")
        elif place.startswith("document:"):
            said = _("Discarded. The text is the draft of the message about its document now.")
        elif entry.kind == "start":
            said = _("Discarded. The text is the draft of its document's thread now.")
        else:
            said = _("Discarded. The text is the draft of its thread now.")
        if entry.attachment_names:
            names = ", ".join(entry.attachment_names)
            said += " " + _("Attach again: {names}.").format(names=names)
        self.notify(said, markup=False)

    async def _place_taken(self, entry: QueuedSend, place: str) -> str | None:
        """Why the text cannot become the draft at ``place`` (None: it can). A draft there, or
        a screen open with its composer, would be overwritten or would overwrite it. Raises
        StoreError."""
        for screen in self.app.screen_stack:
            if isinstance(screen, ComposerScreen) and screen.draft_key == place:
                if place == "new":
                    return _("New conversation is open: close it first, so this text can become "
                             "its draft.")  # fmt: skip
                if place.startswith("document:"):
                    return _("The message about its document is open: close it first, so this "
                             "text can become its draft.")  # fmt: skip
                if entry.kind == "start":
                    return _("Its document's thread is open: close it first, so this text can "
                             "become its draft.")  # fmt: skip
                return _("Its thread is open: discard it there, and the text goes back in the "
                         "reply box.")  # fmt: skip
        if place in self.app.drafts or place in await self.app.store.drafts():
            return _(
                "There is already a draft there: send or clear it first, so this text can "
                "become the draft."
            )
        return None

    def action_back(self) -> None:
        self.dismiss()
