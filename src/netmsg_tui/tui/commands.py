"""Command palette provider: jump to a customer (new conversation), a thread or a document."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider

from ..store import StoreError
from .format import KIND_SHORT

if TYPE_CHECKING:
    from .app import NetmsgApp

PER_KIND = 6  # hits per kind: the palette stays short at 80×24


class NetmsgCommands(Provider):
    async def search(self, query: str) -> Hits:
        query = query.strip()
        if len(query) < 2:
            return
        app = cast("NetmsgApp", self.app)  # Provider types it App[object]
        store = app.store
        matcher = self.matcher(query)
        try:
            threads = await store.list_conversations(query, limit=PER_KIND)
            documents = await store.list_documents(query, limit=PER_KIND)
            customers = await store.list_customers(query, limit=PER_KIND)
        except StoreError:
            return
        for conv in threads.items:
            label = f"Thread: {conv.customer_name} — {conv.subject}"
            yield Hit(
                max(matcher.match(label), 0.5),
                matcher.highlight(label),
                partial(app.open_thread, conv.id),
                help=conv.document_number or "Open the conversation",
            )
        for doc in documents.items:
            label = f"Document: {KIND_SHORT[doc.kind]} {doc.number} — {doc.customer_name}"
            yield Hit(
                max(matcher.match(label), 0.5),
                matcher.highlight(label),
                partial(app.open_document, doc.id),
                help=f"{doc.issued.isoformat()} · {doc.status}",
            )
        for customer in customers.items:
            label = f"Customer: {customer.name} ({customer.network_id})"
            yield Hit(
                max(matcher.match(label), 0.5),
                matcher.highlight(label),
                partial(app.new_conversation, customer.id),
                help=f"{customer.city} · write a new message",
            )
