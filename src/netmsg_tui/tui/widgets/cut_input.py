"""A one-line text field that says when its text runs on out of sight.

Textual's Input cuts a long value at its edges without a sign: a 200-character subject looked
like a short one. Here a "…" takes the edge cell on a side where more text is hidden (never
the cell of the cursor), so the field reads like every other cut line of the app.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip

from .plain_input import PlainInput

ELLIPSIS = "…"


class CutInput(PlainInput):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if y != 0 or not self.value or self.password:
            return strip
        width = self.scrollable_content_region.width
        start = int(self.scroll_x)
        cursor = self._cursor_offset_x() if self.has_focus else None
        if start > 0 and cursor != start:
            strip = self._mark(strip, 0)
        if cell_len(self.value) - start > width and cursor != start + width - 1:
            strip = self._mark(strip, width - 1)
        return strip

    def _cursor_offset_x(self) -> int:
        """The cell of the cursor within the whole value."""
        return cell_len(self.value[: self.cursor_position])

    def _mark(self, strip: Strip, cell: int) -> Strip:
        """``strip`` with an ellipsis in ``cell``, in the style the text there has."""
        style = next(iter(strip.crop(cell, cell + 1))).style if strip.cell_length > cell else None
        marked = [*strip.crop(0, cell), Segment(ELLIPSIS, style), *strip.crop(cell + 1)]
        return Strip(marked, strip.cell_length)


__all__ = ["CutInput"]
