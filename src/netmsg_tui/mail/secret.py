"""Where the HMAC secret for reply tokens lives (never in config.toml).

1. ``NETMSG_MAIL_SECRET``: one secret, or several separated by commas (current first, then the
   previous ones that are still accepted), e.g. from a container's secret store.
2. Otherwise the file ``mail-secret`` in the user data folder (or ``NETMSG_MAIL_SECRET_FILE``):
   one secret per line, current first. It is created with a random secret and mode 0600 on first
   use. ``netmsg mail rotate-secret`` puts a new secret first and keeps the previous one, so
   replies to notifications sent before the rotation still verify; older lines are dropped.

The sender (``netmsg notify`` / ``netmsg serve``) and the receiver (``netmsg mail ingest``) must
see the same secret: run them as the same user, or give both the same environment variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEEP_PREVIOUS = 1


class SecretError(Exception):
    """The secret cannot be read or is unusable; the message says what to do."""


def secret_path() -> Path:
    env = os.environ.get("NETMSG_MAIL_SECRET_FILE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("netmsg-tui") / "mail-secret"


def load_secrets() -> list[bytes]:
    """The secrets, current first. Creates the secret file when neither source exists."""
    env = os.environ.get("NETMSG_MAIL_SECRET")
    if env:
        found = [s.strip().encode() for s in env.split(",") if s.strip()]
        return _checked(found, "NETMSG_MAIL_SECRET")
    path = secret_path()
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        _write(path, [secrets.token_hex(32)])
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"Cannot read the mail secret file {path}: {exc}") from None
    if path.stat().st_mode & 0o077:
        raise SecretError(
            f"The mail secret file {path} is readable by others; run 'chmod 600 {path}'"
        )
    return _checked([line.strip().encode() for line in text.splitlines() if line.strip()], path)


def rotate_secret() -> Path:
    """Put a new random secret first in the secret file and keep the previous one."""
    if os.environ.get("NETMSG_MAIL_SECRET"):
        raise SecretError(
            "NETMSG_MAIL_SECRET is set: rotate by setting it to 'NEW,OLD' (comma-separated)"
        )
    path = secret_path()
    old = [s.decode() for s in load_secrets()]
    _write(path, [secrets.token_hex(32), *old[:KEEP_PREVIOUS]])
    return path


def _checked(found: list[bytes], where: object) -> list[bytes]:
    if not found:
        raise SecretError(f"No mail secret in {where}")
    if any(len(s) < 16 for s in found):
        raise SecretError(f"A mail secret in {where} is shorter than 16 characters")
    return found


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
