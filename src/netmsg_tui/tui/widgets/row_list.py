"""The rows of a :class:`~.paged_list.PagedList`: an OptionList (the line API: only the visible
lines are rendered) whose cursor repaints only what changed.

Textual's OptionList repaints every visible line when the highlight moves (``highlighted`` is a
repainting reactive): over ssh one ↓ in the conversation list sent ≈ 4.5 KB. Here a move
repaints the rows the highlight left and reached (two rows: ≈ 0.5 KB); a move that scrolls
repaints the list as before, which it must.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import OptionList


class RowList(OptionList):
    """An OptionList of rows of ``ROW_HEIGHT`` lines each (no wrapping, no separators)."""

    ROW_HEIGHT = 1

    # Not repainting: _watch_highlighted refreshes the two rows instead.
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def _watch_highlighted(self, old: int | None, new: int | None) -> None:
        # Textual calls this beside OptionList.watch_highlighted, which scrolls to the row
        # (a scroll repaints all) and posts OptionHighlighted.
        for index in (old, new):
            if index is not None:
                self.refresh_lines(index * self.ROW_HEIGHT, self.ROW_HEIGHT)

    def render_line(self, y: int) -> Strip:
        # Neighbouring segments of one style joined: fewer style codes to the terminal.
        return super().render_line(y).simplify()
