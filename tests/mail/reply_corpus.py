"""The reply-extraction corpus (``tests/mail/replies/*.txt``) and its two measures, shared by the
test suite and ``bench/reply_extraction.py``.

A corpus file holds cases, each introduced by directive lines that start with ``::: ``::

    ::: case de-outlook-top            name: language-client-style
    ::: subject WG: Lieferung          optional: the mail's subject (tells a forward)
    ::: html                           optional: the mail is HTML (else plain text)
    ::: known-miss why                 optional: ours is expected to get this one wrong
    ::: mail
    …the mail's body…
    ::: answer
    …what the writer wrote: the expected answer…
    ::: extra
    …optional: lines of the mail that are neither answer nor quoted history (a signature)…

Measures: *exact* compares after whitespace normalisation (every run of white space is one
space). *clean* ("answer kept, no quoted line kept"): every line of the answer is in the result
and no line of the quoted history is (the history is every line of the mail that is neither in
the answer nor in ``extra``; ``>`` markers are ignored on both sides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CORPUS = Path(__file__).parent / "replies"
LANGUAGES = {
    "en", "de", "fr", "nl", "it", "es", "pt", "da", "sv", "no", "fi", "pl", "cs", "ja", "zh",
    "ru", "vi",
}  # fmt: skip


@dataclass
class Case:
    name: str
    mail: str
    answer: str
    extra: str = ""
    subject: str = "Re: Delivery date"
    html: bool = False
    known_miss: str = ""
    source: str = ""

    @property
    def language(self) -> str:
        return self.name.split("-", 1)[0]

    def mail_text(self) -> str:
        """The mail as plain text, for the measures and for extractors that read only text:
        HTML as a client's text part would have it (``<blockquote>`` as ``>`` lines)."""
        return plain_from_html(self.mail) if self.html else self.mail


def load(folder: Path = CORPUS) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(folder.glob("*.txt")):
        cases += _parse(path)
    names = [case.name for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"duplicate case names: {sorted(duplicates)}")
    return cases


def _parse(path: Path) -> list[Case]:
    cases: list[Case] = []
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    case: Case | None = None

    def finish() -> None:
        if case is None:
            return
        case.mail = _block(sections.get("mail", []))
        case.answer = _block(sections.get("answer", []))
        case.extra = _block(sections.get("extra", []))
        if not case.mail:
            raise ValueError(f"{path.name}: case {case.name} has no mail")
        cases.append(case)

    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.startswith("::: "):
            if current is not None:
                current.append(line)
            continue
        word, _, rest = line[4:].partition(" ")
        if word == "case":
            finish()
            case = Case(name=rest.strip(), mail="", answer="", source=path.name)
            sections = {}
            current = None
        elif case is None:
            raise ValueError(f"{path.name}: {line!r} before the first case")
        elif word == "subject":
            case.subject = rest.strip()
        elif word == "html":
            case.html = True
        elif word == "known-miss":
            case.known_miss = rest.strip() or "known miss"
        elif word in ("mail", "answer", "extra"):
            current = sections.setdefault(word, [])
        else:
            raise ValueError(f"{path.name}: unknown directive {line!r}")
    finish()
    return cases


def _block(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def normalise(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = normalise(re.sub(r"^(?:\s*>)+", "", line))
        if any(char.isalnum() for char in line):  # not "--" or a rule of underscores
            out.append(line)
    return out


def exact(result: str, case: Case) -> bool:
    return normalise(result) == normalise(case.answer)


def clean(result: str, case: Case) -> bool:
    """Every answer line kept, no line of the quoted history kept."""
    flat = normalise(re.sub(r"(?m)^(?:\s*>)+", "", result))
    if not all(line in flat for line in _lines(case.answer)):
        return False
    history = set(_lines(case.mail_text())) - set(_lines(case.answer)) - set(_lines(case.extra))
    return not history & set(_lines(result))


class _Plain(HTMLParser):
    """HTML to text as a mail client writes its text part: blocks on lines, ``<blockquote>`` as
    ``>`` lines, nothing else recognised."""

    BLOCKS = {"p", "div", "tr", "li", "table", "h1", "h2", "h3", "pre", "blockquote", "ul"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.depth = 0
        self.skip = 0

    def flush(self) -> None:
        text = " ".join(self.line.split())
        self.lines.append(("> " * self.depth + text).rstrip())
        self.line = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head", "title"):
            self.skip += 1
        elif tag in ("br", "hr") or tag in self.BLOCKS:
            self.flush()
            if tag == "hr":
                self.lines.append("_" * 32)
            if tag == "blockquote":
                self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.flush()
            if tag == "blockquote":
                self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.line += data.replace("\xa0", " ")


def plain_from_html(html: str) -> str:
    parser = _Plain()
    parser.feed(html)
    parser.close()
    parser.flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parser.lines)).strip()
