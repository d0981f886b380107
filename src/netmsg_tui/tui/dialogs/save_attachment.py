"""Save a received attachment: pick a folder, never overwrite without asking, say where it went.

The name on disk is ``model.safe_filename`` of the sender's name: a name like ``../../.bashrc``
or one with control characters lands inside the chosen folder as ``bashrc`` / ``a_b.pdf``.
The bytes are checked against the attachment's sha256 before anything is written, so a
damaged download is refused instead of saved. Dismisses with the saved path, or None.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ...files import AttachmentFileError, save_attachment
from ...i18n import N_, _, formats
from ...model import Attachment, human_size, safe_filename
from ...store import MessageStore, StoreError
from ...terminal_text import printable, printable_line
from ..base import NetmsgModalScreen
from ..widgets.attach_path_input import PathInput, expand_path, path_text


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


class ConfirmOverwrite(NetmsgModalScreen[bool]):
    """ "<name> already exists in <folder>. Replace it?" — Escape keeps the existing file."""

    DEFAULT_CSS = """
    ConfirmOverwrite { align: center middle; }
    ConfirmOverwrite > Vertical {
        width: 70; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 0 1;
    }
    ConfirmOverwrite Horizontal { height: auto; margin-top: 1; }
    ConfirmOverwrite Button { margin-right: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", N_("Keep the existing file"), id="overwrite-keep"),
    ]

    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                printable(
                    _("{name} already exists in {folder}.\nReplace it?").format(
                        name=path_text(Path(self.target.name)),
                        folder=path_text(self.target.parent),
                    )
                ),
                markup=False,
                id="overwrite-question",
            )
            with Horizontal():
                yield Button(_("Keep existing"), id="overwrite-no", variant="primary")
                yield Button(_("Replace"), id="overwrite-yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#overwrite-no", Button).focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite-yes")

    def action_keep(self) -> None:
        self.dismiss(False)


class SaveAttachmentDialog(NetmsgModalScreen[Path | None]):
    """Save ``attachment`` into a folder chosen by the user (default: the current directory)."""

    DEFAULT_CSS = """
    SaveAttachmentDialog { align: center middle; }
    SaveAttachmentDialog > #save {
        width: 100%; max-width: 90; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    SaveAttachmentDialog #save-title { text-style: bold; }
    SaveAttachmentDialog #save-details { color: $text-muted; margin-bottom: 1; }
    SaveAttachmentDialog #save-status { height: auto; }
    SaveAttachmentDialog #save-status.-error { color: $error; text-style: bold; }
    SaveAttachmentDialog Horizontal { height: auto; margin-top: 1; }
    SaveAttachmentDialog Button { margin-right: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="save-cancel"),
    ]

    def __init__(self, attachment: Attachment, folder: Path | None = None) -> None:
        super().__init__()
        self.attachment = attachment
        self.folder = (folder or Path.cwd()).absolute()
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
            yield PathInput(path_text(self.folder) + "/", folders_only=True, id="save-folder")
            yield Static(name_line, id="save-name", markup=False)
            yield Static("", id="save-status", markup=False)
            with Horizontal():
                yield Button(_("Save"), id="save-button", variant="primary")
                yield Button(_("Cancel"), id="save-close")

    def on_mount(self) -> None:
        self.query_one(PathInput).focus()

    def set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#save-status", Static)
        status.update(printable(text))
        status.set_class(error, "-error")

    @on(Input.Submitted, "#save-folder")
    @on(Button.Pressed, "#save-button")
    def _save_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        folder = expand_path(self.query_one(PathInput).value or ".", Path.cwd())
        self.save(folder)

    @on(Button.Pressed, "#save-close")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="save-attachment")
    async def save(self, folder: Path) -> None:
        """Fetch the bytes, verify them, write them; ask before replacing an existing file."""
        self.set_status(_("Saving …"))
        store: MessageStore = self.app.store
        try:
            data = await store.read_attachment(self.attachment.id)
        except StoreError as exc:
            self.set_status(_("Not saved: {error}").format(error=exc), error=True)
            return
        if hashlib.sha256(data).hexdigest() != self.attachment.sha256:
            self.set_status(
                _("Not saved: the bytes received do not match the attachment's sha256; try again"),
                error=True,
            )
            return
        try:
            target = await asyncio.to_thread(save_attachment, data, self.safe_name, folder)
        except FileExistsError:
            existing = folder / self.safe_name
            if not await self.app.push_screen_wait(ConfirmOverwrite(existing)):
                kept = _("Not saved: kept the existing {path}").format(path=path_text(existing))
                self.set_status(kept, error=True)
                return
            try:
                target = await asyncio.to_thread(
                    save_attachment, data, self.safe_name, folder, overwrite=True
                )
            except (AttachmentFileError, OSError) as exc:
                self.set_status(_("Not saved: {error}").format(error=exc), error=True)
                return
        except (AttachmentFileError, OSError) as exc:
            self.set_status(_("Not saved: {error}").format(error=exc), error=True)
            return
        self.app.last_save_folder = target.parent  # the next save starts there
        self.app.notify(
            _("Saved {path}").format(path=path_text(target)),
            title=_("Attachment saved"),
            markup=False,
        )
        self.dismiss(target)
