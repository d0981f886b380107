"""The 📎 attachment chooser: browse folders, see sizes, pick a file; refusals said on screen.

Why our own widgets and not a ready-made picker: Textual's ``DirectoryTree`` shows no sizes, has no
way to mark a file as refused, adds a tree node per entry (a 10,000-entry folder is slow to expand)
and follows the tree model where a flat, type-to-go list is quicker by keyboard; textual-fspicker
would add a dependency for a dialog whose core (sizes, the 10 MiB mark, refusing FIFOs without
opening them) we would have to rebuild anyway. So: an OptionList (renders only visible rows) fed
by ``files.list_folder`` in a thread worker, and an Input with path completion.

Decisions: empty files are refused (see ``model``); hidden files are off by default; the
chooser checks a file when it is listed and again when chosen (it may have changed), and the
composer checks it a third time when sending. Nothing is ever opened here: only stat'ed.

The folder is shown with the home folder as ``~`` (typed back, ``~`` is read as home), but
the chooser dismisses with the chosen file's absolute ``Path``, or None when cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...files import (
    AttachmentFileError,
    FolderEntry,
    file_problem,
    folder_problem,
    list_folder,
    shown_path,
)
from ...i18n import N_, _, formats
from ...model import MAX_ATTACHMENT_BYTES, human_size
from ...terminal_text import printable
from ..base import NetmsgModalScreen
from ..widgets.attach_path_input import PathInput, expand_path
from ..widgets.file_list import PARENT_ID, FileList, build_options

BATCH = 500  # rows handed to the list per step: short steps keep the screen responsive
#: One line of the dialog (76 columns at 80×24), in German too.
HINTS = N_("Enter open/attach · ⌫ up · ~ home · . hidden · / type a path · Esc cancel")


def limit_text() -> str:
    """``up to 10 MiB (10,485,760 bytes) per file``, numbers as the language writes them."""
    return _("up to 10 MiB ({bytes} bytes) per file").format(
        bytes=formats.count(MAX_ATTACHMENT_BYTES)
    )


class AttachmentChooser(NetmsgModalScreen[Path | None]):
    """Pick one file to attach, starting in ``start`` (default: the current directory)."""

    DEFAULT_CSS = """
    AttachmentChooser { align: center middle; }
    AttachmentChooser > #chooser {
        width: 100%; max-width: 110; height: 100%; max-height: 40;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    AttachmentChooser #chooser-title { text-style: bold; }
    AttachmentChooser #chooser-path { margin: 1 0 0 0; }
    AttachmentChooser #chooser-list { height: 1fr; border: none; }
    AttachmentChooser #chooser-status { height: auto; max-height: 3; color: $text-muted; }
    AttachmentChooser #chooser-status.-refused { color: $error; text-style: bold; }
    AttachmentChooser #chooser-hints { color: $text-muted; height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="chooser-cancel"),
        Binding("backspace", "parent", N_("Up a folder"), id="chooser-parent"),
        Binding("tilde", "home", N_("Home folder"), id="chooser-home"),
        Binding("full_stop", "toggle_hidden", N_("Hidden files"), id="chooser-hidden"),
        Binding("slash,ctrl+l", "focus_path", N_("Type a path"), id="chooser-path"),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.folder = (start or Path.cwd()).absolute()
        self.show_hidden = False
        self._generation = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser"):
            title = _("📎 Attach a file — {limit}").format(limit=limit_text())
            yield Static(title, id="chooser-title", markup=False)
            yield PathInput(
                shown_path(self.folder) + "/",
                placeholder=_("Type a path"),
                compact=True,
                id="chooser-path",
            )
            yield FileList(id="chooser-list")
            yield Static("", id="chooser-status", markup=False)
            yield Static(_(HINTS), id="chooser-hints", markup=False)

    def on_mount(self) -> None:
        self.query_one(FileList).focus()
        self.open_folder(self.folder)

    # -- listing -----------------------------------------------------------------------------
    def open_folder(self, folder: Path, select: Path | None = None) -> None:
        """List ``folder`` in a worker; the current listing stays until the new one is ready."""
        self.set_status(_("Reading {folder} …").format(folder=shown_path(folder)))
        self._generation += 1
        self._list_folder(folder, self.show_hidden, select, self._generation)

    @work(thread=True, exclusive=True, group="chooser-list")
    def _list_folder(
        self, folder: Path, show_hidden: bool, select: Path | None, generation: int
    ) -> None:
        worker = get_current_worker()
        try:
            entries = list_folder(folder, show_hidden=show_hidden)
        except AttachmentFileError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._refuse_folder, str(exc), generation)
            return
        options = build_options(entries)
        self.app.call_from_thread(self._start_folder, folder, generation)
        for first in range(0, len(entries), BATCH):
            if worker.is_cancelled:
                return
            batch = slice(first, first + BATCH)
            self.app.call_from_thread(
                self._add_rows, entries[batch], options[batch], len(entries), generation
            )
        if not worker.is_cancelled:
            self.app.call_from_thread(self._finish_folder, select, generation)

    # A newer listing may have started while a thread was handing over rows: the generation
    # number lets late batches of the old one be dropped.
    def _refuse_folder(self, reason: str, generation: int) -> None:
        if generation == self._generation and not self.gone:
            self.set_status(reason, refused=True)

    def _start_folder(self, folder: Path, generation: int) -> None:
        if generation != self._generation or self.gone:  # gone: the dialog closed meanwhile
            return
        self.folder = folder
        slash = "" if folder == folder.parent else "/"
        self.query_one(PathInput).value = shown_path(folder) + slash
        self.query_one(FileList).start(folder)

    def _add_rows(
        self, entries: list[FolderEntry], options: list[Option], total: int, generation: int
    ) -> None:
        if generation == self._generation and not self.gone:
            file_list = self.query_one(FileList)
            file_list.extend(entries, options)
            if len(file_list.entries) < total:
                self.set_status(
                    _("Reading {done} of {total} entries …").format(
                        done=formats.count(len(file_list.entries)), total=formats.count(total)
                    )
                )

    def _finish_folder(self, select: Path | None, generation: int) -> None:
        if generation != self._generation or self.gone:
            return
        file_list = self.query_one(FileList)
        if select is not None:
            file_list.select_path(select)
        entries = file_list.entries
        files = sum(not e.is_dir for e in entries)
        summary = _("{folders} folders, {files} files").format(
            folders=formats.count(len(entries) - files), files=formats.count(files)
        )
        self._describe(file_list.highlighted_entry, fallback=summary)
        if not entries:
            self.set_status(_("This folder is empty"))
        elif file_list.highlighted_entry is None:
            self.set_status(summary)

    # -- status line ---------------------------------------------------------------------------
    def set_status(self, text: str, *, refused: bool = False) -> None:
        status = self.query_one("#chooser-status", Static)
        status.update(printable(text))  # file names: anyone can name a file
        status.set_class(refused, "-refused")

    def _describe(self, entry: FolderEntry | None, fallback: str = "") -> None:
        if entry is None:
            if fallback:
                self.set_status(fallback)
            return
        if entry.problem:
            self.set_status(entry.problem, refused=True)
        elif entry.is_dir:
            self.set_status(_("{name}/ — Enter to open").format(name=entry.name))
        else:
            size = human_size(entry.size or 0)
            self.set_status(
                _("{name} — {size} — Enter to attach").format(name=entry.name, size=size)
            )

    @on(OptionList.OptionHighlighted, "#chooser-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(self.query_one(FileList).entry_at(event.option_index))

    # -- choosing ------------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#chooser-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == PARENT_ID:
            self.action_parent()
            return
        entry = self.query_one(FileList).entry_at(event.option_index)
        if entry is not None:
            self.choose(entry.path)

    @on(Input.Submitted, "#chooser-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.choose(expand_path(event.value, self.folder))

    def choose(self, path: Path) -> None:
        """Open a folder, or attach a file if it passes the checks; otherwise say why not.

        Checked again now, not trusted from the listing: the file may have changed since.
        """
        if path.is_dir():
            if problem := folder_problem(path):
                self.set_status(problem, refused=True)
            else:
                self.open_folder(path)
                self.query_one(FileList).focus()
            return
        if problem := file_problem(path):
            self.set_status(_("Not attached: {problem}").format(problem=problem), refused=True)
            return
        self.dismiss(path.absolute())

    # -- actions -------------------------------------------------------------------------------
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_parent(self) -> None:
        if self.folder.parent != self.folder:
            self.open_folder(self.folder.parent, select=self.folder)

    def action_home(self) -> None:
        self.open_folder(Path.home())

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        selected = self.query_one(FileList).highlighted_entry
        shown = _("Hidden files shown") if self.show_hidden else _("Hidden files hidden")
        self.notify(shown, timeout=2)
        self.open_folder(self.folder, select=selected.path if selected else None)

    def action_focus_path(self) -> None:
        path_input = self.query_one(PathInput)
        path_input.focus()
        path_input.action_end()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing a path, Backspace, ~, . and / are text, not commands.
        if action in {"parent", "home", "toggle_hidden", "focus_path"}:
            return not isinstance(self.focused, Input)
        return True
