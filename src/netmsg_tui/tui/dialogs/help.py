"""F1 / ?: every binding of the screen you came from, with its id (for ``[keymap]``).

The app's own keys come first (the focused widget's, the screen's, the app's); the keys of
Textual's own widgets (a text field's ~30 cursor and editing keys, a list's moves, Tab) follow
under their own headings: they have no id and cannot be remapped.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static, TextArea

from ...i18n import N_, _
from ..base import NetmsgModalScreen

Row = tuple[str, str, str]
"""(keys, description, id) of one action."""

#: The headings of the keys of Textual's own widgets, in the order they are listed.
TEXT_EDITING = N_("Text editing")
MOVING = N_("Moving around")


def binding_rows(
    bindings: dict[str, ActiveBinding], key_display: Callable[[Binding], str]
) -> list[tuple[str, Row]]:
    """(group, row) for each action bound on the screen: group "" for the app's own bindings
    (they have an id), else :data:`TEXT_EDITING` or :data:`MOVING`. One row per id (per action
    for bindings without one), with every key bound to it."""
    grouped: dict[tuple[str, str], list[ActiveBinding]] = {}
    for active in bindings.values():  # descriptions are marked N_ where the bindings are
        binding = active.binding
        if binding.system or not binding.description:
            continue
        name = binding.id or f"action:{binding.action}"
        grouped.setdefault((name, binding.description), []).append(active)
    rows: list[tuple[str, Row]] = []
    for same in grouped.values():
        binding = same[0].binding
        keys = " / ".join(dict.fromkeys(key_display(active.binding) for active in same))
        if binding.id:
            group = ""
        elif isinstance(same[0].node, (Input, TextArea)):
            group = TEXT_EDITING
        else:
            group = MOVING
        rows.append((group, (keys, _(binding.description), binding.id or "")))
    order = {"": 0, TEXT_EDITING: 1, MOVING: 2}
    return sorted(rows, key=lambda row: order[row[0]])  # stable: each group keeps its order


def bindings_table(rows: list[tuple[str, Row]]) -> Table:
    table = Table(box=None, padding=(0, 2, 0, 0), expand=True)
    # Text, not str: Rich reads a str header as markup, and "[keymap]" vanished from it.
    table.add_column(Text(_("Key")), style="bold", no_wrap=True)
    table.add_column(Text(_("Action")))
    table.add_column(Text(_("Id (config [keymap])")), style="dim", no_wrap=True)
    heading = ""
    for group, row in rows:
        if group != heading:
            heading = group
            table.add_row()
            table.add_row(Text(_(group), style="bold underline"))
        table.add_row(*(Text(cell) for cell in row))
    return table


class HelpScreen(NetmsgModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,question_mark,q", "close", N_("Close"), id="help-close"),
        # At once, not animated: the last line is on screen as soon as End is pressed.
        Binding("end", "to_end", N_("Last line"), show=False, id="help-end"),
        Binding("home", "to_start", N_("First line"), show=False, id="help-home"),
    ]

    def __init__(
        self, bindings: dict[str, ActiveBinding], key_display: Callable[[Binding], str]
    ) -> None:
        super().__init__()
        self.grouped_rows = binding_rows(bindings, key_display)
        #: Every row, the app's own first.
        self.rows = [row for _group, row in self.grouped_rows]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(_("Keys on this screen"), classes="dialog-title")
            yield Static(bindings_table(self.grouped_rows), id="help-table")
            yield Static(
                _(
                    "Also: Tab / shift+Tab move between fields, Enter opens, ctrl+p searches "
                    "customers, threads and documents. Remap keys by id in config.toml [keymap]."
                ),
                classes="hint",
                id="help-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_to_end(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_end(animate=False)

    def action_to_start(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss()
