"""Check boxes and radio buttons whose state reads in text, not only in colour: Textual draws
``▐X▌`` on and off alike (only the colour differs), which is no state at all with NO_COLOR, a
16-colour TERM or a colour-blind eye. Ours draw ``[x]``/``[ ]`` and ``(•)``/``( )``."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class TextCheckbox(Checkbox):
    BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT = "[", " ", "]"

    def on_mount(self) -> None:
        self._show_state()  # Textual's value does not call its watcher for the first value

    def watch_value(self) -> None:
        self._show_state()
        super().watch_value()

    def _show_state(self) -> None:
        self.BUTTON_INNER = "x" if self.value else " "
        self.refresh()


class TextRadioButton(RadioButton):
    BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT = "(", " ", ")"

    def on_mount(self) -> None:
        self._show_state()

    def watch_value(self) -> None:
        self._show_state()
        super().watch_value()

    def _show_state(self) -> None:
        self.BUTTON_INNER = "•" if self.value else " "
        self.refresh()
