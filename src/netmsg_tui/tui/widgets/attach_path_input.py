"""A path field with completion, shared by the attachment chooser and the save dialog.

Completion is Textual's inline suggestion (grey text after the cursor): Tab, → or End accept it.
The folder is listed in a thread so a slow or huge folder never blocks typing.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester

from ...i18n import N_
from .plain_input import PlainInput


def expand_path(text: str, base: Path) -> Path:
    """What the user typed, as a path: ``~`` expanded, relative to ``base``."""
    path = Path(os.path.expanduser(text.strip()))
    return path if path.is_absolute() else base / path


def _completion(value: str, folders_only: bool) -> str | None:
    if not value:
        return None
    typed_dir, sep, prefix = value.rpartition(os.sep)
    folder = Path(os.path.expanduser(typed_dir + sep)) if sep else Path.cwd()
    try:
        with os.scandir(folder) as items:
            names = sorted(
                (item.name, item.is_dir())
                for item in items
                if item.name.startswith(prefix)
                and (prefix.startswith(".") or not item.name.startswith("."))
            )
    except OSError:
        return None
    for name, is_dir in names:
        if folders_only and not is_dir:
            continue
        if name == prefix and not is_dir:
            continue
        completed = value[: len(value) - len(prefix)] + name + (os.sep if is_dir else "")
        if completed != value and completed.isprintable():
            return completed
    return None


class PathSuggester(Suggester):
    """Suggests the first entry of the typed folder whose name starts with the typed prefix."""

    def __init__(self, *, folders_only: bool = False) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.folders_only = folders_only

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(_completion, value, self.folders_only)


class PathInput(PlainInput):
    """An Input whose Tab accepts the completion (and moves focus on when there is none)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", N_("Complete path"), show=False, id="path-complete"),
    ]

    def __init__(
        self,
        value: str = "",
        *,
        folders_only: bool = False,
        placeholder: str = "",
        compact: bool = False,
        id: str | None = None,
    ) -> None:
        suggester = PathSuggester(folders_only=folders_only)
        super().__init__(
            value, placeholder, suggester=suggester, select_on_focus=False, compact=compact, id=id
        )

    def action_complete(self) -> None:
        before = self.value
        self.action_end()
        self.action_cursor_right()  # accepts a pending suggestion when at the end
        if self.value == before:
            self.screen.focus_next()
