"""A reply box's message box before it is first used: drawn as the empty, unfocused TextArea
it stands for (its placeholder in a bordered box), at the cost of a Static.

Most threads are opened to be read. Textual's TextArea (its document, its wrapping, its CSS
with eight component classes) was ~20 % of opening the 10,000-message thread (issue 15). The
composer makes the real one the moment it is needed: this box gets the focus (Tab, a click),
text is put in (a draft, a template, the editor, a discarded send) or the screen moves the
cursor there (`r`). See :meth:`Composer.open_body`.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Static


class UnopenedBody(Static, can_focus=True):
    class Wanted(Message):
        """The user reached the box (focus) or pasted into it: the composer opens it."""

        def __init__(self, paste: str = "") -> None:
            super().__init__()
            self.paste = paste

    def on_focus(self, event: events.Focus) -> None:
        # Reached by Tab or a click: the real box takes the focus (and the keys) at once.
        event.stop()
        self.post_message(self.Wanted())

    def on_paste(self, event: events.Paste) -> None:
        # Queued here just as the focus moved: the text goes on to the real box, in order.
        event.stop()
        self.post_message(self.Wanted(event.text))
