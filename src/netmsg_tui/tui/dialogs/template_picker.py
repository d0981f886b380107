"""Pick a canned reply: type to search names and text, Enter inserts it, Escape cancels.

Dismisses with the chosen :class:`~netmsg_tui.model.Template`, or None. Template text comes from
the store (a colleague wrote it), so it is shown through the sanitiser like any outside text.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, _
from ...model import Template
from ...store import MessageStore
from ..base import NetmsgModalScreen, is_gone
from ..editing import filled_template, list_templates
from ..safe_text import safe_text
from ..widgets.composer import Composer
from ..widgets.plain_input import PlainInput


def matches(template: Template, query: str) -> bool:
    """Every word of ``query`` is in the template's name or text (any case)."""
    haystack = f"{template.name}\n{template.body}".casefold()
    return all(word in haystack for word in query.casefold().split())


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]


class TemplatePicker(NetmsgModalScreen[Template | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="template-cancel"),
        Binding("down", "down", N_("Next"), show=False, id="template-next"),
        Binding("up", "up", N_("Previous"), show=False, id="template-previous"),
    ]

    def __init__(self, templates: tuple[Template, ...]) -> None:
        super().__init__()
        self.templates = templates
        self.shown: list[Template] = list(templates)

    def compose(self) -> ComposeResult:
        with Vertical(id="template-picker"):
            yield Static(_("Insert a canned reply"), classes="dialog-title")
            yield PlainInput(
                placeholder=_("Search names and text…"), id="template-search", compact=True
            )
            yield OptionList(id="template-list")
            yield Static("", id="template-preview")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#template-search", Input).focus()

    def _fill(self, query: str) -> None:
        self.shown = [t for t in self.templates if matches(t, query)]
        options = self.query_one("#template-list", OptionList)
        options.clear_options()
        options.add_options(
            Option(safe_text(f"{t.name}  ·  {_first_line(t.body)}")) for t in self.shown
        )
        if self.shown:
            options.highlighted = 0
        self._preview()

    def _preview(self) -> None:
        index = self.query_one("#template-list", OptionList).highlighted
        chosen = self.shown[index] if index is not None and index < len(self.shown) else None
        text = chosen.body if chosen else _("No canned reply matches.")
        self.query_one("#template-preview", Static).update(safe_text(text, multi_line=True))

    @on(Input.Changed, "#template-search")
    def _searched(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._preview()

    @on(Input.Submitted, "#template-search")
    def _submitted(self) -> None:
        index = self.query_one("#template-list", OptionList).highlighted
        if index is not None and index < len(self.shown):
            self.dismiss(self.shown[index])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_down(self) -> None:
        self.query_one("#template-list", OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one("#template-list", OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


async def insert_template(
    app: App[Any],
    store: MessageStore,
    composer: Composer,
    customer_id: int | None,
    document_id: int | None,
) -> None:
    """The ctrl+t flow, from a worker: pick one of the account's canned replies and insert it
    at the composer's cursor, filled in for this customer and document (a toast when there is
    none, or it cannot be read or filled in)."""
    templates = await list_templates(app, store)
    chosen = await app.push_screen_wait(TemplatePicker(templates)) if templates else None
    if chosen is not None:
        text = await filled_template(app, store, chosen, customer_id, document_id)
        if text is not None and not is_gone(composer):
            composer.insert_at_cursor(text)
            return
    if not is_gone(composer):  # its screen closed (or the app quit) meanwhile
        composer.text_area.focus()
