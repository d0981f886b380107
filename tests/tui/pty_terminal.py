"""A real pseudo-terminal for the app: every byte it writes is kept, keys are typed into it.

Waits are for conditions (a marker in the output) with a bounded deadline, never fixed sleeps.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence


class PtyTerminal:
    """``argv`` running on the slave side of a new pty of ``cols`` × ``rows``; ``pass_fds``
    are inherited too."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        cols: int = 80,
        rows: int = 24,
        pass_fds: Sequence[int] = (),
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        #: The terminal's attributes before the app ran (``termios.tcgetattr``).
        self.attributes_at_start = termios.tcgetattr(slave)
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            start_new_session=True,  # the pty becomes the app's controlling terminal
            close_fds=True,
            pass_fds=tuple(pass_fds),
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.ended = False

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the app closed the terminal
            chunk = b""
        if chunk:
            self.output += chunk
        else:
            self.ended = True

    def read_until(self, marker: bytes, what: str, *, start: int = 0, timeout: float = 30) -> int:
        """Read until ``marker`` is in the output after offset ``start``; its offset."""
        deadline = time.monotonic() + timeout
        while (found := self.output.find(marker, start)) < 0:
            if self.ended:
                raise AssertionError(f"the app ended before {what}: {self.tail()!r}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {self.tail()!r}")
            self._read(deadline - time.monotonic())
        return found

    def pump(self, timeout: float) -> None:
        """Read what the app wrote within ``timeout`` seconds (a full pty would block it)."""
        self._read(timeout)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self, quit_keys: bytes, *, timeout: float = 30) -> int:
        """Type ``quit_keys``, read until the app has closed the terminal; its exit code."""
        try:
            return self.quit(quit_keys, timeout=timeout)
        finally:
            self.close()

    def quit(self, quit_keys: bytes, *, timeout: float = 30) -> int:
        """:meth:`finish`, the pty still open (its attributes can be read): the exit code."""
        self.type(quit_keys)
        deadline = time.monotonic() + timeout
        while not self.ended and time.monotonic() < deadline:
            self._read(deadline - time.monotonic())
        return self.proc.wait(max(deadline - time.monotonic(), 1))

    def attributes(self) -> list[object]:
        """The terminal's attributes now, as the app's side sees them (a pty master answers
        for its slave)."""
        return termios.tcgetattr(self.master)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def tail(self, size: int = 400) -> bytes:
        return bytes(self.output[-size:])
