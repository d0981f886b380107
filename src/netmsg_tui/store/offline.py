"""The offline sub-port: what a store that can lose its server offers on top of the port.

A store over a network (the HTTP adapter) implements :class:`OfflineStore`; a local file does
not (there is no server to lose). Callers ask ``isinstance(store, OfflineStore)`` and get typed
methods: no probing of an adapter's attributes.

The contract:

* **Connection state**: :attr:`OfflineStore.connection_state` is ``connecting`` (nothing asked
  yet), ``connected``, ``reconnecting`` or ``offline``; :meth:`OfflineStore.on_connection_change`
  registers a callback called on every change.
* **Nothing lost offline**: every send (``start_conversation``, ``reply``) is kept in a local
  queue before it goes out. When the server cannot be reached the send raises
  :class:`QueuedOffline` (an :class:`~.base.Unavailable`) carrying the :class:`QueuedSend`, and
  the store delivers it in the background when the server is back, in order, exactly once.
* **The queue, for the UI**: :meth:`~OfflineStore.queued_sends` lists queued, sent (kept a
  while so the UI can show them as sent) and failed sends; a failed send (the server refused it
  for good) can be retried or discarded; :meth:`~OfflineStore.flush_sends` tries to deliver now.

This is the offline *send queue*; it is unrelated to the mail notification outbox
(:mod:`netmsg_tui.mail.outbox`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from ..i18n import _
from ..records import record
from .base import MessageStore, Unavailable

ConnectionState = Literal["connecting", "connected", "reconnecting", "offline"]
SendState = Literal["queued", "sent", "failed"]
SendKind = Literal["start", "reply"]


@record
class QueuedSend:
    """One send as the queue knows it. ``kind`` is ``start`` (a new conversation) or ``reply``;
    ``conversation_id`` is the thread replied to, or (for a new conversation, once sent) the
    thread created; ``message_id`` is set once a reply is sent; ``error`` is the last reason it
    did not go out (the server's refusal for a failed send)."""

    key: str
    kind: SendKind
    state: SendState
    conversation_id: int | None
    customer_id: int | None
    document_id: int | None
    subject: str
    body: str
    origin: str
    created: datetime
    error: str
    message_id: int | None
    attachment_names: tuple[str, ...]


class QueuedOffline(Unavailable):
    """The server could not be reached: the send is kept in the queue and will be delivered
    when the server is back. ``entry`` is the queued send."""

    def __init__(self, entry: QueuedSend, reason: str) -> None:
        super().__init__(
            _(
                "{reason}. Your message is kept in the outbox and will be sent when the server "
                "is back."
            ).format(reason=reason)
        )
        self.entry = entry


class OfflineStore(MessageStore):
    """A store that talks to a server it may lose: connection state and a send queue."""

    # -- connection ---------------------------------------------------------------------------
    @property
    @abstractmethod
    def connection_state(self) -> ConnectionState:
        """``connecting`` (nothing asked yet), ``connected``, ``reconnecting`` or ``offline``."""

    @abstractmethod
    def on_connection_change(
        self, callback: Callable[[ConnectionState], None]
    ) -> Callable[[], None]:
        """Call ``callback(state)`` whenever the state changes (on the event loop's thread of
        the request that saw it). Returns a function that unregisters it (safe to call twice)."""

    # -- the send queue -----------------------------------------------------------------------
    @abstractmethod
    async def queued_sends(self, conversation_id: int | None = None) -> list[QueuedSend]:
        """Sends kept locally, oldest first: queued, sent (kept a day) and failed ones; only
        those of one thread with ``conversation_id``. Raises Unavailable (the local queue
        cannot be read)."""

    @abstractmethod
    async def retry_send(self, key: str) -> None:
        """Put a failed send back in the queue and try to deliver it in the background.
        An unknown key does nothing. Raises Unavailable."""

    @abstractmethod
    async def discard_send(self, key: str) -> None:
        """Forget a send (the caller keeps its text, e.g. as a draft). An unknown key does
        nothing. Raises Unavailable."""

    @abstractmethod
    async def flush_sends(self) -> int:
        """Try once to deliver every queued send, oldest first; returns how many went out.
        Stops at the first one the server cannot be reached for; a send the server refuses
        for good becomes ``failed``."""
