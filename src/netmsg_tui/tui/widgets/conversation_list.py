"""The conversation list: two lines per thread (the Messages tab pages them in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...i18n import N_, _
from ...model import Conversation
from ...records import record
from ..base import NetmsgWidget
from ..format import ONE_CELL, one_line, relative_time
from ..start import FIRST_PAGE as FIRST_PAGE  # the pane's and the benches' name for it
from .row_list import RowList

PAGE_SIZE = 50
#: Load the next page when the highlight comes this close to the end of what is loaded: ahead,
#: so that holding ↓ never waits on a page, but fewer than a first page, whose rows are then
#: the only work of a search or of start-up.
PREFETCH_ROWS = 15
DOCUMENT_WIDTH = 20


#: Before the subject of a thread whose reply box holds a kept draft (text, not only colour).
DRAFT_MARK = N_("✎ Draft · ")


def conversation_prompt(conv: Conversation, width: int, *, draft: bool = False) -> Text:
    """Line 1: customer, document number, age, unread badge. Line 2: the draft mark when the
    thread has a kept draft, subject — preview."""
    width = max(width, 30)
    age = relative_time(conv.last_activity)
    badge = f" {conv.unread_count} " if conv.unread_count else ""
    # Capped: a long number from outside must not push the name off the row.
    right = f"{one_line(conv.document_number or '', DOCUMENT_WIDTH)}  {age}".strip()
    name_width = width - cell_len(right) - len(badge) - 3
    text = Text(no_wrap=True, overflow="ellipsis")
    marker = "● " if conv.unread_count else "  "
    text.append(marker, style="bold" if conv.unread_count else "")
    name = one_line(conv.customer_name, name_width)
    text.append(name, style="bold" if conv.unread_count else "")
    text.append(" " * max(name_width - cell_len(name), 1))  # cells: a CJK name is wider
    text.append(right, style="dim")
    if badge:
        text.append(" ")
        text.append(badge, style="reverse bold")
    text.append("\n  ")
    rest = width - 2
    if draft:
        mark = _(DRAFT_MARK)
        text.append(mark, style="bold italic")
        rest -= len(mark)
    line2 = conv.subject
    if conv.last_preview:
        line2 += " — " + conv.last_preview
    text.append(one_line(line2, rest), style="" if conv.unread_count else "dim")
    return text


def _plain_runs(line: Text) -> bool:
    """Spans in order, none overlapping, each a style name (as conversation_prompt makes)."""
    at = 0
    for span in line.spans:
        if span.start < at or not isinstance(span.style, str):
            return False
        at = span.end
    return True


@record
class Filter:
    query: str = ""
    unread_only: bool = False


class ConversationList(NetmsgWidget, RowList):
    """The rows of the Messages tab (its :class:`MessagesPane` pages them in); option ids are
    conversation ids."""

    ROW_HEIGHT = 2

    @dataclass
    class Opened(Message):
        conversation_id: int

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.conversations: list[Conversation] = []
        self._rendered_width = 0

    def on_mount(self) -> None:
        self.watch(self.app, "draft_places", self._drafts_changed, init=False)

    def _drafts_changed(self) -> None:
        if self.conversations:
            highlighted = self.highlighted
            self.set_options(self._make_options(self.conversations))
            self.highlighted = highlighted

    def show(self, conversations: Sequence[Conversation], *, first: bool) -> None:
        """All the rows when ``first`` (keeping the highlighted thread if it is still there),
        else ``conversations`` added at the end."""
        if not first:
            self.conversations += conversations
            self.add_options(self._make_options(conversations))
            return
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        self.conversations = list(conversations)
        self.set_options(self._make_options(self.conversations))
        if self.conversations:
            ids = [str(c.id) for c in self.conversations]
            self.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def _row_width(self) -> int:
        # Option padding (2) and the scrollbar (1), which is not there yet before the first
        # page, are not ours to use; one column spare. Before layout (the first page usually
        # arrives first) guess what the layout gives at any terminal width, so that no second
        # rendering of the rows follows at start-up.
        return (self.scrollable_content_region.width or self.app.size.width - 3) - 4

    def _make_options(self, conversations: Sequence[Conversation]) -> list[Option]:
        width = self._rendered_width = self._row_width()
        places = self.app.draft_places
        return [
            Option(conversation_prompt(c, width, draft=f"thread:{c.id}" in places), id=str(c.id))
            for c in conversations
        ]

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        # OptionList renders each row through a Visual (~0.4 ms a line: the 9 rows of the first
        # frame cost ~7 ms of start-up). A row is lines of styled runs cut to fit
        # (conversation_prompt): each run becomes one segment in the row's style plus its own,
        # which is what OptionList draws (tests/tui/test_conversation_rows.py holds them equal).
        prompt = option.prompt
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        inner = width - padding.width
        key = (option, style, padding)
        if (strips := self._option_render_cache.get(key)) is not None:
            return strips
        if not isinstance(prompt, Text) or prompt.style or padding.top or padding.bottom:
            return super()._get_option_render(option, style)
        base = style.rich_style
        meta = Style.from_meta({"option": self._option_to_index[option]})
        left = Segment(" " * padding.left, base + meta)
        strips = []
        for line in prompt.split("\n"):
            plain = line.plain
            used = len(plain) if ONE_CELL.issuperset(plain) else cell_len(plain)
            if used > inner or not _plain_runs(line):
                return super()._get_option_render(option, style)  # to be cut: Textual's way
            segments, at = [left], 0
            for span in line.spans:
                if span.start > at:
                    segments.append(Segment(plain[at : span.start], base + meta))
                run_style = base + Style.parse(span.style) + meta
                segments.append(Segment(plain[span.start : span.end], run_style))
                at = span.end
            if at < len(plain):
                segments.append(Segment(plain[at:], base + meta))
            segments.append(Segment(" " * (width - padding.left - used), base + meta))
            strips.append(Strip(segments, width))
        self._option_render_cache[key] = strips
        return strips

    def on_resize(self) -> None:
        if self.conversations and self._row_width() != self._rendered_width:
            highlighted = self.highlighted
            self.set_options(self._make_options(self.conversations))
            self.highlighted = highlighted

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Opened(int(event.option.id)))
