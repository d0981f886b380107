"""Small editors for tests: scripts set as $VISUAL/$EDITOR that edit the file they are given,
as a person would, or fail."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

_REPLACE = """import pathlib, sys
path = pathlib.Path(sys.argv[-1])
pathlib.Path({seen!r}).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
path.write_text({text!r}, encoding="utf-8")
"""
_FAIL = """import sys
sys.exit(3)
"""


def replacing_editor(folder: Path, text: str) -> str:
    """An editor command that writes ``text`` into the file (after keeping what it was given
    in ``folder/seen.txt``)."""
    script = folder / "editor.py"
    script.write_text(_REPLACE.format(seen=str(folder / "seen.txt"), text=text))
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def failing_editor(folder: Path) -> str:
    """An editor command that exits with status 3 and leaves the file alone."""
    script = folder / "failing_editor.py"
    script.write_text(_FAIL)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
