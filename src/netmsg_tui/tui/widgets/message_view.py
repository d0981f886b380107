"""One message in a thread: author, time, origin, text, and its attachments (`s` saves one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message as TextualMessage
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static

from ...i18n import N_, _, formats
from ...model import Attachment, Message, human_size
from ...terminal_text import printable, printable_line
from ..format import ONE_CELL, origin_label

if TYPE_CHECKING:
    _WidgetType = Widget
else:
    _WidgetType = object


class _Unscrolled(_WidgetType):
    """Mixed into a widget that never scrolls, as its first base: its virtual size is its size,
    which asks for no layout.

    Textual (8.x) sets each widget's ``virtual_size`` after a layout places it, and a changed
    one asks for a layout of the screen: a page of new messages was laid out twice (the second
    time arranging every message again). Only a scrolling widget's content depends on its
    virtual size. Not a Widget at run time (as ``NetmsgWidget``): Textual takes CSS along the
    first base that is a DOM node, which must stay the Textual widget (Static, Vertical)."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class AttachmentItem(_Unscrolled, Static):
    """An attachment of a message. Focus it (Tab) and press `s` (or Enter) to save it."""

    can_focus = True
    BINDINGS = [
        Binding("s,enter", "save", N_("Save attachment"), id="save-attachment"),
    ]

    def __init__(self, attachment: Attachment, message: Message) -> None:
        label = f"📎 {printable_line(attachment.filename)}  ({human_size(attachment.size)})"
        super().__init__(Text(label), classes=f"attachment -{message.author_kind}")
        self.attachment = attachment
        self.message_id = message.id

    @dataclass
    class SaveRequested(TextualMessage):
        """The user wants to save ``attachment``: the screen shows the save dialog."""

        attachment: Attachment

    def action_save(self) -> None:
        self.post_message(self.SaveRequested(self.attachment))

    def on_click(self) -> None:
        self.focus()
        self.action_save()


SENT_MARK = N_("✓ sent (was queued while offline)")


class MessageView(_Unscrolled, Static):
    """A stored message: author line, text and, for one this user wrote while the server could
    not be reached and delivered from the offline outbox since (``delivered_late``), the sent
    mark. Its attachments are the :class:`AttachmentItem` widgets right after it in the
    thread (:func:`message_widgets`).

    One widget per message (the attachments beside it, not inside): mounting a page of 30
    messages as a container and a text each took a third of the thread's opening."""

    def __init__(self, message: Message, *, delivered_late: bool = False) -> None:
        self.message = message
        self.delivered_late = delivered_late
        classes = f"message -{message.author_kind}"
        text = self._text()
        self._lines = _one_cell_lines(text.plain)
        super().__init__(text, classes=classes, id=f"message-{message.id}")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # A text of one-cell characters whose lines all fit is as many lines high as it has:
        # Textual wraps it to know (~0.2 ms a message, for every message a page mounts).
        lines = self._lines
        fits = lines is not None and width > 0 and all(n <= width for n in lines)
        if fits and lines is not None and self.styles.line_pad == 0:
            return len(lines)
        return super().get_content_height(container, viewport, width)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._lines = _one_cell_lines(content.plain) if isinstance(content, Text) else None
        super().update(content, layout=layout)

    def _text(self) -> Text:
        m = self.message
        text = Text()
        text.append(printable_line(m.author), style="bold")
        when = formats.date_time(m.sent_at.astimezone())  # the reader's local time
        text.append(f"  {when} · {origin_label(m)}", style="dim")
        if m.body:
            text.append("\n")
            text.append(printable(m.body))
        if self.delivered_late:
            text.append("\n")
            text.append(_(SENT_MARK), style="green")
        return text

    def mark_delivered_late(self) -> None:
        """Shown before the outbox said so (the change feed was quicker): mark it now."""
        if not self.delivered_late:
            self.delivered_late = True
            self.update(self._text())


def _one_cell_lines(text: str) -> list[int] | None:
    """The length of each line of ``text`` when every character is one cell wide, else None."""
    lines = text.split("\n")
    if all(ONE_CELL.issuperset(line) for line in lines):
        return [len(line) for line in lines]
    return None


def message_widgets(message: Message, *, delivered_late: bool = False) -> list[Widget]:
    """A message's widgets in the thread: its view, then one item per attachment."""
    view = MessageView(message, delivered_late=delivered_late)
    return [view, *(AttachmentItem(a, message) for a in message.attachments)]
