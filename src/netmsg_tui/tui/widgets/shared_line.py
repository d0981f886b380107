"""A line of two parts cut to the widget's width, at every width: a name and what it is about.

A long customer name wrapped the thread header and pushed the subject out of sight; the
composer's *To* line was cut at the edge without a sign. Here the name gives way first (cut
with "…", down to a third of the line), then the rest is cut with "…". Drawn again on resize.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static

from ..format import share_line


def one_line(text: str) -> Text:
    """A placeholder or message (a German one may be longer) on the line, cut with "…"."""
    return Text(text, no_wrap=True, overflow="ellipsis")


class SharedLine(Static):
    """``show(first, rest)``: one line, both parts in sight; an optional ``second`` line (cut
    with "…" too). ``update()`` shows a text instead, a str on one line cut with "…"."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str = "") -> None:
        super().__init__(one_line(text), id=id, classes=classes, markup=False)
        self._parts: tuple[Text, Text, Text | None] | None = None
        self._width = 0  # the content width the last layout gave (see get_content_height)

    def show(self, first: Text, rest: Text, second: Text | None = None) -> None:
        """``first`` and ``rest`` are outside text already sanitised (see ``safe_text``)."""
        self._parts = (first, rest, second)
        self.refresh(layout=True)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._parts = None
        super().update(one_line(content) if isinstance(content, str) else content, layout=layout)

    @property
    def text(self) -> str:
        """What is shown at the current width, as plain text (for tests and screen readers)."""
        return str(self.render())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # The layout measures the line at this width: render cuts it to the same. (Asked for
        # during a layout, ``content_region`` made Textual arrange the whole screen once more
        # inside it when the screen had scrolled since its last layout: ~6 ms of an open.)
        self._width = width
        return super().get_content_height(container, viewport, width)

    def render(self) -> RenderResult:
        if self._parts is None:
            return super().render()
        first, rest, second = self._parts
        width = self._width or self.content_region.width or self.app.size.width - 2
        first_cut, rest_cut = share_line(first.plain, rest.plain, width)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(first_cut, style=first.style)
        line.append(rest_cut, style=rest.style)
        if second is not None:
            line.append("\n")
            line.append_text(second)
        return line


__all__ = ["SharedLine"]
