"""Outside text made safe to show on a terminal: the one sanitiser for the TUI and the CLI.

Customers write message bodies, subjects, names, contact fields, file names and document
numbers; all of it is hostile. A terminal obeys some characters instead of showing them, so
every such string passes through here on its way to the screen.

Policy (each character stays visible, as a placeholder, so nothing is hidden from the reader):

- C0 controls U+0000–U+001F become their Unicode control pictures (ESC -> ``␛``, BEL -> ``␇``),
  DEL becomes ``␡``. Newline and tab are layout in multi-line text (:func:`printable`) and are
  kept; a CR before a newline is dropped (mail line ends), a lone CR is shown as ``␍`` (it
  would let a line overwrite itself). In one-line text (:func:`printable_line`) newline, tab
  and CR fold to a space.
- C1 controls U+0080–U+009F (U+009B is a one-byte CSI for many terminals) become ``⟨U+009B⟩``.
- Bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069 become ``⟨U+202E⟩``:
  they reorder what follows them ("Trojan Source"), e.g. a file name ``invoice⟨U+202E⟩fdp.exe``.
- U+2028/U+2029 (line and paragraph separator) are line breaks in multi-line text and a space in
  one-line text, like newline.
- Lone surrogates (no character; the terminal's encoder would fail) become U+FFFD.
- Decision: the bidi *marks* U+200E (LRM), U+200F (RLM) and U+061C (ALM) are kept on screen.
  They are used in real right-to-left names, cannot override the order of other text and have
  no more effect than a Hebrew or Arabic letter. They are escaped in JSON output and removed
  from file names (see :data:`FILENAME_UNSAFE`), where an invisible character is only a trap.

Both functions return the string itself when it needs nothing (the common case, one regex
search), so they are cheap enough for every list row.
"""

from __future__ import annotations

import functools
import re

_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_BIDI_MARKS = "\u200e\u200f\u061c"
#: Character class body: what a file name must not contain beyond C0/DEL (see model).
FILENAME_UNSAFE = f"\x80-\x9f{_BIDI_CONTROLS}{_BIDI_MARKS}\u2028\u2029"


def _placeholder(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures block: ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"⟨U+{code:04X}⟩"


@functools.cache  # built at first use: ~1 ms at start-up for two tables a start seldom needs
def _table(*, one_line: bool) -> dict[int, str]:
    table = {code: _placeholder(code) for code in range(0x20)}
    table[0x7F] = _placeholder(0x7F)
    table.update({code: _placeholder(code) for code in range(0x80, 0xA0)})
    for first, last in ((0x202A, 0x202E), (0x2066, 0x2069)):
        table.update({code: _placeholder(code) for code in range(first, last + 1)})
    table.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
    layout = " " if one_line else "\n"
    table.update({0x2028: layout, 0x2029: layout})
    if one_line:
        table.update({ord("\n"): " ", ord("\t"): " ", ord("\r"): " "})
    else:
        del table[ord("\n")], table[ord("\t")]
    return table


#: Character classes, compiled at first use: ~0.3-0.6 ms each, which a start seldom needs all of.
_CLASSES = {
    "multi": f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029\ud800-\udfff]",
    "one": f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029\ud800-\udfff]",
    # What JSON output writes as ``\\uXXXX``: json.dumps already escapes C0, not these.
    "json": f"[\x7f-\x9f{_BIDI_CONTROLS}{_BIDI_MARKS}\u2028\u2029]",
}


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(_CLASSES[name])


def printable(text: str) -> str:
    """Multi-line outside text, safe for a terminal: newline and tab kept, every other
    control or bidi control shown as a placeholder."""
    if _pattern("multi").search(text) is None:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_table(one_line=False))


def printable_line(text: str) -> str:
    """One-line outside text (a name, subject, file name, table cell): like :func:`printable`,
    with newline, tab and CR folded to a space."""
    if _pattern("one").search(text) is None:
        return text
    return text.translate(_table(one_line=True))


def escape_json_text(serialized: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL, C1, bidi controls and
    marks and the line separators written as ``\\u009b``-style escapes.

    Outside strings JSON is ASCII, so every such character is inside a string, where the escape
    means the same character: ``json.loads`` gives back the exact original."""
    return _pattern("json").sub(lambda m: f"\\u{ord(m.group()):04x}", serialized)
