"""What a thread screen shows first, read from the store in one go: the conversation, its newest
page, the customer's reads, the customer (for the reply box), this thread's queued sends and the
kept draft.

Started when the screen is made (:meth:`ThreadScreen.read_ahead`), the store answers while
Textual composes, styles and lays out the screen (issue 15: begun from the screen's worker, the
queries waited ~15 ms behind that work before the store thread got them).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ...model import Conversation, Customer, CustomerRead, Message, Page
from ...store import MessageStore, OfflineStore, QueuedSend, StoreError
from ..widgets.composer import Draft
from ..widgets.outbox_drafts import kept_draft_in
from ..widgets.thread_messages import PAGE_SIZE


@dataclass
class FirstRead:
    conversation: Conversation
    page: Page[Message]
    customer: Customer
    #: When the customer's contacts last opened the thread; None when the store failed.
    reads: list[CustomerRead] | None
    kept: Draft | None
    queued: list[QueuedSend] = field(default_factory=list)
    #: Why the offline outbox could not be read (the screen says so), if it could not.
    queue_error: str | None = None


async def customer_reads(store: MessageStore, conversation_id: int) -> list[CustomerRead] | None:
    """When the customer's contacts last opened the thread; None when the store failed (the
    trail, t, tells the details; a missing line there loses nothing)."""
    try:
        return await store.customer_reads(conversation_id)
    except StoreError:
        return None


async def read_first(store: MessageStore, conversation_id: int, draft_key: str) -> FirstRead:
    """Everything the thread's first frame shows. Raises StoreError (the header says it)."""
    conversation, page, reads, kept = await asyncio.gather(
        store.get_conversation(conversation_id),
        store.list_messages(conversation_id, limit=PAGE_SIZE),
        customer_reads(store, conversation_id),
        kept_draft_in(store, draft_key),
    )
    customer = await store.get_customer(conversation.customer_id)
    read = FirstRead(conversation, page, customer, reads, kept)
    if isinstance(store, OfflineStore):  # a store without a send queue stores every send at once
        try:
            read.queued = await store.queued_sends(conversation_id)
        except StoreError as exc:
            read.queue_error = str(exc)
    return read


def start_reading(
    store: MessageStore, conversation_id: int, draft_key: str
) -> asyncio.Task[FirstRead]:
    """:func:`read_first` as a task, begun now. Its failure is kept for the screen that awaits
    it (and not reported as never retrieved when the screen closes first)."""
    task = asyncio.get_running_loop().create_task(read_first(store, conversation_id, draft_key))
    task.add_done_callback(_retrieve)
    return task


def _retrieve(task: asyncio.Task[FirstRead]) -> None:
    if not task.cancelled():
        task.exception()
