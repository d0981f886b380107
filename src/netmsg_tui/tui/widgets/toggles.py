"""Check boxes and radio buttons whose state reads in text, not only in colour: Textual draws
``▐X▌`` on and off alike (only the colour differs), which is no state at all with NO_COLOR, a
16-colour TERM or a colour-blind eye. Ours draw ``[x]``/``[ ]`` and ``(•)``/``( )``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Checkbox, RadioButton

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:
    # A plain mixin at run time: Textual takes CSS along the first base that is a widget, which
    # must stay Checkbox / RadioButton.
    _Mixin = object


class _StateInText(_Mixin):
    """Mixed in first: shows ``ON_MARK`` between the brackets while the value is on."""

    ON_MARK = ""
    BUTTON_INNER = " "

    def on_mount(self) -> None:
        # init: Textual's value does not call its watcher for the first value.
        self.watch(self, "value", self._show_state, init=True)

    def _show_state(self, value: bool) -> None:
        self.BUTTON_INNER = self.ON_MARK if value else " "
        self.refresh()


class TextCheckbox(_StateInText, Checkbox):
    BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT = "[", " ", "]"
    ON_MARK = "x"


class TextRadioButton(_StateInText, RadioButton):
    BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT = "(", " ", ")"
    ON_MARK = "•"
