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
from dataclasses import field
from pathlib import Path
from typing import Any

from .i18n import _
from .records import record


class ConfigError(Exception):
    """The config file cannot be read or has a wrong value; the message says which."""


@record
class Profile:
    name: str
    store: str | None = None
    user: int | None = None


@record
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # starttls | tls | none
    username: str = ""
    sender: str = "netmsg <noreply@localhost>"
    timeout: float = 20.0


@record
class MailSettings:
    reply_domain: str = "localhost"
    token_days: int = 30


@record
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
        known = ", ".join(sorted(self.profiles)) or _("none")
        raise ConfigError(
            _("No profile named {name} in the config (known: {known})").format(
                name=repr(name), known=known
            )
        )


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
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        text = _("Cannot read the config file {path}: {reason}")
        raise ConfigError(text.format(path=path, reason=exc)) from None
    import tomllib  # here: a start without a config file never loads the parser

    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        # The parser's own detail ("Expected '=' after a key … (at line 3, column 5)") stays
        # in English: tomllib has no translations.
        text = _("The config file {path} is not valid TOML: {reason}")
        raise ConfigError(text.format(path=path, reason=exc)) from None
    return parse_settings(data, str(path))


def language_setting(path: Path | None = None) -> str | None:
    """The ``language`` key alone, read even when another part of the file is wrong, so that
    the error about that part is told in the chosen language; None when it is unset, unknown
    or the file cannot be read (:func:`load_settings` then reports why)."""
    from .i18n import normalize

    try:
        source = (path or config_path()).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    import tomllib  # here: a start without a config file never loads the parser

    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        return None
    value = data.get("language")
    return normalize(value) if isinstance(value, str) else None


def parse_settings(data: dict[str, Any], where: str = "config") -> Settings:
    def unknown(key: str, table: str | None = None) -> str:
        if table is None:
            text = _("{where}: unknown key {key} (ignored)")
        else:
            text = _("{where}: unknown key {key} in [{table}] (ignored)")
        return text.format(where=where, key=repr(key), table=table)

    def wrong(text: str, **names: object) -> ConfigError:
        return ConfigError(text.format(where=where, **names))

    warnings = [unknown(key) for key in data if key not in _TOP]
    profiles = {}
    for name, raw in _table(data, "profiles", where).items():
        if not isinstance(raw, dict):
            raise wrong(_("{where}: [profiles.{name}] must be a table"), name=name)
        warnings += [unknown(k, f"profiles.{name}") for k in raw if k not in _PROFILE]
        user = raw.get("user")
        if user is not None and not isinstance(user, int):
            raise wrong(_("{where}: profiles.{name}.user must be a number"), name=name)
        store = raw.get("store")
        if store is not None and not isinstance(store, str):
            raise wrong(_("{where}: profiles.{name}.store must be a string"), name=name)
        profiles[name] = Profile(name, store, user)
    keymap = _table(data, "keymap", where)
    for key, value in keymap.items():
        if not isinstance(value, str):
            text = _("{where}: keymap.{key} must be a string of keys, e.g. 'ctrl+s'")
            raise wrong(text, key=key)
    smtp_raw = _table(data, "smtp", where)
    mail_raw = _table(data, "mail", where)
    warnings += [unknown(k, "smtp") for k in smtp_raw if k not in _known(SmtpSettings)]
    warnings += [unknown(k, "mail") for k in mail_raw if k not in _known(MailSettings)]
    try:
        smtp = SmtpSettings(**{k: v for k, v in smtp_raw.items() if k in _known(SmtpSettings)})
        mail = MailSettings(**{k: v for k, v in mail_raw.items() if k in _known(MailSettings)})
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if smtp.security not in ("starttls", "tls", "none"):
        raise wrong(_("{where}: smtp.security must be starttls, tls or none"))
    language = data.get("language")
    if language is not None:
        from .i18n import LANGUAGES, normalize

        if not isinstance(language, str) or normalize(language) is None:
            known = ", ".join(LANGUAGES)
            text = _("{where}: language must be one of {known}, not {value}")
            raise wrong(text, known=known, value=repr(language))
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
        raise ConfigError(_("{where}: [{key}] must be a table").format(where=where, key=key))
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
