"""Save a received attachment: pick a folder, never overwrite without asking, say where it went.

The name on disk is ``model.safe_filename`` of the sender's name: a name like ``../../.bashrc``
or one with control characters lands inside the chosen folder as ``bashrc`` / ``a_b.pdf``.
The bytes are checked against the attachment's sha256 before anything is written, so a
damaged download is refused instead of saved. Paths are shown with the home folder as ``~``
(typed back, ``~`` is read as home). Dismisses with the saved (absolute) path, or None.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ...files import shown_path
from ...i18n import N_, _, formats
from ...model import Attachment, human_size, safe_filename
from ...store import MessageStore, StoreError
from ...terminal_text import printable_line
from ..widgets.attach_path_input import PathInput
from .write_file import WriteFileDialog


def attachment_details(attachment: Attachment) -> str:
    """The details block: name, size in human units and bytes, media type, sha256."""
    size = _("{size} ({bytes} bytes)").format(
        size=human_size(attachment.size), bytes=formats.count(attachment.size)
    )
    return (
        f"{printable_line(attachment.filename)}\n"
        f"{size} · {printable_line(attachment.media_type)}\n"
        f"sha256 {attachment.sha256}"
    )


class SaveAttachmentDialog(WriteFileDialog):
    """Save ``attachment`` into a folder chosen by the user (default: the current directory)."""

    DEFAULT_CSS = """
    SaveAttachmentDialog #save-title { text-style: bold; }
    SaveAttachmentDialog #save-details { color: $text-muted; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="save-cancel"),
    ]

    STATUS_ID = "save-status"
    NOT_WRITTEN = N_("Not saved: {error}")
    KEPT = N_("Not saved: kept the existing {path}")

    def __init__(self, attachment: Attachment, folder: Path | None = None) -> None:
        super().__init__(folder)
        self.attachment = attachment
        self.safe_name = safe_filename(attachment.filename)

    def compose(self) -> ComposeResult:
        name = printable_line(self.safe_name)  # safe_filename: no controls; belt and braces
        if self.safe_name == self.attachment.filename:
            name_line = _("File name: {name}").format(name=name)
        else:
            name_line = _("File name: {name} (renamed for safety)").format(name=name)
        with Vertical(id="save"):
            yield Static(_("Save attachment"), id="save-title")
            yield Static(attachment_details(self.attachment), id="save-details", markup=False)
            yield Static(_("Save in folder (Tab completes):"), markup=False)
            yield PathInput(shown_path(self.folder) + "/", folders_only=True, id="save-folder")
            yield Static(name_line, id="save-name", markup=False)
            yield self.status_line()
            with Horizontal():
                yield Button(_("Save"), id="save-button", variant="primary")
                yield Button(_("Cancel"), id="save-close")

    @on(Input.Submitted, "#save-folder")
    @on(Button.Pressed, "#save-button")
    def _save_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.save(self.chosen_folder())

    @on(Button.Pressed, "#save-close")
    def _close_pressed(self) -> None:
        self.action_cancel()

    @work(exclusive=True, group="save-attachment")
    async def save(self, folder: Path) -> None:
        """Fetch the bytes, verify them, write them; ask before replacing an existing file."""
        self.set_status(_("Saving …"))
        store: MessageStore = self.app.store
        try:
            data = await store.read_attachment(self.attachment.id)
        except StoreError as exc:
            self.not_written(exc)
            return
        if hashlib.sha256(data).hexdigest() != self.attachment.sha256:
            self.set_status(
                _("Not saved: the bytes received do not match the attachment's sha256; try again"),
                error=True,
            )
            return
        target = await self.write(data, self.safe_name, folder)
        if target is None:
            return
        self.app.last_save_folder = target.parent  # the next save starts there
        self.app.notify(
            _("Saved {path}").format(path=shown_path(target)),
            title=_("Attachment saved"),
            markup=False,
        )
        if not self.gone:  # closed (or the app quit) while the file was written
            self.dismiss(target)
