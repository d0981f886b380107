"""The interface in English or German: gettext-style lookups over ``.po`` catalogs.

The code is written in English: each user-facing string is a msgid, wrapped in :func:`_` where
it is shown (``_("Message is empty")``, ``_("Sent to {name}").format(name=...)``), or marked with
:func:`N_` where it is defined before a language is known (a binding's description, a table of
labels) and translated where it is shown (``_(binding.description)``). Plurals:
``ngettext("{n} message", "{n} messages", n).format(n=n)``.

Catalogs are the ``.po`` sources in ``i18n/<language>/*.po``, one file per area (``tui*.po``,
``cli.po``, ``network.po`` for the rules, store and server, ``mail.po``), read and merged on the
first lookup in that language (a few hundred entries parse in about a millisecond, so there is no
compile step and no ``.mo`` file to keep in step). English needs no catalog: the msgid is the text.

Which language: :func:`set_language` for the whole process (the TUI and the CLI call it once, from
``language`` in ``config.toml``, else ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``: see
:func:`resolve_language`); :func:`use_language` for one piece of work inside a process that serves
many people (a server request in its ``Accept-Language``, a notification email in its recipient's
preference). A context variable carries the latter, so concurrent requests do not mix.

``tests/test_i18n.py`` checks that every msgid in the code has a German translation with the same
``{placeholders}``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reader is imported on the first lookup in another language
    from .po import Catalog

LANGUAGES = ("en", "de")
"""The languages the interface speaks; the first is the source language (msgids)."""

DEFAULT_LANGUAGE = "en"

_process_language = DEFAULT_LANGUAGE
_context_language: ContextVar[str | None] = ContextVar("netmsg_language", default=None)
_catalogs: dict[str, Catalog] = {}
_reading = threading.Lock()
CATALOG_ROOT = Path(__file__).parent


def language() -> str:
    """The language in force here: this context's (a request, a mail), else the process's."""
    return _context_language.get() or _process_language


def set_language(code: str) -> None:
    """Set the process's language (the TUI and the CLI, once at start). Unknown codes are
    refused with ValueError naming the known ones."""
    global _process_language
    _process_language = _checked(code)


class _Speaking:
    """:func:`use_language`'s block: a class, not a generator (a server enters one per request)."""

    __slots__ = ("_code", "_token")

    def __init__(self, code: str) -> None:
        self._code = _checked(code)

    def __enter__(self) -> None:
        self._token = _context_language.set(self._code)

    def __exit__(self, *exc: object) -> None:
        _context_language.reset(self._token)


def use_language(code: str) -> AbstractContextManager[None]:
    """Speak ``code`` inside this block (this context only: a request, one recipient's mail).
    Unknown codes are refused with ValueError (at the call)."""
    return _Speaking(code)


def _(msgid: str) -> str:
    """``msgid`` in the current language (the msgid itself where no translation exists)."""
    code = language()
    if code == DEFAULT_LANGUAGE:
        return msgid
    return catalog(code).text(msgid)


def N_(msgid: str) -> str:
    """Mark ``msgid`` for translation where it is defined; translate it with :func:`_` where it
    is shown (so a class attribute follows the language chosen at run time)."""
    return msgid


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language."""
    code = language()
    if code == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    return catalog(code).plural_text(singular, plural, n)


def catalog(code: str) -> Catalog:
    """The merged catalog of ``code`` (read once)."""
    found = _catalogs.get(code)
    if found is None:
        from .po import read_catalog_dir  # not at start-up: English reads no catalog

        # The server's store threads and the TUI's workers may speak German for the first
        # time together: one reads, the others wait for its catalog.
        with _reading:
            found = _catalogs.get(code)
            if found is None:
                found = _catalogs[code] = read_catalog_dir(CATALOG_ROOT / code)
    return found


def normalize(tag: str | None) -> str | None:
    """``de_DE.UTF-8`` / ``de-AT`` / ``German`` → ``de``; ``C``, ``POSIX``, empty or a language
    we do not speak → None."""
    if not tag:
        return None
    base = tag.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    aliases = {"german": "de", "deutsch": "de", "english": "en"}
    base = aliases.get(base, base)
    return base if base in LANGUAGES else None


def resolve_language(configured: str | None, environ: Mapping[str, str]) -> str:
    """``language`` from config.toml if set, else the POSIX locale variables in their order of
    precedence (``LC_ALL``, ``LC_MESSAGES``, ``LANG``; ``LANGUAGE``'s first entry before them, as
    GNU gettext does), else English. A configured language we do not speak raises ValueError
    (a typo in a config file should be told, not ignored); one from the environment we do not
    speak falls through to the next variable, as gettext does."""
    if configured:
        return _checked(configured)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        first = value.split(":")[0]
        code = normalize(first)
        if code:
            return code
        if variable == "LC_ALL" and value:
            break  # LC_ALL set (even to C) overrides LC_MESSAGES and LANG
    return DEFAULT_LANGUAGE


def negotiate(accept_language: str | None) -> str:
    """The best language for an HTTP ``Accept-Language`` header (q-values honoured)."""
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        code = normalize(tag)
        if code and q > best_q:
            best, best_q = code, q
        del position
    return best


def _checked(code: str) -> str:
    normal = normalize(code)
    if normal is None:
        known = ", ".join(LANGUAGES)
        raise ValueError(f"Unknown language {code!r} (known: {known})")
    return normal
