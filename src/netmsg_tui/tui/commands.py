"""Command palette provider: jump to a customer (new conversation; support staff: its
documents), a thread or a document."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Matcher, Provider
from textual.content import Content

from ..i18n import N_, _, formats
from ..model import document_status
from ..store import StoreError
from ..terminal_text import printable_line

if TYPE_CHECKING:
    from .app import NetmsgApp

#: A document's hit, one whole sentence per kind (the kind's word may move in a translation).
DOCUMENT_HITS = {
    "purchase_order": N_("Document: PO {number} — {customer}"),
    "invoice": N_("Document: Invoice {number} — {customer}"),
}
PER_KIND = 6  # hits per kind: the palette stays short at 80×24
#: Scores: a customer whose name holds the query ranks above every thread and document.
CUSTOMER_NAMED = 1.0
OTHER_MAX = 0.95


def highlighted(matcher: Matcher, label: str) -> Content:
    """The label as plain text with the matched letters styled. ``Matcher.highlight`` would
    parse the label as markup, and labels hold customers' names and subjects."""
    content = Content(label)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def help_text(text: str) -> str:
    """The palette renders a hit's help as markup: every ``[`` escaped reads back literally
    (``textual.markup.escape`` leaves ``[EUR]`` to be swallowed as a tag)."""
    return printable_line(text).replace("[", "\\[")


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
            label = printable_line(
                _("Thread: {customer} — {subject}").format(
                    customer=conv.customer_name, subject=conv.subject
                )
            )
            yield Hit(
                min(max(matcher.match(label), 0.5), OTHER_MAX),
                highlighted(matcher, label),
                partial(app.open_thread, conv.id),
                help=help_text(conv.document_number or _("Open the conversation")),
            )
        for doc in documents.items:
            known = DOCUMENT_HITS.get(doc.kind)
            hit = _(known) if known else _("Document: {kind} {number} — {customer}")
            label = printable_line(
                hit.format(kind=doc.kind, number=doc.number, customer=doc.customer_name)
            )
            yield Hit(
                min(max(matcher.match(label), 0.5), OTHER_MAX),
                highlighted(matcher, label),
                partial(app.open_document, doc.id),
                help=help_text(f"{formats.full_date(doc.issued)} · {document_status(doc.status)}"),
            )
        verb = _("its documents") if app.read_only else _("write a new message")
        for customer in customers.items:
            label = printable_line(
                _("Customer: {name} ({network_id})").format(
                    name=customer.name, network_id=customer.network_id
                )
            )
            # A customer named by what was typed comes first: "write a new message" to it is
            # what a name typed in the palette is most often for (its threads match too).
            named = query.casefold() in customer.name.casefold()
            yield Hit(
                CUSTOMER_NAMED if named else max(matcher.match(label), 0.5),
                highlighted(matcher, label),
                partial(app.show_customer, customer.id),
                help=help_text(f"{customer.city} · {verb}"),
            )
