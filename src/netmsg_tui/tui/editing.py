"""The composer's helpers from outside the app: the user's own editor and canned replies.

Shared by the new-conversation screen and a thread's reply box; the work that needs no Textual
is in :mod:`netmsg_tui.editor` and :mod:`netmsg_tui.model` (``fill_template``).
"""

from __future__ import annotations

from typing import Any

from textual.app import App, SuspendNotSupported

from ..editor import EditorError, edit_text
from ..i18n import _
from ..model import DOCUMENT_KIND_LABELS, Template, fill_template
from ..store import MessageStore, StoreError
from ..terminal_text import printable_line


def edit_outside(app: App[Any], text: str, *, suffix: str = ".txt") -> str | None:
    """``text`` after the user edited it in ``$VISUAL``/``$EDITOR`` (the app is suspended
    meanwhile), or None after a toast saying why the editor could not be used (the caller keeps
    the text as it was)."""
    failure: EditorError
    try:
        with app.suspend():
            # Caught inside the block: Textual's suspend() takes the terminal back only when
            # its block ends without an exception (a missing editor left the screen blank and
            # the app deaf to keys).
            try:
                return edit_text(text, suffix=suffix)
            except EditorError as exc:
                failure = exc
    except SuspendNotSupported:
        # No terminal to hand over (headless, Textual Web): a GUI editor still works.
        try:
            return edit_text(text, suffix=suffix)
        except EditorError as exc:
            failure = exc
    app.notify(
        _("{error}. Your text is unchanged.").format(error=failure),
        severity="error",
        markup=False,
        timeout=8,
    )
    return None


async def template_values(
    store: MessageStore, customer_id: int | None, document_id: int | None
) -> dict[str, str]:
    """What the placeholders stand for here: the user's name, and the customer's and the
    document's when there is one. Outside text is made one-line and safe, as on screen.
    Raises StoreError."""
    me = await store.whoami()
    values = {"me": me.user.name}
    if customer_id is not None:
        customer = await store.get_customer(customer_id)
        values |= {"customer": customer.name, "contact": customer.contact.name}
    if document_id is not None:
        document = await store.get_document(document_id)
        values |= {
            "document": document.number,
            "document_kind": _(DOCUMENT_KIND_LABELS.get(document.kind, document.kind)),
        }
    return {name: printable_line(value) for name, value in values.items()}


async def filled_template(
    app: App[Any],
    store: MessageStore,
    template: Template,
    customer_id: int | None,
    document_id: int | None,
) -> str | None:
    """The template's text filled in for this customer and document, or None after a toast
    saying why it could not be."""
    try:
        values = await template_values(store, customer_id, document_id)
        return fill_template(template.body, values)
    except StoreError as exc:
        app.notify(
            _("Cannot fill in the template: {error}").format(error=exc),
            severity="error",
            markup=False,
        )
    except (ValueError, IndexError, KeyError):  # a template that skipped the store's rule
        app.notify(
            _("The template {name} is malformed").format(name=repr(template.name)),
            severity="error",
            markup=False,
        )
    return None


async def list_templates(app: App[Any], store: MessageStore) -> tuple[Template, ...] | None:
    """The account's canned replies, or None after a toast (none yet, or the store failed)."""
    try:
        templates = await store.list_templates()
    except StoreError as exc:
        app.notify(
            _("Cannot read the canned replies: {error}").format(error=exc),
            severity="error",
            markup=False,
        )
        return None
    if not templates:
        app.notify(_("No canned replies yet: add one with 'netmsg templates add NAME'"))
        return None
    return templates
