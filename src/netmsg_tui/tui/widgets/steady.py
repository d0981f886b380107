"""Text fields with a steady cursor: a blinking one repaints an idle screen twice a second, which
is bandwidth over SSH and a busy terminal for nothing."""

from __future__ import annotations

from typing import TypeVar

from textual.widget import Widget

Field = TypeVar("Field", bound=Widget)


def steady(field: Field) -> Field:
    """``field`` (an Input or a TextArea) with ``cursor_blink`` off. Typed loosely on purpose:
    naming TextArea here would import it (and its editor machinery) at start-up."""
    field.cursor_blink = False  # type: ignore[attr-defined]
    return field
