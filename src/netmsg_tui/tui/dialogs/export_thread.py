"""Export a thread to a file (the thread screen's ``e``): pick the format and confirm the folder;
an existing file is replaced only when the user says so. Dismisses with the written path, or None.

The file is what ``netmsg export`` writes (see :mod:`netmsg_tui.export`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, RadioSet, Static

from ...export import ExportFormat, default_filename, gather, render
from ...files import shown_path
from ...i18n import N_, _
from ...model import Conversation
from ...store import StoreError
from ..widgets.attach_path_input import PathInput
from ..widgets.toggles import TextRadioButton as RadioButton  # (•)/( ), not ▐●▌ for all
from .write_file import WriteFileDialog

#: The formats as the dialog offers them, in order.
CHOICES: tuple[tuple[ExportFormat, str], ...] = (
    ("md", N_("Markdown (readable; attachments listed with sha256)")),
    ("eml", N_("Mail: an mbox of the messages with their attachments")),
    ("json", N_("JSON (the API's shape)")),
)


class ExportThreadDialog(WriteFileDialog):
    DEFAULT_CSS = """
    ExportThreadDialog #export-title { text-style: bold; }
    ExportThreadDialog RadioSet { width: 100%; border: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="export-cancel"),
    ]

    STATUS_ID = "export-status"
    NOT_WRITTEN = N_("Not exported: {error}")
    KEPT = N_("Not exported: kept the existing {path}")

    def __init__(self, conversation: Conversation, folder: Path | None = None) -> None:
        super().__init__(folder)
        self.conversation = conversation

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static(_("Export this thread"), id="export-title")
            with RadioSet(id="export-format"):
                for index, (fmt, label) in enumerate(CHOICES):
                    yield RadioButton(_(label), value=index == 0, id=f"format-{fmt}")
            yield Static(_("Into folder (Tab completes, Enter exports):"), markup=False)
            yield PathInput(shown_path(self.folder) + "/", folders_only=True, id="export-folder")
            yield self.status_line()
            with Horizontal():
                yield Button(_("Export"), id="export-button", variant="primary")
                yield Button(_("Cancel"), id="export-close")

    @property
    def format(self) -> ExportFormat:
        index = self.query_one(RadioSet).pressed_index
        return CHOICES[max(index, 0)][0]

    @on(Input.Submitted, "#export-folder")
    @on(Button.Pressed, "#export-button")
    def _export_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.export(self.chosen_folder(), self.format)

    @on(Button.Pressed, "#export-close")
    def _close_pressed(self) -> None:
        self.action_cancel()

    @work(exclusive=True, group="export-thread")
    async def export(self, folder: Path, fmt: ExportFormat) -> None:
        self.set_status(_("Exporting …"))
        try:
            thread = await gather(self.app.store, self.conversation.id, with_files=fmt == "eml")
        except StoreError as exc:
            self.not_written(exc)
            return
        data = await asyncio.to_thread(render, thread, fmt)
        name = default_filename(self.conversation, fmt)
        target = await self.write(data, name, folder)
        if target is None:
            return
        self.app.notify(
            _("Exported to {path}").format(path=shown_path(target)),
            title=_("Thread exported"),
            markup=False,
        )
        if not self.gone:  # closed (or the app quit) while the file was written
            self.dismiss(target)
