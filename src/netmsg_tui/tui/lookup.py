"""Command palette look-ups over the store's ``find``: jump by thread id or message id (``12``,
``#12``), to the thread or to the message's delivery trail. What support staff ask for when a
message went astray; suppliers get the same for their own account.

``find`` also names documents by number and customers by network id (``AN…``) or name; the
palette shows those through :class:`~.commands.NetmsgCommands` (the listings' searches, which
match the same keys), so a hit is never listed twice.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider

from ..i18n import N_, _
from ..model import Found
from ..store import StoreError
from ..terminal_text import printable_line
from .commands import help_text, highlighted

if TYPE_CHECKING:
    from .app import NetmsgApp

#: Hits asked of the store: the palette stays short at 80×24.
FIND_LIMIT = 12
#: The keys only ``find`` knows (the others come from NetmsgCommands).
ID_KEYS = frozenset({"thread id", "message id"})
#: Those keys as the palette names them (the store's key names are identifiers).
KEY_NAMES = {"thread id": N_("thread id"), "message id": N_("message id")}


def found_actions(app: NetmsgApp, found: Found) -> list[tuple[str, Callable[[], object], str]]:
    """(label, what to do, help) for one hit; a message gives two: its thread and its trail."""
    label = printable_line(found.label)  # the store's words, e.g. "Thread 12: …"
    how = _("by {key}").format(key=_(KEY_NAMES.get(found.key, found.key)))
    actions: list[tuple[str, Callable[[], object], str]] = []
    if found.conversation_id is not None:
        actions.append((label, partial(app.open_thread, found.conversation_id), how))
    if found.kind == "message" and found.message_id is not None:
        trail = printable_line(_("Delivery trail: {label}").format(label=found.label))
        actions.append((trail, partial(app.show_trail, [found.message_id]), how))
    return actions


class LookupCommands(Provider):
    async def search(self, query: str) -> Hits:
        query = query.strip()
        if not query.removeprefix("#").isdigit():
            return  # ids only: see the module docstring
        app = cast("NetmsgApp", self.app)  # Provider types it App[object]
        matcher = self.matcher(query)
        try:
            hits = await app.store.find(query, limit=FIND_LIMIT)
        except StoreError:
            return  # a look-up the store cannot do (or not now) gives no hits
        # The store ranks by key (ids first): keep its order above the palette's fuzzy score.
        for rank, found in enumerate(h for h in hits if h.key in ID_KEYS):
            for label, action, how in found_actions(app, found):
                yield Hit(
                    1.0 - rank / (2 * FIND_LIMIT),
                    highlighted(matcher, label),
                    action,
                    help=help_text(how),
                )
