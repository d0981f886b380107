"""Settings: plain data, read from ``config.toml`` (tomllib) and written with tomli-w.

The file lives in ``platformdirs.user_config_path("netmsg-tui")``; ``NETMSG_CONFIG`` names another
file (tests, several setups side by side). Unknown keys are reported as warnings, never silently
ignored. Secrets (tokens, SMTP password) are never stored here: see :mod:`.credentials`.

Example::

    default_profile = "work"
    theme = "textual-dark"
    language = "de"               # en | de (default: LC_ALL / LC_MESSAGES / LANG, else en)

    [profiles.work]
    store = "https://network.example.com"
    user = 1                      # SQLite stores: which user to act as (default: the first)

    [keymap]                      # binding id -> keys
    send = "ctrl+enter,ctrl+s"

    [smtp]
    host = "smtp.example.com"
    port = 587
    security = "starttls"         # starttls | tls | none
    username = "netmsg"
    sender = "Business Network <noreply@network.example.com>"

    [mail]
    reply_domain = "reply.network.example.com"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """The config file cannot be read or has a wrong value; the message says which."""


@dataclass(frozen=True)
class Profile:
    name: str
    store: str | None = None
    user: int | None = None


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # starttls | tls | none
    username: str = ""
    sender: str = "netmsg <noreply@localhost>"
    timeout: float = 20.0


@dataclass(frozen=True)
class MailSettings:
    reply_domain: str = "localhost"
    token_days: int = 30


@dataclass(frozen=True)
class Settings:
    default_profile: str = "default"
    profiles: dict[str, Profile] = field(default_factory=dict)
    theme: str = "textual-dark"
    language: str | None = None  # None: from the locale variables (netmsg_tui.i18n)
    keymap: dict[str, str] = field(default_factory=dict)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    warnings: tuple[str, ...] = ()

    def profile(self, name: str | None = None) -> Profile:
        name = name or self.default_profile
        if name in self.profiles:
            return self.profiles[name]
        if name == self.default_profile and not self.profiles:
            return Profile(name)
        known = ", ".join(sorted(self.profiles)) or "none"
        raise ConfigError(f"No profile named {name!r} in the config (known: {known})")


def config_path() -> Path:
    env = os.environ.get("NETMSG_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path("netmsg-tui") / "config.toml"


_TOP = {"default_profile", "profiles", "theme", "language", "keymap", "smtp", "mail"}
_PROFILE = {"store", "user"}


def _known(cls: type) -> set[str]:
    return set(cls.__dataclass_fields__)  # type: ignore[attr-defined]


def load_settings(path: Path | None = None) -> Settings:
    """Read the config; a missing file gives the defaults. Raises ConfigError."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The config file {path} is not valid TOML: {exc}") from None
    return parse_settings(data, str(path))


def parse_settings(data: dict[str, Any], where: str = "config") -> Settings:
    warnings = [f"{where}: unknown key {key!r} (ignored)" for key in data if key not in _TOP]
    profiles = {}
    for name, raw in _table(data, "profiles", where).items():
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: [profiles.{name}] must be a table")
        warnings += [
            f"{where}: unknown key {k!r} in [profiles.{name}] (ignored)"
            for k in raw
            if k not in _PROFILE
        ]
        user = raw.get("user")
        if user is not None and not isinstance(user, int):
            raise ConfigError(f"{where}: profiles.{name}.user must be a number")
        store = raw.get("store")
        if store is not None and not isinstance(store, str):
            raise ConfigError(f"{where}: profiles.{name}.store must be a string")
        profiles[name] = Profile(name, store, user)
    keymap = _table(data, "keymap", where)
    for key, value in keymap.items():
        if not isinstance(value, str):
            raise ConfigError(f"{where}: keymap.{key} must be a string of keys, e.g. 'ctrl+s'")
    smtp_raw = _table(data, "smtp", where)
    mail_raw = _table(data, "mail", where)
    warnings += [
        f"{where}: unknown key {k!r} in [smtp] (ignored)"
        for k in smtp_raw
        if k not in _known(SmtpSettings)
    ]
    warnings += [
        f"{where}: unknown key {k!r} in [mail] (ignored)"
        for k in mail_raw
        if k not in _known(MailSettings)
    ]
    try:
        smtp = SmtpSettings(**{k: v for k, v in smtp_raw.items() if k in _known(SmtpSettings)})
        mail = MailSettings(**{k: v for k, v in mail_raw.items() if k in _known(MailSettings)})
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if smtp.security not in ("starttls", "tls", "none"):
        raise ConfigError(f"{where}: smtp.security must be starttls, tls or none")
    language = data.get("language")
    if language is not None:
        from .i18n import LANGUAGES, normalize

        if not isinstance(language, str) or normalize(language) is None:
            known = ", ".join(LANGUAGES)
            raise ConfigError(f"{where}: language must be one of {known}, not {language!r}")
        language = normalize(language)
    return Settings(
        default_profile=str(data.get("default_profile", "default")),
        language=language,
        profiles=profiles,
        theme=str(data.get("theme", "textual-dark")),
        keymap=dict(keymap),
        smtp=smtp,
        mail=mail,
        warnings=tuple(warnings),
    )


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] must be a table")
    return value


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings as TOML (creating the folder); returns the path written."""
    import tomli_w

    path = path or config_path()
    data: dict[str, Any] = {"default_profile": settings.default_profile, "theme": settings.theme}
    data["profiles"] = {
        p.name: {k: v for k, v in (("store", p.store), ("user", p.user)) if v is not None}
        for p in settings.profiles.values()
    }
    if settings.keymap:
        data["keymap"] = dict(settings.keymap)
    data["smtp"] = {k: getattr(settings.smtp, k) for k in _known(SmtpSettings)}
    data["mail"] = {k: getattr(settings.mail, k) for k in _known(MailSettings)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path
