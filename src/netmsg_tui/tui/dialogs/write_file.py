"""Writing one file into a folder the user picks (an attachment saved, a thread exported): the
folder field, the status line, and the write that asks before an existing file is replaced.

Paths are shown as the attachment chooser shows them, the home folder as ``~`` (``shown_path``);
what is typed is read back with ``~`` as home (``expand_path``), so files go where they did."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ...files import AttachmentFileError, path_text, save_attachment, shown_path
from ...i18n import N_, _
from ...terminal_text import printable
from ..base import NetmsgModalScreen
from ..widgets.attach_path_input import PathInput, expand_path
from .question_box import QuestionBox


class ConfirmOverwrite(QuestionBox[bool]):
    """ "<name> already exists in <folder>. Replace it?" — Escape keeps the existing file."""

    DEFAULT_CSS = """
    ConfirmOverwrite > Vertical { width: 70; }
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
                        folder=shown_path(self.target.parent),
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


class WriteFileDialog(NetmsgModalScreen[Path | None]):
    """A dialog that writes one file into a folder: dismissed with the written path, or None.

    A subclass yields a :class:`PathInput` and :meth:`status_line`, and names the failures in
    its own words: ``NOT_WRITTEN`` (with ``{error}``) and ``KEPT`` (with ``{path}``).
    """

    DEFAULT_CSS = """
    WriteFileDialog { align: center middle; }
    WriteFileDialog > Vertical {
        width: 100%; max-width: 90; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    WriteFileDialog .status { height: auto; }
    WriteFileDialog .status.-error { color: $error; text-style: bold; }
    WriteFileDialog Horizontal { height: auto; margin-top: 1; }
    WriteFileDialog Button { margin-right: 2; }
    """

    STATUS_ID = ""
    NOT_WRITTEN = ""
    KEPT = ""

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = (folder or Path.cwd()).absolute()

    def on_mount(self) -> None:
        self.query_one(PathInput).focus()

    def chosen_folder(self) -> Path:
        return expand_path(self.query_one(PathInput).value or ".", Path.cwd())

    def status_line(self) -> Static:
        """What is going on, or why nothing was written (then in the error colour)."""
        return Static("", id=self.STATUS_ID, classes="status", markup=False)

    def set_status(self, text: str, *, error: bool = False) -> None:
        if self.gone:  # said by a worker that awaited the store or the disk: the dialog went
            return
        status = self.query_one(f"#{self.STATUS_ID}", Static)
        status.update(printable(text))
        status.set_class(error, "-error")

    def not_written(self, error: object) -> None:
        self.set_status(_(self.NOT_WRITTEN).format(error=error), error=True)

    def action_cancel(self) -> None:
        self.dismiss(None)

    async def write(self, data: bytes, name: str, folder: Path) -> Path | None:
        """``data`` as ``name`` in ``folder``; a file already there is replaced only when the
        user says so. None when nothing was written: the status line says why."""
        try:
            return await asyncio.to_thread(save_attachment, data, name, folder)
        except FileExistsError:
            existing = folder / name
            if not await self.app.push_screen_wait(ConfirmOverwrite(existing)):
                self.set_status(_(self.KEPT).format(path=shown_path(existing)), error=True)
                return None
            try:
                return await asyncio.to_thread(save_attachment, data, name, folder, overwrite=True)
            except (AttachmentFileError, OSError) as exc:
                self.not_written(exc)
                return None
        except (AttachmentFileError, OSError) as exc:
            self.not_written(exc)
            return None
