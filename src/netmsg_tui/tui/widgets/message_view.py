"""A message's attachment in a thread (`s` saves it), and the mark of a message delivered late.
The messages themselves are drawn by :class:`~.message_run.MessageRun`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message as TextualMessage
from textual.widget import Widget
from textual.widgets import Static

from ...i18n import N_
from ...model import Attachment, Message, human_size
from ...terminal_text import printable_line

if TYPE_CHECKING:
    _WidgetType = Widget
else:
    _WidgetType = object


class Unscrolled(_WidgetType):
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


class AttachmentItem(Unscrolled, Static):
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
