"""Textual's command palette speaking the interface's language.

Textual writes two texts of its palette in English: the placeholder (a constructor argument,
given in German by the app) and "No matches found", built inside the timer of
``_start_no_matches_countdown``. That method is redone here with the text through ``_()``:
same timer, same option id, so the palette behaves as Textual's does (Textual is pinned <9;
tests/tui/test_german_help.py fails if the German line no longer appears).
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from ..i18n import _


class NetmsgCommandPalette(CommandPalette):
    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # an empty search is discovery: nothing to say
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
