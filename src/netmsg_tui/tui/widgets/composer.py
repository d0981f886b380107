"""The composer: message text, attachment chips, the 📎 paperclip and Send.

Used by the new-conversation screen and by a thread's reply box. It does not send: it posts
:class:`Composer.SendRequested` and the screen that owns it sends, because what a send means
(start a thread, reply, link a document) belongs to the screen.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static, TextArea

from ...files import AttachmentFileError, display_name, file_problem, read_attachment
from ...i18n import N_, _
from ...model import MAX_ATTACHMENTS_PER_MESSAGE, MAX_BODY_CHARS, NewAttachment, human_size
from ..base import is_gone
from ..format import show_count
from ..safe_text import safe_text
from .compact_button import compact_button
from .line_text_area import LineTextArea
from .steady import steady
from .unopened_body import UnopenedBody


@dataclass
class Draft:
    """Unsent text, kept by the app when the user leaves a composer."""

    body: str = ""
    attachments: list[Path] = field(default_factory=list)
    subject: str = ""
    customer_id: int | None = None


def read_files(paths: list[Path]) -> list[NewAttachment]:
    """Read the chosen files (blocking: call from a thread worker). Raises AttachmentFileError."""
    return [read_attachment(path) for path in paths]


class AttachmentChip(Button):
    """A chosen file; pressing it removes the file from the message."""

    def __init__(self, path: Path) -> None:
        try:
            size = f" ({human_size(path.stat().st_size)})"
        except OSError:
            size = ""
        super().__init__(f"✕ {display_name(path)}{size}", compact=True, classes="chip")
        self.path = path
        self.tooltip = _("Remove this attachment")


class Composer(Vertical):
    # Here, not on the screens: they work where the text is typed (composer and reply box).
    BINDINGS = [
        Binding(
            "ctrl+g",
            "edit_in_editor",
            N_("Editor"),
            id="edit-in-editor",
            tooltip=N_("Write the message in your editor ($VISUAL / $EDITOR)"),
        ),
        Binding(
            "ctrl+t",
            "insert_template",
            N_("Template"),
            id="insert-template",
            tooltip=N_("Insert a canned reply at the cursor"),
        ),
        Binding(
            "ctrl+r",
            "discard_draft",
            N_("Discard"),
            id="discard-draft",
            tooltip=N_("Discard this draft (asks first)"),
        ),
    ]

    @dataclass
    class SendRequested(Message):
        composer: Composer

    @dataclass
    class EditorRequested(Message):
        """The user wants to write in their own editor: the owner runs it (a new conversation
        edits subject and body as one file) and hands the text back with :meth:`set_body`."""

        composer: Composer

    @dataclass
    class DiscardRequested(Message):
        """The user wants the draft gone: the owner asks first, then empties the form and
        forgets the kept draft."""

        composer: Composer

    @dataclass
    class TemplateRequested(Message):
        """The user wants a canned reply: the owner knows the customer and document to fill
        it in for, and calls :meth:`insert_at_cursor`."""

        composer: Composer

    @dataclass
    class AttachRequested(Message):
        """The user wants to attach a file: the screen shows a chooser, starting in ``start``,
        and hands the chosen path to :meth:`Composer.attach_chosen`."""

        composer: Composer
        start: Path | None

    def __init__(
        self, *, placeholder: str | None = None, id: str | None = None, unopened: bool = False
    ) -> None:
        """``unopened``: the message box is an :class:`UnopenedBody` until it is first needed
        (a thread's reply box: most threads are opened to be read)."""
        super().__init__(id=id)
        self.attachments: list[Path] = []
        self._placeholder = _("Write a message…") if placeholder is None else placeholder
        self._keys: dict[tuple[object, ...], str] = {}
        self._text_area: TextArea | None = None if unopened else self._new_text_area()

    def _new_text_area(self) -> TextArea:
        return steady(
            # Content: a str placeholder would be parsed as markup (it names the customer).
            LineTextArea(
                id="body",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder=Content(self._placeholder),
            )
        )

    def compose(self) -> ComposeResult:
        if self._text_area is None:
            yield UnopenedBody(Content(self._placeholder), id="body-unopened")
        else:
            yield self._text_area
        yield Static("", id="body-error", classes="field-error")
        with Horizontal(id="composer-bar"):
            yield compact_button(_("📎 Attach"), id="attach", tooltip=_("Attach a file (ctrl+o)"))
            yield Horizontal(id="chips")
            yield Static("", id="body-count", classes="count -empty", markup=False)
            yield compact_button(_("Send"), id="send", variant="primary", tooltip="ctrl+s")

    @property
    def text_area(self) -> TextArea:
        """The message box; an unopened one is opened here (see :meth:`open_body`)."""
        if self._text_area is None:
            return self.open_body()
        return self._text_area

    @property
    def body(self) -> str:
        return "" if self._text_area is None else self._text_area.text

    def open_body(self) -> TextArea:
        """Put the real message box where the unopened one is drawn, with the focus if that
        one had it. At once: the box is in the DOM (styled) when this returns, and keys and
        text sent to it wait in its queue until it is mounted, in order."""
        if self._text_area is not None:
            return self._text_area
        area = self._text_area = self._new_text_area()
        unopened = next(iter(self.query(UnopenedBody)), None)
        if unopened is None or is_gone(self):  # not composed yet: compose yields the real one
            return area
        self.mount(area, before=unopened)
        if unopened.has_focus:
            # Now, not by focus() (a callback later): removed with the focus, the unopened box
            # would first hand it on to the next widget (Attach), which would repaint twice.
            self.screen.set_focus(area)
        unopened.display = False  # no frame shows both while it is removed
        unopened.remove()
        return area

    @on(UnopenedBody.Wanted)
    def _body_wanted(self, event: UnopenedBody.Wanted) -> None:
        event.stop()
        area = self.open_body()
        area.focus()
        if event.paste:
            area.post_message(events.Paste(event.paste))

    @on(TextArea.Changed, "#body")
    def _count(self) -> None:
        # Not stopped: the owner keeps the draft on the same message.
        if is_gone(self):  # typed just before the screen went: the count is gone with it
            return
        show_count(self.query_one("#body-count", Static), len(self.body), MAX_BODY_CHARS)

    def set_body(self, text: str) -> None:
        self.text_area.load_text(text)
        self.text_area.move_cursor(self.text_area.document.end)

    def insert_at_cursor(self, text: str) -> None:
        self.text_area.insert(text)
        self.text_area.focus()

    def action_edit_in_editor(self) -> None:
        self.post_message(self.EditorRequested(self))

    def action_insert_template(self) -> None:
        self.post_message(self.TemplateRequested(self))

    def action_discard_draft(self) -> None:
        self.post_message(self.DiscardRequested(self))

    def add_attachment(self, path: Path) -> None:
        """Attach ``path`` (shown as a removable chip), or say inline why it cannot be."""
        path = path.absolute()
        if path in self.attachments:
            self.show_error(_("{name} is already attached").format(name=display_name(path)))
            return
        if len(self.attachments) >= MAX_ATTACHMENTS_PER_MESSAGE:
            self.show_error(
                _("A message may carry at most {n} files").format(n=MAX_ATTACHMENTS_PER_MESSAGE)
            )
            return
        if problem := file_problem(path):
            self.show_error(problem)
            return
        self.attachments.append(path)
        self.query_one("#chips", Horizontal).mount(AttachmentChip(path))
        self.show_error("")

    def remove_attachment(self, path: Path) -> None:
        if path in self.attachments:
            self.attachments.remove(path)
        for chip in self.query(AttachmentChip):
            if chip.path == path:
                chip.remove()

    def action_attach(self) -> None:
        start = self.attachments[-1].parent if self.attachments else None
        self.post_message(self.AttachRequested(self, start))

    def attach_chosen(self, path: Path | None) -> None:
        """The chooser's answer: attach ``path`` (None: nothing chosen), back to the text."""
        if path is not None:
            self.add_attachment(path)
        self.text_area.focus()

    def show_error(self, text: str) -> None:
        if is_gone(self):  # a send's worker answering after the screen went
            return
        error = self.query_one("#body-error", Static)
        error.update(safe_text(text, multi_line=True))  # error texts quote names
        error.set_class(bool(text), "-shown")

    def set_busy(self, busy: bool) -> None:
        """While sending, Send reads "Sending…" and names the size: files are read and
        uploaded in a worker, and 10 MiB can take a moment."""
        if is_gone(self):  # the send's worker ends after the screen went
            return
        send = self.query_one("#send", Button)
        send.disabled = busy
        send.label = self._sending_label() if busy else _("Send")
        self.set_class(busy, "-sending")

    def _sending_label(self) -> str:
        total = 0
        for path in self.attachments:
            with contextlib.suppress(OSError):  # the send itself reports the file
                total += path.stat().st_size
        if total >= 1024 * 1024:
            return _("Sending {size}…").format(size=human_size(total))
        return _("Sending…")

    def idempotency_key(self, *parts: object) -> str:
        """The same key while the content is unchanged: a retried send is stored once."""
        fingerprint = (*parts, self.body, tuple(self.attachments))
        return self._keys.setdefault(fingerprint, uuid.uuid4().hex)

    def draft(self) -> Draft:
        return Draft(body=self.body, attachments=list(self.attachments))

    def restore(self, draft: Draft) -> None:
        self.set_body(draft.body)
        for path in draft.attachments:
            self.add_attachment(path)

    def clear(self) -> None:
        if self._text_area is not None:
            self._text_area.clear()
        for path in list(self.attachments):
            self.remove_attachment(path)
        self.show_error("")
        self._keys.clear()

    @property
    def is_empty(self) -> bool:
        return not self.body.strip() and not self.attachments

    @on(Button.Pressed, "#attach")
    def _attach_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_attach()

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.SendRequested(self))

    @on(Button.Pressed, ".chip")
    def _chip_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, AttachmentChip):
            self.remove_attachment(event.button.path)
            self.text_area.focus()


__all__ = ["AttachmentFileError", "Composer", "Draft", "read_files"]
