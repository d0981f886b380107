"""Writing long text in the user's own editor (``$VISUAL``, else ``$EDITOR``), as mutt does.

No Textual here: the CLI calls :func:`edit_text` directly, the TUI inside ``App.suspend()``.
A new conversation is edited as one file: a ``Subject:`` header line, a blank line, the body
(:func:`compose_file` and :func:`parse_compose_file`).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .i18n import _

SUBJECT_HEADER = "Subject:"


class EditorError(Exception):
    """The editor could not be used; ``str(err)`` says why. The text is left as it was."""


def editor_command(env: Mapping[str, str] | None = None) -> list[str]:
    """The editor command line from ``$VISUAL`` or ``$EDITOR`` (it may carry options, e.g.
    ``code --wait``). Raises EditorError when neither is set."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                command = shlex.split(value)
            except ValueError as exc:
                text = _("${name} cannot be read ({reason}): {value}")
                raise EditorError(text.format(name=name, reason=exc, value=value)) from None
            if command:
                return command
    raise EditorError(_("No editor: set $VISUAL or $EDITOR (e.g. export EDITOR=vim)"))


def edit_text(text: str, *, suffix: str = ".txt") -> str:
    """Open ``text`` in the user's editor and return what it holds when the editor exits
    (trailing newlines dropped: editors add one). Blocks until then: in the TUI, call it
    inside ``App.suspend()``. Raises EditorError (no editor set, not found, or it failed)."""
    command = editor_command()
    # A private folder (mode 0700): the draft may be confidential.
    with tempfile.TemporaryDirectory(prefix="netmsg-") as folder:
        path = Path(folder) / f"message{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except FileNotFoundError:
            text = _("The editor {editor} was not found")
            raise EditorError(text.format(editor=repr(command[0]))) from None
        except OSError as exc:
            text = _("The editor {editor} could not start: {reason}")
            raise EditorError(text.format(editor=repr(command[0]), reason=exc)) from None
        if done.returncode != 0:
            text = _(
                "The editor {editor} failed (exit status {status}); the text was kept as it was"
            )
            raise EditorError(text.format(editor=repr(command[0]), status=done.returncode))
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            text = _("The edited text cannot be read: {reason}")
            raise EditorError(text.format(reason=exc)) from None
    return edited.rstrip("\n")


def compose_file(subject: str, body: str) -> str:
    """A new conversation as one file: the subject header, a blank line, the body."""
    return f"{SUBJECT_HEADER} {subject}\n\n{body}"


def parse_compose_file(text: str) -> tuple[str | None, str]:
    """``(subject, body)`` from a file written by :func:`compose_file` and edited; ``subject``
    is None when the first line is no ``Subject:`` header (then all of it is the body)."""
    first, newline, rest = text.partition("\n")
    if not first.lower().startswith(SUBJECT_HEADER.lower()):
        return None, text
    subject = first[len(SUBJECT_HEADER) :].strip()
    if rest.startswith("\n"):
        rest = rest[1:]  # the blank line after the header
    return subject, rest
