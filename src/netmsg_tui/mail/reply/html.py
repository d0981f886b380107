"""HTML mail to plain text in which the quoted history is marked as a mail client marks it in
plain text: every line inside a quote container starts with ``> ``.

Quote containers: ``<blockquote>`` (Gmail's ``gmail_quote``, Apple Mail's and Thunderbird's
``type="cite"``; not the border-less one Gmail and Apple Mail use to indent the writer's text),
Gmail's ``div.gmail_quote`` (the attribution line is inside it), Thunderbird's
``div.moz-cite-prefix``, Yahoo's ``yahoo_quoted``, ProtonMail's ``protonmail_quote``. Outlook
puts no container around the original: its ``<hr>`` becomes a rule of underscores and the header
block below it is found by the text rules, as in Outlook's plain text. A container whose first
line is a forward marker is not a quote and is kept as text. Signature containers
(``gmail_signature``, ``moz-signature``, Outlook's ``Signature``) get a ``-- `` line above them,
so the text rules drop them. ``<pre>`` keeps its lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from . import patterns as P

_BLOCKS = {
    "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "section", "article", "header", "footer", "dl", "dt", "dd", "blockquote",
}  # fmt: skip
_SKIPPED = {"style", "script", "head", "title", "template"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_QUOTE_CLASSES = re.compile(
    r"\b(?:gmail_quote(?:_container)?|moz-cite-prefix|yahoo_quoted|protonmail_quote|"
    r"ydp[0-9a-f]*yahoo_quoted|zmail_extra|OutlookMessageHeader)\b"
)
_QUOTE_IDS = re.compile(r"^(?:ydp[0-9a-f]*)?yahoo_quoted_\d+$")
_SIGNATURE = re.compile(r"\b(?:gmail_signature|moz-signature|x_Signature|Signature)\b")
OUTLOOK_RULE = "_" * 32
_NO_BORDER = re.compile(r"border\s*:\s*none", re.IGNORECASE)


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.depth = 0
        self.skipping = 0
        self.pre = 0
        # One entry per open element: (tag, is a quote container, first line inside it).
        self.open: list[tuple[str, bool, int]] = []

    def flush(self) -> None:
        text = " ".join(self.line.split())
        prefix = "> " * self.depth
        self.lines.append(prefix + text if text or not self.depth else prefix.rstrip())
        self.line = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag in ("br", "hr"):
            self.flush()
            if tag == "hr":
                self.lines += ["", OUTLOOK_RULE]
            return
        if tag in _VOID:
            return
        values = dict(attrs)
        classes = values.get("class") or ""
        ident = values.get("id") or ""
        marked = bool(_QUOTE_CLASSES.search(classes) or _QUOTE_IDS.match(ident))
        # Gmail's and Apple Mail's "indent" is a blockquote without a border: the writer's text.
        indent = (
            tag == "blockquote"
            and not marked
            and values.get("type") != "cite"
            and _NO_BORDER.search(values.get("style") or "") is not None
        )
        quote = marked or (tag == "blockquote" and not indent)
        if tag == "pre":
            self.pre += 1
        if tag in ("td", "th"):
            self.line += " "  # cells of a row stay on one line, apart
        if quote or (tag in _BLOCKS and self.line.strip()):
            self.flush()  # a quote container always starts on a line of its own
        if _SIGNATURE.search(classes) or _SIGNATURE.fullmatch(ident):
            self.lines.append("> " * self.depth + "-- ")
        self.open.append((tag, quote, len(self.lines)))
        if quote:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
            return
        if tag in _VOID or not any(name == tag for name, _, _ in self.open):
            return
        while self.open:  # close up to the matching element (HTML mail is often unbalanced)
            name, quote, first = self.open.pop()
            if name == "pre":
                self.pre = max(self.pre - 1, 0)
            if name in _BLOCKS and self.line.strip() and not quote:
                self.flush()
            if quote:
                self.flush()
                self.depth = max(self.depth - 1, 0)
                self._unquote_forward(first)
            if name == tag:
                break

    def _unquote_forward(self, first: int) -> None:
        """A container that starts with "---------- Forwarded message ---------" is a forward
        (Gmail puts one in ``gmail_quote``): its lines lose the ``> `` this container added."""
        inner = [line for line in self.lines[first:] if line.strip(" >")]
        if not inner:
            return
        head = re.sub(r"^(?:\s*>)+\s?", "", inner[0])
        if not P.FORWARDED.match(head):
            return
        level = "> " * (self.depth + 1)
        for n in range(first, len(self.lines)):
            line = self.lines[n]
            if line.startswith(level):
                self.lines[n] = "> " * self.depth + line[len(level) :]
            elif line.rstrip() == level.rstrip():
                self.lines[n] = ("> " * self.depth).rstrip()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        data = data.replace("\xa0", " ")
        if self.pre:  # preformatted text keeps its lines (a plain-text mail wrapped in <pre>)
            *whole, data = data.split("\n")
            for part in whole:
                self.line += part
                self.flush()
        self.line += data


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    parser.flush()
    text = "\n".join(parser.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
