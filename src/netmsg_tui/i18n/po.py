"""A reader for gettext ``.po`` sources: the subset our catalogs use (msgctxt is not used).

Entries marked ``#, fuzzy`` and empty translations are kept out of lookups (the msgid shows), and
:func:`read_catalog` reports them so the completeness check in the suite can name them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class PoError(ValueError):
    """A catalog file cannot be read: the message names the file and line."""


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False
    where: str = ""

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr)


@dataclass
class Catalog:
    entries: dict[str, Entry] = field(default_factory=dict)

    def text(self, msgid: str) -> str:
        entry = self.entries.get(msgid)
        return entry.msgstr[0] if entry is not None and entry.translated else msgid

    def plural_text(self, singular: str, plural: str, n: int) -> str:
        entry = self.entries.get(singular)
        if entry is None or not entry.translated or len(entry.msgstr) < 2:
            return singular if n == 1 else plural
        # English and German share the rule: one form for exactly 1, the other for the rest.
        return entry.msgstr[0 if n == 1 else 1]


def read_catalog_dir(folder: Path) -> Catalog:
    """All ``*.po`` files of ``folder`` merged (a missing folder gives an empty catalog)."""
    merged = Catalog()
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        for msgid, entry in read_catalog(path).entries.items():
            if msgid not in merged.entries or not merged.entries[msgid].translated:
                merged.entries[msgid] = entry
    return merged


def read_catalog(path: Path) -> Catalog:
    """Parse one ``.po`` file. Raises PoError on a line it does not understand."""
    catalog = Catalog()
    entry: Entry | None = None
    fuzzy = False
    field_name: str | None = None
    lines = path.read_text(encoding="utf-8").splitlines()

    def finish() -> None:
        nonlocal entry
        if entry is not None and entry.msgid:  # the header entry has an empty msgid
            catalog.entries[entry.msgid] = entry
        entry = None

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        where = f"{path.name}:{number}"
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            if entry is None or field_name is None:
                raise PoError(f"{where}: a string continues nothing")
            _append(entry, field_name, _unquote(line, where))
            continue
        if keyword == "msgid":
            finish()
            entry = Entry(msgid=_unquote(rest, where), fuzzy=fuzzy, where=where)
            fuzzy = False
            field_name = "msgid"
        elif entry is None:
            raise PoError(f"{where}: {keyword} before msgid")
        elif keyword == "msgid_plural":
            entry.msgid_plural = _unquote(rest, where)
            field_name = "msgid_plural"
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            entry.msgstr.append(_unquote(rest, where))
            field_name = "msgstr"
        else:
            raise PoError(f"{where}: unknown keyword {keyword!r}")
    finish()
    return catalog


def _append(entry: Entry, field_name: str, text: str) -> None:
    if field_name == "msgid":
        entry.msgid += text
    elif field_name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    else:
        entry.msgstr[-1] += text


# The C escapes gettext writes in a quoted string. Not ast.literal_eval: CPython 3.11's parser
# is not safe to call from two threads at once ("AST constructor recursion depth mismatch",
# a SystemError), and catalogs are read on whichever thread first speaks a language.
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}  # fmt: skip
_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)?|"', re.DOTALL)


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise PoError(f"{where}: expected a quoted string, got {token[:40]!r}")

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code is None:  # a bare quote inside the string, or a backslash ending it
            raise PoError(f"{where}: bad string {token[:40]!r}")
        if code in _ESCAPES:
            return _ESCAPES[code]
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code.isdigit():
            return chr(int(code, 8))
        raise PoError(f"{where}: unknown escape \\{code} in {token[:40]!r}")

    return _ESCAPE.sub(unescape, token[1:-1])
