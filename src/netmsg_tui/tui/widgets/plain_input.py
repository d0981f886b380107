"""A one-line text field that never holds a character the terminal would obey.

Textual's Input draws its value as it is: an ESC sequence pasted into the Subject (copied
from a customer's mail, say), or a draft restored from disk with one, went raw to the
terminal. Here every way text enters the field (typing, paste, a value set by the program)
passes through :func:`printable_line`, so a control character becomes the placeholder the
rest of the app shows for it (ESC -> ``␛``) and the field holds exactly what is drawn and what
will be sent. Decision: the placeholder is kept rather than the character dropped, so nothing
pasted disappears without a trace.
"""

from __future__ import annotations

from textual.widgets import Input

from ...terminal_text import printable_line


class PlainInput(Input):
    def validate_value(self, value: str) -> str:
        return printable_line(value)

    def replace(self, text: str, start: int, end: int) -> None:
        # Cleaned before Input places the cursor after it: the cursor lands after the
        # placeholders, which may be longer than the characters they stand for.
        super().replace(printable_line(text), start, end)


__all__ = ["PlainInput"]
