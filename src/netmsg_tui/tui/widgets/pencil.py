"""The ✎ pencil above the conversation list: a one-line button that starts a new conversation.

Textual's Button would do, but it is on the home screen's first frame, which start-up waits
for: its CSS (every variant, colour and state, ~7,000 characters) was parsed and matched there,
the largest of any widget class on that screen. This is a Static that looks like a compact
Button (the rules below are Button's, for the compact default style) and acts like one: focus
it and press Enter, or click it. Other screens keep Textual's Button (their CSS loads with them).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from ...i18n import N_


class Pencil(Static, can_focus=True):
    DEFAULT_CSS = """
    Pencil {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        color: $button-foreground;
        background: $surface;
        pointer: pointer;
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover { background: $surface-darken-1; }
        &:ansi {
            background: ansi_default;
            &:hover { background: $ansi-background; }
        }
    }
    """
    # Textual's Button says "Press button" (its text is in the catalog: textual_words.py).
    BINDINGS = [Binding("enter", "press", N_("Press button"), show=False)]

    class Pressed(Message):
        """The pencil was clicked, or Enter pressed on it."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(label, id=id, markup=False)

    def action_press(self) -> None:
        self.post_message(self.Pressed())

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_press()
