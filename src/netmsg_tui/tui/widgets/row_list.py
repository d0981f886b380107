"""The rows of a :class:`~.paged_list.PagedList`: an OptionList (the line API: only the visible
lines are rendered) whose cursor repaints only what changed.

Textual's OptionList repaints every visible line when the highlight moves (``highlighted`` is a
repainting reactive): over ssh one ↓ in the conversation list sent ≈ 4.5 KB. Here a move
repaints the rows the highlight left and reached (two rows: ≈ 0.5 KB); a move that scrolls
repaints the list as before, which it must.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
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

    def _update_lines(self) -> None:
        # OptionList renders each new option to count its lines (~0.2 ms a row: a page of 40
        # rows cost ~10 ms); every row here has ROW_HEIGHT lines, so they are only counted.
        cache, height = self._line_cache, self.ROW_HEIGHT
        for index in range(len(cache.heights), self.option_count):
            cache.index_to_line[index] = len(cache.lines)
            cache.heights[index] = height
            cache.lines.extend((index, line) for line in range(height))
        region = self.scrollable_content_region
        virtual_size = Size(region.width, len(cache.lines))
        height_before = self.virtual_size.height
        if virtual_size == self.virtual_size:
            return
        if not region:
            # Not laid out yet (rows given to a list before its first layout, in a hidden tab):
            # the count is there for that layout, which shows the scrollbar with the rows.
            # (Counted only when the rows were first painted, the scrollbar came after them,
            # with a second layout and frame.)
            self.set_reactive(Widget.virtual_size, virtual_size)
            return
        if self.styles.auto_dimensions:  # the list's own size follows its rows
            self.virtual_size = virtual_size
        else:
            # Textual's virtual_size lays out the whole screen when set (a page of rows cost
            # ~15 ms of layout and a repaint of every widget); a list of fixed size only needs
            # its scrollbar updated (which lays out if the scrollbar appears or goes).
            self.set_reactive(Widget.virtual_size, virtual_size)
        if virtual_size.height != height_before:  # only a new width: the scrollbar is as it was
            self._scroll_update(virtual_size)

    def render_line(self, y: int) -> Strip:
        # Neighbouring segments of one style joined: fewer style codes to the terminal.
        return super().render_line(y).simplify()
