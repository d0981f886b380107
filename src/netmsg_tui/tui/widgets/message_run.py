"""Consecutive messages of a thread, drawn by one widget line by line (the line API: only the
lines in sight are rendered).

Each message is drawn as a ``.message`` Static was: a blank line above it, then its author line
and its text, wrapped, behind a thick left border in the author's colour and a cell of padding
each side. A message's attachments are widgets of their own (they take the focus), so a run ends
with a message that has attachments, and its :class:`AttachmentItem` widgets follow it in the
column (:func:`column_widgets`).

Why not one widget per message (issue 15): mounting, styling, laying out and painting the ~14
message widgets that fill a 120×40 view was about a third of opening a thread. A run is one
widget to mount, style and place, whatever the number of its messages.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.geometry import Region, Size
from textual.selection import Selection
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from ...i18n import _, formats
from ...model import Message
from ...terminal_text import printable, printable_line
from ..format import ONE_CELL, origin_label
from .message_view import SENT_MARK, AttachmentItem, Unscrolled

#: The cells of a line that are not the message's text: the border, and a cell of padding on
#: each side of the text.
FRAME = 3
#: The styles in a message's text (see message_text): author, time and origin, body, sent mark.
SPAN_STYLES = ("bold", "dim", "", "green")


def message_text(message: Message, *, delivered_late: bool = False) -> Text:
    """A message as the thread shows it: author, time and origin, then its text, and the sent
    mark for one this user wrote offline and the outbox delivered since. Inert: the author and
    the body are made printable (never markup, never terminal controls)."""
    text = Text()
    text.append(printable_line(message.author), style="bold")
    when = formats.date_time(message.sent_at.astimezone())  # the reader's local time
    text.append(f"  {when} · {origin_label(message)}", style="dim")
    if message.body:
        text.append("\n")
        text.append(printable(message.body))
    if delivered_late:
        text.append("\n")
        text.append(_(SENT_MARK), style="green")
    return text


def _origins(strips: list[Strip]) -> list[tuple[int, int]]:
    """Where each of Textual's wrapped lines begins in its text: (character, line), from the
    offsets Textual puts in their styles for mouse selection."""
    origins: list[tuple[int, int]] = []
    for strip in strips:
        offsets = (s.style.meta.get("offset") for s in strip if s.style and s.style._meta)
        found = next((o for o in offsets if o is not None), None)
        last_line = origins[-1][1] if origins else -1
        origins.append((found[0], found[1]) if found else (0, last_line + 1))  # a blank line
    return origins


def _one_cell_lines(text: str) -> list[int] | None:
    """The length of each line of ``text`` when every character is one cell wide, else None."""
    lines = text.split("\n")
    if all(ONE_CELL.issuperset(line) for line in lines):
        return [len(line) for line in lines]
    return None


class MessageRun(Unscrolled, Widget):
    """Messages drawn one after the other (oldest first), each with the blank line above it."""

    DEFAULT_CSS = """
    MessageRun {
        height: auto;
    }
    MessageRun > .message-run--supplier {
        color: $secondary;
    }
    MessageRun > .message-run--customer {
        color: $accent;
    }
    """
    COMPONENT_CLASSES = {"message-run--supplier", "message-run--customer"}
    """The colour of the left border of a message by this network's supplier, by the customer."""

    def __init__(
        self, messages: Sequence[Message], *, delivered_late: Collection[int] = ()
    ) -> None:
        super().__init__()
        self.messages = list(messages)
        #: Ids of this user's messages written offline and delivered by the outbox since.
        self.delivered_late = {m.id for m in self.messages if m.id in delivered_late}
        self._texts: list[Text] = []
        #: Per message, the cells of each of its lines when they are all one cell wide.
        self._cells: list[list[int] | None] = []
        for message in self.messages:
            self._set_text(len(self._texts), message)
        #: Per message, its wrapped text lines at the width in ``_strips_width``, and where
        #: each begins in the message's text: (character, line), as a Static's offsets say.
        self._strips: dict[int, list[Strip]] = {}
        self._origins: dict[int, list[tuple[int, int]]] = {}
        self._strips_width = 0
        #: The first line of each message (its blank line) at ``_starts_width``, and the end.
        self._starts: list[int] = []
        self._starts_width = -1
        self._styles: dict[str, RichStyle] | None = None  # see _span_styles
        self._text_lines: list[int] | None = None  # see _text_starts
        self._frame: tuple[RichStyle, tuple[Segment, Segment]] | None = None  # _frame_styles

    def _set_text(self, index: int, message: Message) -> None:
        text = message_text(message, delivered_late=message.id in self.delivered_late)
        cells = _one_cell_lines(text.plain)
        if index == len(self._texts):
            self._texts.append(text)
            self._cells.append(cells)
        else:
            self._texts[index], self._cells[index] = text, cells

    def __contains__(self, message_id: object) -> bool:
        return any(m.id == message_id for m in self.messages)

    # -- what is shown --------------------------------------------------------------------------
    def mark_delivered_late(self, message_id: int) -> None:
        """Message ``message_id`` was shown before the outbox said it was delivered (the change
        feed was quicker): add the sent mark now."""
        for index, message in enumerate(self.messages):
            if message.id == message_id and message_id not in self.delivered_late:
                self.delivered_late.add(message_id)
                self._set_text(index, message)
                self._text_lines = None
                self._strips.pop(index, None)
                self._origins.pop(index, None)
                self._starts_width = -1
                self.refresh(layout=True)

    def region_of(self, message_id: int) -> Region | None:
        """Where message ``message_id`` is on the screen (its author line and text, not the
        blank line above it), as a widget of its own would be; None when it is not here or the
        run has no place yet."""
        region = self.region
        index = next((i for i, m in enumerate(self.messages) if m.id == message_id), None)
        if index is None or not region:
            return None
        starts = self._line_starts(region.width)
        top = starts[index] + 1
        return Region(region.x, region.y + top, region.width, starts[index + 1] - top)

    @property
    def plain(self) -> str:
        """The lines as they are drawn, without the border and padding (what a person reads)."""
        return "\n".join(self._plain_lines(self.size.width or 80))

    def render(self) -> Text:
        # Not how the run is drawn (render_line is): its text, for whoever asks a widget what
        # it shows (the tests' screen_text, tools that read a screen's widgets).
        return Text(self.plain)

    def _plain_lines(self, width: int) -> list[str]:
        lines: list[str] = []
        for index in range(len(self.messages)):
            lines.append("")
            lines += [strip.text.rstrip() for strip in self._text_strips(index, width)]
        return lines

    # -- size -----------------------------------------------------------------------------------
    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._line_starts(width)[-1]

    def _line_starts(self, width: int) -> list[int]:
        if self._starts_width != width:
            starts, line = [], 0
            for index in range(len(self.messages)):
                starts.append(line)
                line += 1 + self._height(index, width)
            starts.append(line)
            self._starts, self._starts_width = starts, width
        return self._starts

    def _height(self, index: int, width: int) -> int:
        """Lines of message ``index``'s text at ``width``: counted when its characters are one
        cell wide and its lines fit (wrapping a text to count its lines was ~0.2 ms a message),
        else wrapped."""
        inner = max(1, width - FRAME)
        cells = self._cells[index]
        if cells is not None and all(n <= inner for n in cells):
            return len(cells)
        return len(self._text_strips(index, width))

    def _text_strips(self, index: int, width: int) -> list[Strip]:
        """Message ``index``'s text wrapped to the run's ``width`` less the frame, as Textual
        wraps a Static's (same wrapping, same styles)."""
        if width != self._strips_width:
            self._strips, self._origins, self._strips_width = {}, {}, width
        strips = self._strips.get(index)
        if strips is None:
            inner = max(1, width - FRAME)
            cells = self._cells[index]
            if cells is not None and all(n <= inner for n in cells):
                strips = self._unwrapped(self._texts[index])
                self._origins[index] = [(0, line) for line in range(len(strips))]
            else:
                strips = self._wrapped(self._texts[index], inner)
                self._origins[index] = _origins(strips)
            self._strips[index] = strips
        return strips

    def _wrapped(self, text: Text, width: int) -> list[Strip]:
        visual = visualize(self, text, markup=False)
        return Visual.to_strips(self, visual, width, None, self.visual_style, apply_selection=False)

    def _unwrapped(self, text: Text) -> list[Strip]:
        """The lines of ``text``, which fit: the strips Textual's wrapping makes of them (see
        _wrapped), without it (~0.25 ms a message)."""
        styles = self._span_styles()
        strips = []
        for line in text.split("\n", allow_blank=True):
            plain, segments, at = line.plain, [], 0
            for span in line.spans:
                if span.start > at:
                    segments.append(Segment(plain[at : span.start], styles[""]))
                segments.append(Segment(plain[span.start : span.end], styles[str(span.style)]))
                at = span.end
            if at < len(plain):
                segments.append(Segment(plain[at:], styles[""]))
            strips.append(Strip(segments, len(plain)))
        return strips

    def _span_styles(self) -> dict[str, RichStyle]:
        """The styles of a message's text (author, time, body, sent mark) as Textual renders
        them in this widget (its colours, dim blended into the background)."""
        if self._styles is None:
            sample = Text()
            for name in SPAN_STYLES:
                sample.append("x", style=name)
            [strip] = self._wrapped(sample, len(SPAN_STYLES))
            styles = [segment.style for segment in strip]
            assert len(styles) == len(SPAN_STYLES), "one segment a style"
            self._styles = {  # without the sample's mouse-selection offsets
                name: style.clear_meta_and_links() if style else RichStyle()
                for name, style in zip(SPAN_STYLES, styles, strict=True)
            }
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # The theme's colours are in the strips.
        self._strips, self._strips_width, self._styles, self._frame = {}, 0, None, None

    # -- drawing --------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        starts = self._line_starts(width)
        blank, border = self._frame_styles()
        index = bisect_right(starts, y) - 1
        if not 0 <= index < len(self.messages) or y == starts[index]:
            return Strip.blank(width, blank)  # the blank line above a message
        strips = self._text_strips(index, width)
        line = y - starts[index] - 1
        if line >= len(strips):
            return Strip.blank(width, blank)
        text = strips[line]
        # Where the mouse is in the run's text (see get_selection): as a Static's, in the lines
        # of the message's text, not in the lines it is wrapped to.
        x, text_line = self._origins[index][line]
        text_y = self._text_starts()[index] + 1 + text_line
        if (selection := self.text_selection) is not None:
            text = self._selected(text, x, selection.get_span(text_y))
        text = text.apply_offsets(x, text_y)
        inner = max(1, width - FRAME)
        segments = [border[self.messages[index].author_kind == "customer"], Segment(" ", blank)]
        segments += text.crop(0, inner)
        segments.append(Segment(" " * (width - 2 - min(text.cell_length, inner)), blank))
        return Strip(segments, width)

    def _frame_styles(self) -> tuple[RichStyle, tuple[Segment, Segment]]:
        """The style of the blank cells, and the left border of a message by the supplier and
        by the customer (coloured as a ``border-left: thick`` in the author's colour)."""
        if self._frame is None:
            base, background = self.background_colors
            blank = RichStyle(bgcolor=background.rich_color)
            border = tuple(
                Segment(
                    "█",
                    RichStyle(
                        color=(base + self.get_component_styles(name).color).rich_color,
                        bgcolor=background.rich_color,
                    ),
                )
                for name in ("message-run--supplier", "message-run--customer")
            )
            self._frame = blank, (border[0], border[1])
        return self._frame

    def _selected(self, text: Strip, x: int, span: tuple[int, int] | None) -> Strip:
        """``text`` (a line beginning at character ``x`` of its text line) with the characters
        of ``span`` (in that text line, -1: to its end) painted as selected."""
        if span is None:
            return text
        plain = text.text
        start = max(span[0] - x, 0)
        end = len(plain) if span[1] == -1 else min(span[1] - x, len(plain))
        if start >= end:
            return text
        style = self.screen.get_component_rich_style("screen--selection")
        cells = [cell_len(plain[:start]), cell_len(plain[:end]), text.cell_length]
        left, middle, right = text.divide(cells)
        # Over the text's own style (Strip.apply_style puts a style under it).
        selected = Strip([Segment(t, s + style if s else style) for t, s, _ in middle])
        return Strip.join([left, selected, right])

    # -- mouse selection ------------------------------------------------------------------------
    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        # The messages' text as written (a blank line above each), not as wrapped: copied, a
        # paragraph stays one line, as from a Static.
        lines = [line for text in self._texts for line in ["", *text.plain.split("\n")]]
        return selection.extract("\n".join(lines)), "\n"

    def _text_starts(self) -> list[int]:
        """The line of the run's text (see get_selection) where each message begins."""
        if self._text_lines is None:
            starts, line = [], 0
            for text in self._texts:
                starts.append(line)
                line += 1 + text.plain.count("\n") + 1
            self._text_lines = starts
        return self._text_lines

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()


def column_widgets(
    messages: Sequence[Message], *, delivered_late: Collection[int] = ()
) -> list[Widget]:
    """The column's widgets for ``messages`` (oldest first): runs of messages, each message's
    attachments right after it."""
    widgets: list[Widget] = []
    run: list[Message] = []
    for message in messages:
        run.append(message)
        if message.attachments:
            widgets.append(MessageRun(run, delivered_late=delivered_late))
            widgets += [AttachmentItem(a, message) for a in message.attachments]
            run = []
    if run:
        widgets.append(MessageRun(run, delivered_late=delivered_late))
    return widgets
