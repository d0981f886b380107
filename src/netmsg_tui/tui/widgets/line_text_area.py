"""A TextArea that repaints the lines an edit or a cursor move changed, not the whole box.

Textual's TextArea repaints all of itself, border included, at each move of the cursor (its
``selection`` is a repainting reactive): over ssh one character typed in the reply box sent
≈ 1.5 KB. Here a key repaints the visual lines of the rows it touched (and the placeholder's
when the box empties or fills); an edit that changes how many lines the text wraps to repaints
all, as before.

Every way text enters the box (typing, paste, an inserted canned reply, a restored draft, the
text back from $EDITOR) passes through :func:`printable`: Textual draws a TextArea's text as it
is, so an ESC sequence pasted from a customer's mail went raw to the terminal. A control
character becomes the placeholder the thread shows for it (ESC -> ``␛``), so the box holds
exactly what is drawn and what will be sent (see :mod:`netmsg_tui.tui.widgets.plain_input`).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Selection

from ...terminal_text import printable


class LineTextArea(TextArea):
    """Without bracket matching: the matched bracket may be on a line this class would not
    repaint (and prose has no use for it)."""

    match_cursor_bracket: reactive[bool] = reactive(False, init=False)

    # Not repainting: watch_selection refreshes the lines instead.
    selection: reactive[Selection] = reactive(
        Selection(), init=False, always_update=True, repaint=False
    )

    def watch_selection(self, previous: Selection, selection: Selection) -> None:
        if previous.start == previous.end and selection.start == selection.end:
            rows = [previous.end[0], selection.end[0]]  # the cursor left one row for another
        else:
            rows = [*range(min(*previous, *selection)[0], max(*previous, *selection)[0] + 1)]
        for row in set(rows):
            self._refresh_rows(row, row)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual (8.x) may draw a removed widget once more, from a compositor map not laid out
        # again since (a reply box giving way to a contact card, then a toast's repaint): a
        # removed TextArea has lost its component styles and raised KeyError, ending the app.
        if not self.is_attached:
            return [Strip.blank(crop.width)] * crop.height  # not on screen any more
        return super().render_lines(crop)

    def load_text(self, text: str) -> None:
        super().load_text(printable(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = printable(edit.text)  # before the edit places the cursor after it
        height, was_empty = self.wrapped_document.height, not self.text
        result = super().edit(edit)
        if self.wrapped_document.height != height:
            self.refresh()  # lines moved
            return result
        self._refresh_rows(edit.top[0], result.end_location[0])
        if was_empty or not self.text:  # the placeholder went or came: its lines too
            placeholder = cell_len(str(self.placeholder))
            self.refresh_lines(0, 1 + placeholder // max(self.wrap_width, 1))
        return result

    def _refresh_rows(self, first: int, last: int) -> None:
        """Repaint the visual lines of document rows ``first``..``last`` (wrapped sections too)."""
        document = self.wrapped_document
        rows = self.document.line_count
        if not 0 <= first <= last < rows:
            self.refresh()
            return
        top = document.location_to_offset((first, 0)).y
        bottom = document.location_to_offset((last, len(self.document[last]))).y
        self.refresh_lines(top, bottom - top + 1)
