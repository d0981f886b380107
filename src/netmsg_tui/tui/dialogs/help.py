"""F1 / ?: every binding of the screen you came from, with its id (for ``[keymap]``)."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...i18n import N_, _
from ..base import NetmsgModalScreen


def binding_rows(
    bindings: dict[str, ActiveBinding], key_display: Callable[[Binding], str]
) -> list[tuple[str, str, str]]:
    """(keys, description, id) for each action bound on the screen; the description in the
    language in force (descriptions are marked with N_ where the bindings are defined)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for active in bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        entry = (binding.description, binding.id or "")
        if entry in seen:  # one row per action, not per key of "f1,question_mark"
            continue
        seen.add(entry)
        keys = [b.binding for b in bindings.values() if b.binding.action == binding.action]
        shown = " / ".join(dict.fromkeys(key_display(b) for b in keys))
        rows.append((shown, _(binding.description), binding.id or ""))
    return rows


def bindings_table(rows: list[tuple[str, str, str]]) -> Table:
    table = Table(box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column(_("Key"), style="bold", no_wrap=True)
    table.add_column(_("Action"))
    table.add_column(_("Id (config [keymap])"), style="dim", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return table


class HelpScreen(NetmsgModalScreen[None]):
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", N_("Close"), id="help-close")]

    def __init__(
        self, bindings: dict[str, ActiveBinding], key_display: Callable[[Binding], str]
    ) -> None:
        super().__init__()
        self.rows = binding_rows(bindings, key_display)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(_("Keys on this screen"), classes="dialog-title")
            yield Static(bindings_table(self.rows))
            yield Static(
                _(
                    "Also: Tab / shift+Tab move between fields, Enter opens, ctrl+p searches "
                    "customers, threads and documents. Remap keys by id in config.toml [keymap]."
                ),
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss()
