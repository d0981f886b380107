"""Where API tokens come from, in this order:

1. the ``NETMSG_TOKEN`` environment variable (scripts, CI, one-off use);
2. the token file, for servers you chose it for (``netmsg login URL --file``): JSON, mode 0600,
   in the user config folder (``NETMSG_TOKEN_FILE`` names another file); refused if others can
   read it. It comes before the keyring so that someone who chose it because the keyring is
   locked does not wait for that keyring on every start;
3. the system keyring (service ``netmsg-tui``, one entry per server URL). Every keyring call runs
   on a helper thread with a timeout: a locked keyring over SSH, or one that pops up a dialog
   nobody can see, must never hang the app, and after one timeout it is not asked again in that
   process. A missing or failing keyring is reported in words.

A server has one stored token: logging in to the keyring removes its entry from the file.

Tokens are never written to config.toml.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

from .i18n import N_, _

SERVICE = "netmsg-tui"
DEFAULT_KEYRING_TIMEOUT = 3.0


class CredentialError(Exception):
    """A token cannot be stored or read; the message says why and what to do instead."""


def normalise(url: str) -> str:
    return url.strip().rstrip("/").lower()


def keyring_timeout() -> float:
    try:
        return float(os.environ.get("NETMSG_KEYRING_TIMEOUT", DEFAULT_KEYRING_TIMEOUT))
    except ValueError:
        return DEFAULT_KEYRING_TIMEOUT


def token_file_path() -> Path:
    if override := os.environ.get("NETMSG_TOKEN_FILE"):
        return Path(override)
    import platformdirs

    return platformdirs.user_config_path("netmsg-tui") / "tokens.json"


# --- keyring, with a timeout --------------------------------------------------------------------
_stuck: list[str] = []  # the keyring hung once in this process: do not wait for it again


def retry_keyring() -> None:
    """Ask the keyring again from now on (say, after the user unlocked it)."""
    _stuck.clear()


def _with_timeout(action: str, work: Any) -> Any:
    """Run ``work()`` on a daemon thread; give up after the timeout (the thread is abandoned)."""
    if _stuck:
        raise CredentialError(_stuck[0])
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as exc:  # reported to the caller below
            result["error"] = exc

    thread = threading.Thread(target=run, name="netmsg-keyring", daemon=True)
    thread.start()
    thread.join(keyring_timeout())
    if thread.is_alive():
        _stuck.append(
            _(
                "The system keyring did not answer within {seconds} s while trying to "
                "{action} (is it locked, or waiting for a password prompt you cannot see?)"
            ).format(seconds=f"{keyring_timeout():g}", action=_(action))
        )
        raise CredentialError(_stuck[0])
    if "error" in result:
        error = result["error"]
        name = type(error).__name__
        if name in ("NoKeyringError", "InitError") or "No recommended backend" in str(error):
            raise CredentialError(_("No system keyring is available on this machine"))
        text = _("The system keyring failed while trying to {action}: {error}")
        raise CredentialError(text.format(action=_(action), error=error))
    return result.get("value")


def _keyring() -> Any:
    import keyring

    return keyring


def keyring_get(url: str) -> str | None:
    value = _with_timeout(
        N_("read the token"), lambda: _keyring().get_password(SERVICE, normalise(url))
    )
    return value if isinstance(value, str) and value else None


def keyring_set(url: str, token: str) -> None:
    _with_timeout(
        N_("store the token"), lambda: _keyring().set_password(SERVICE, normalise(url), token)
    )


def keyring_delete(url: str) -> bool:
    def work() -> bool:
        keyring = _keyring()
        try:
            keyring.delete_password(SERVICE, normalise(url))
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return bool(_with_timeout(N_("remove the token"), work))


# --- the opt-in 0600 file -----------------------------------------------------------------------
def _read_file(path: Path) -> dict[str, str]:
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        text = _("Cannot read the token file {path}: {reason}")
        raise CredentialError(text.format(path=path, reason=exc.strerror)) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        text = _("The token file {path} can be read by other users; fix it with 'chmod 600 {path}'")
        raise CredentialError(text.format(path=path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        text = _("The token file {path} is damaged ({reason}); remove it")
        raise CredentialError(text.format(path=path, reason=exc)) from None
    if not isinstance(data, dict):
        raise CredentialError(_("The token file {path} is damaged; remove it").format(path=path))
    return {str(k): str(v) for k, v in data.items()}


def _write_file(path: Path, tokens: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(tokens, handle, indent=2)
    os.replace(temp, path)


# --- the public API ------------------------------------------------------------------------------
def token_for(url: str, warnings: list[str] | None = None) -> str | None:
    """The token to use for the server at ``url``, or None when none is known.

    Keyring and file problems do not raise here (the server will say the token is missing);
    they are appended to ``warnings`` when given, for the caller to show.
    """
    if token := os.environ.get("NETMSG_TOKEN"):
        return token
    try:
        if token := _read_file(token_file_path()).get(normalise(url)):
            return token
    except CredentialError as exc:
        if warnings is not None:
            warnings.append(str(exc))
    try:
        return keyring_get(url)
    except CredentialError as exc:
        if warnings is not None:
            warnings.append(str(exc))
        return None


def save_token(url: str, token: str, *, use_file: bool = False) -> str:
    """Store the token for ``url``: in the keyring, or (``use_file``) in the 0600 token file.
    Returns where it went. Raises CredentialError (with what to do) when it cannot."""
    if use_file:
        path = token_file_path()
        tokens = _read_file(path)
        tokens[normalise(url)] = token
        try:
            _write_file(path, tokens)
        except OSError as exc:
            text = _("Cannot write the token file {path}: {reason}")
            raise CredentialError(text.format(path=path, reason=exc.strerror)) from None
        return _("the token file {path} (readable only by you)").format(path=path)
    try:
        keyring_set(url, token)
    except CredentialError as exc:
        text = _(
            "{problem}. Store the token in a file readable only by you instead "
            "(netmsg login URL --file), or set NETMSG_TOKEN"
        )
        raise CredentialError(text.format(problem=exc)) from None
    # One place per server: an older token in the file would otherwise win over this one.
    path = token_file_path()
    tokens = _read_file(path)
    if tokens.pop(normalise(url), None) is not None:
        _write_file(path, tokens)
    return _("the system keyring")


def forget_token(url: str) -> list[str]:
    """Remove the token for ``url`` from the keyring and the token file; returns where from.
    Keyring problems are reported as CredentialError only if nothing else was removed."""
    removed: list[str] = []
    problem: CredentialError | None = None
    try:
        if keyring_delete(url):
            removed.append(_("the system keyring"))
    except CredentialError as exc:
        problem = exc
    path = token_file_path()
    tokens = _read_file(path)
    if tokens.pop(normalise(url), None) is not None:
        _write_file(path, tokens)
        removed.append(_("the token file {path}").format(path=path))
    if not removed and problem is not None:
        raise problem
    return removed
