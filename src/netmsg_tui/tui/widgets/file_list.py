"""The attachment chooser's folder listing: one row per entry, size first, refusals marked.

An OptionList renders only the visible rows, so a folder of 10,000 entries scrolls as freely as
one of ten; the entries themselves are read in a thread by the screen (``files.list_folder``).
"""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...files import FolderEntry
from ...i18n import _
from ...model import human_size
from ...terminal_text import printable_line

PARENT_ID = "parent"
SIZE_WIDTH = 10


def entry_prompt(entry: FolderEntry) -> Content:
    """``  1.5 MiB  report.pdf``, ``  folder  drafts/``, ``  10.0 MiB  big.iso  ✗ too large``."""
    if entry.is_dir:
        size = _("folder")
    elif entry.size is None:
        size = "—"
    else:
        size = human_size(entry.size)
    name = printable_line(entry.name) + ("/" if entry.is_dir else "")  # anyone names files
    parts: list[tuple[str, str]] = [
        (f"{size:>{SIZE_WIDTH}}  ", "dim"),
        (name, "bold" if entry.is_dir else ("strike" if entry.tag else "")),
    ]
    if entry.tag:
        parts.append((f"  ✗ {entry.tag}", "bold $error"))
    return Content.assemble(*parts)


class FileList(OptionList):
    """The entries of one folder, with a ``..`` row on top unless the folder is the root."""

    DEFAULT_CSS = """
    FileList { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.entries: list[FolderEntry] = []
        self.has_parent_row = False

    def start(self, folder: Path) -> None:
        """Empty the list for ``folder``; rows follow in batches through :meth:`extend`."""
        self.entries = []
        self.has_parent_row = folder.parent != folder
        up = f"{'..':>{SIZE_WIDTH}}  " + _("(parent folder)")
        parent = Option(Content.styled(up, "dim"), PARENT_ID)
        self.set_options([parent] if self.has_parent_row else [])

    def extend(self, entries: list[FolderEntry], options: list[Option]) -> None:
        """Append rows. Batches keep each step short: the option list measures every row it
        is given, and 10,000 rows at once would freeze the screen for most of a second."""
        self.entries.extend(entries)
        self.add_options(options)
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def select_path(self, path: Path) -> None:
        for index, entry in enumerate(self.entries):
            if entry.path == path:
                self.highlighted = index + self.has_parent_row
                return

    def entry_at(self, index: int | None) -> FolderEntry | None:
        """The entry of a row; None for the ``..`` row (or no row)."""
        if index is None:
            return None
        index -= self.has_parent_row
        return self.entries[index] if 0 <= index < len(self.entries) else None

    @property
    def highlighted_entry(self) -> FolderEntry | None:
        return self.entry_at(self.highlighted)


def build_options(entries: list[FolderEntry]) -> list[Option]:
    """Rows for ``entries``; safe to call from a thread (plain objects, no DOM)."""
    return [Option(entry_prompt(entry)) for entry in entries]
