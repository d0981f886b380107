"""Text fields with a steady cursor: a blinking one repaints an idle screen twice a second, which
is bandwidth over SSH and a busy terminal for nothing."""

from __future__ import annotations

from typing import TypeVar

from textual.widgets import Input, TextArea

Field = TypeVar("Field", Input, TextArea)


def steady(field: Field) -> Field:
    field.cursor_blink = False
    return field
