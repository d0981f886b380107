"""The home screen's tab labels ("1 Messages  2 Documents") and the bar under them, one widget.

Textual's TabbedContent drew the same two lines with eight widgets (TabbedContent, ContentTabs,
two ContentTab, Underline, ContentSwitcher, two TabPane) and the CSS of four widget classes,
all parsed and applied before the first frame: at start-up that was a fifth of the home
screen's cost. Here both lines are one Text (the bar drawn as Textual's Underline draws it), a
click picks the label under the mouse, and the screen shows one pane or the other (keys 1 and 2
are the screen's bindings). Not focusable: the keys and the mouse switch tabs, and Tab goes
straight from the search box to the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..base import NetmsgWidget


class TabStrip(NetmsgWidget, Widget):
    """Labels for tabs by name; ``active`` is the shown tab's name."""

    # The colours of Textual's Tabs and Underline (8.x), so the strip looks as it did.
    DEFAULT_CSS = """
    TabStrip {
        height: 2;
        width: 100%;
        pointer: pointer;
        & > .tab-strip--label { color: $foreground 50%; }
        & > .tab-strip--active { color: $foreground; }
        & > .tab-strip--bar {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
        &:ansi {
            & > .tab-strip--label { text-style: dim; }
            & > .tab-strip--active { text-style: not dim bold; }
            & > .tab-strip--bar { background: $border-blurred; }
        }
    }
    """
    COMPONENT_CLASSES = {"tab-strip--label", "tab-strip--active", "tab-strip--bar"}

    active: reactive[str] = reactive("", layout=False)

    @dataclass
    class Picked(Message):
        """A click on a tab's label."""

        tab: str

    def __init__(self, labels: dict[str, str], active: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: Label text by tab name, in order (translated by the caller).
        self.labels = dict(labels)
        self.set_reactive(TabStrip.active, active)

    def _spans(self) -> list[tuple[str, int, int]]:
        """(name, first cell, cell after the last) of each label, padded one cell each side."""
        spans, x = [], 0
        for name, label in self.labels.items():
            width = cell_len(label) + 2
            spans.append((name, x, x + width))
            x += width
        return spans

    def render(self) -> Text:
        label_style = self.get_component_rich_style("tab-strip--label")
        active_style = self.get_component_rich_style("tab-strip--active")
        text = Text(no_wrap=True, overflow="crop", end="")
        for name, label in self.labels.items():
            text.append(f" {label} ", style=active_style if name == self.active else label_style)
        text.append("\n")
        # The bar as Textual's Bar renderable draws it under its Underline: a heavy line, the
        # part under the active label's text in the highlight colour, half-line ends around it.
        bar_style = self.get_component_rich_style("tab-strip--bar")
        lit = Style.from_color(bar_style.color)
        dim = Style.from_color(bar_style.bgcolor)
        width = max(self.content_size.width, 1)
        start, end = next(((a + 1, b - 1) for n, a, b in self._spans() if n == self.active), (0, 0))
        end = min(end, width)
        if start >= end:
            text.append("━" * width, style=dim)
            return text
        text.append("━" * (start - 1) + "╸", style=dim)
        text.append("━" * (end - start), style=lit)
        if end < width:
            text.append("╺" + "━" * (width - end - 1), style=dim)
        return text

    def on_click(self, event: events.Click) -> None:
        for name, start, end in self._spans():
            if start <= event.x < end and event.y == 0:
                self.post_message(self.Picked(name))
                return
