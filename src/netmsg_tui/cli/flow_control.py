"""Ctrl+s typed while the TUI starts reaches it.

Until Textual puts the terminal in raw mode, the terminal is as the shell left it: cooked, with
IXON on, so the terminal driver takes ctrl+s as XOFF (output paused) and no program ever reads
it: a ctrl+s (Send) typed ahead while the app loaded was lost. From the start of the TUI, IXON
is off. At its end the attributes are put back as they were before: Textual's own restore puts
back the copy it took when it started, with IXON off already.

Keys typed before the TUI's code runs (while Python starts) still meet IXON on.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def flow_control_off() -> Iterator[None]:
    """IXON off on standard input while the block runs, if it is a terminal; its attributes
    as they were put back after it, also when it raises. Nothing is touched otherwise."""
    try:
        import termios
    except ImportError:  # not a POSIX system: no such terminal flag
        yield
        return
    fd = _terminal_fd()
    saved: list[Any] | None = None
    if fd is not None:
        with contextlib.suppress(termios.error):
            saved = termios.tcgetattr(fd)
    if fd is None or saved is None:
        yield
        return
    changed = list(saved)
    changed[0] = saved[0] & ~termios.IXON
    # TCSANOW: the keys typed so far stay in the terminal's input for the app (TCSAFLUSH would
    # drop them); turning IXON off also resumes output a ctrl+s typed even earlier paused.
    with contextlib.suppress(termios.error):
        termios.tcsetattr(fd, termios.TCSANOW, changed)
    try:
        yield
    finally:
        with contextlib.suppress(termios.error):  # the terminal may be gone (a hang-up)
            termios.tcsetattr(fd, termios.TCSANOW, saved)


def _terminal_fd() -> int | None:
    stdin = sys.stdin
    if stdin is None:
        return None
    try:
        fd = stdin.fileno()
        return fd if stdin.isatty() else None
    except (OSError, ValueError):  # closed, or not backed by a file descriptor
        return None
