"""Split a plain-text reply into the new answer and the quoted history, line by line.

One pass from the top. A line is either the writer's, part of a ``>`` quote block, or the start
of a quote that runs to the end of the mail (an Outlook header block or separator). An
attribution line ("On … wrote:") followed by a ``>`` block removes only that block: whatever
the writer typed below or between blocks (bottom- and inline-posting) is kept. With no ``>``
block below it, everything under it goes only if it names an address or a year and a time
("On 26.11. the driver wrote:" is the writer's). A forward marker keeps everything below it: a
forward is not a quote. Then the writer's own lines lose their signature ("-- ", a closing such
as "Best regards" with a short block after it), the line a mobile client adds ("Sent from my
iPhone") and a mailing list's footer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import patterns as P

_MAX_ATTRIBUTION = 400  # characters of an attribution joined over lines
_SIGNATURE_LINES = 8  # lines after a closing ("Best regards") that still make a signature
# Zero-width and direction marks (Windows Mail puts them inside dates and times): dropped, so
# they neither hide a header from the rules nor reach the thread.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


@dataclass(frozen=True)
class Split:
    answer: str
    removed: str


def split_text(text: str, subject: str = "") -> Split:
    """``text`` as the writer's answer and the removed rest (quotes, headers, signature)."""
    lines = _prepare(text)
    keep, forward_from = _scan(lines, subject)
    _drop_signature(lines, keep)
    answer = [line for line, kept in zip(lines, keep, strict=True) if kept]
    removed = [line for line, kept in zip(lines, keep, strict=True) if not kept]
    if forward_from is not None:
        answer += _unquote_once(lines[forward_from:])
        removed = [line for n, line in enumerate(lines[:forward_from]) if not keep[n]]
    return Split(_tidy(answer), _tidy(removed))


def _prepare(text: str) -> list[str]:
    """Lines, with an attribution that starts in the middle of a line put on a line of its own
    ("Thanks, will do.On Thu, 26 Nov 2026, … wrote:")."""
    out: list[str] = []
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    for line in text.split("\n"):
        if (
            not _quoted(line)
            and line.rstrip(" -").endswith((":", "："))
            and P.WROTE_END.search(line[-_MAX_ATTRIBUTION:])
        ):
            # An attribution is short: only its last characters can start one.
            for start in P.START.finditer(line, max(0, len(line) - _MAX_ATTRIBUTION)):
                head, tail = line[: start.start()], line[start.start() :].strip()
                if head.strip() and _attribution_text(tail, quote_follows=False):
                    out += [head.rstrip(), tail]
                    break
            else:
                out.append(line)
        else:
            out.append(line)
    return out


def _scan(lines: list[str], subject: str) -> tuple[list[bool], int | None]:
    """Which lines are the writer's, and where a forward starts (kept whole)."""
    n = len(lines)
    keep = [False] * n
    i = 0
    while i < n:
        line = lines[i]
        if not line.strip():
            keep[i] = True
            i += 1
            continue
        if _quoted(line):
            end = _block_end(lines, i)
            if _content_not_quote(lines[i:end]):
                keep[i:end] = [True] * (end - i)
            i = end
            continue
        if P.FORWARDED.match(line):
            return keep, i
        header_end = _attribution_at(lines, i)
        if header_end is not None:
            following = _next_text(lines, header_end)
            if following is not None and _quoted(lines[following]):
                i = _block_end(lines, following)
                continue
            if _firm_attribution(" ".join(lines[i:header_end])):
                return keep, None  # unmarked quote below "On … wrote:": the rest is history
            # "On 26.11. the driver wrote:" with the writer's text below: not a quote.
        kind = _history_at(lines, i, subject)
        if kind == "forward":
            return keep, i
        if kind == "quote":
            return keep, None
        keep[i] = True
        i += 1
    return keep, None


def _quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _block_end(lines: list[str], start: int) -> int:
    """The end of the ``>`` block at ``start``: quoted lines and blank lines between them."""
    end = i = start
    while i < len(lines) and (_quoted(lines[i]) or not lines[i].strip()):
        i += 1
        if _quoted(lines[i - 1]):
            end = i
    return end


def _content_not_quote(block: list[str]) -> bool:
    """A block with no attribution above whose lines all start with ``>>>`` (a Python prompt,
    a ">>> Note <<<" banner) is the writer's text: a quote always has a first level."""
    return all(line.lstrip().startswith(">>>") for line in block if line.strip())


def _next_text(lines: list[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


def _attribution_at(lines: list[str], i: int) -> int | None:
    """The end of an attribution ("On … wrote:") starting at line ``i``, wrapped over up to
    three lines (five for Polymail's "On … Name / < / mailto:… / > wrote:")."""
    first = lines[i].strip()
    if not first:
        return None
    starts_like = P.START_AT_LINE.match(first) is not None
    limit = 5 if starts_like else 3
    # Could line ``i`` be the first part of a wrapped attribution?
    leads = starts_like or P.DATE_OR_TIME.search(first) is not None
    parts: list[str] = []
    for j in range(i, min(i + limit, len(lines))):
        part = lines[j].strip()
        if not part:
            if not starts_like:
                return None
            continue
        if j > i:
            if first.endswith((".", "!", "?")):
                return None  # a sentence of the writer's, not the start of an attribution
            if _quoted(part) and not (starts_like and P.QUOTED_VERB.match(part)):
                return None
            if not leads and _attribution_text(part, quote_follows=False):
                return None  # the attribution starts on this later line, not at ``i``
        parts.append(part)
        joined = " ".join(parts)
        if len(joined) > _MAX_ATTRIBUTION:
            return None
        following = _next_text(lines, j + 1)
        quote_follows = following is not None and _quoted(lines[following])
        if _attribution_text(joined, quote_follows):
            return j + 1
    return None


def _attribution_text(text: str, quote_follows: bool) -> bool:
    if len(text) > _MAX_ATTRIBUTION:
        return False
    if text.startswith("-"):
        return P.ANDROID_WROTE.match(text) is not None
    # Cheap tests first: most lines neither end with a colon nor start like "On …".
    ends_with_colon = text.rstrip(" -").endswith((":", "："))
    if not ends_with_colon and not P.START_AT_LINE.match(text):
        return False
    dated = P.DATE_OR_TIME.search(text) is not None
    addressed = P.EMAIL.search(text) is not None
    if not ends_with_colon:  # Yahoo's "On …, Name <a@b> wrote:   first words"
        return dated and addressed and P.WROTE_THEN_TEXT.search(text) is not None
    if P.WROTE_END.search(text):
        return dated or addressed or quote_follows
    # "2026年11月26日(木) 10:15 Name <a@b>:" — no verb: only directly above a quote.
    return quote_follows and dated and P.ADDRESS_COLON.search(text) is not None


def _firm_attribution(text: str) -> bool:
    """An attribution sure enough to drop everything below it when no ``>`` block follows: it
    names an address, or a year and a time of day as clients write them, or is Android's
    "---- Name wrote ----"."""
    if P.ANDROID_WROTE.match(text.strip()):
        return True
    return P.EMAIL.search(text) is not None or (
        P.CLOCK.search(text) is not None and P.YEAR.search(text) is not None
    )


def _history_at(lines: list[str], i: int, subject: str) -> str | None:
    """Whether the rest of the mail from line ``i`` is an earlier message: "quote" at a
    separator ("-----Original Message-----", a rule of underscores above a header block) or an
    Outlook header block ("From: / Sent: / To: / Subject:" in any language), and at a mailing
    list's footer; "forward" for a header block under a forward's subject."""
    line = lines[i]
    forward = P.FORWARD_SUBJECT.match(subject) is not None
    if P.ORIGINAL_MESSAGE.match(line):
        return "forward" if forward else "quote"
    if P.UNDERSCORES.match(line):
        following = _next_text(lines, i + 1)
        if following is None:
            return None
        if _header_block(lines, following):
            return "forward" if forward else "quote"
        if P.LIST_FOOTER.match(lines[following]) or P.LIST_FOOTER_AFTER_RULE.match(
            lines[following]
        ):
            return "quote"
        return None
    if _header_block(lines, i):
        return "forward" if forward else "quote"
    if P.DASHED_TITLE.match(line):  # "----- Ursprüngliche Mail -----" (Zimbra) and the like
        following = _next_text(lines, i + 1)
        if following is not None and following <= i + 2 and _header_block(lines, following):
            return "forward" if forward else "quote"
    if P.LIST_FOOTER.match(line):
        return "quote"
    return None


def _field(line: str) -> str | None:
    for kind, pattern in P.HEADER_FIELD.items():
        if pattern.match(line):
            return kind
    return None


def _header_block(lines: list[str], i: int) -> bool:
    """An Outlook-style header block at line ``i``: a "from" field and at least one more (a
    field's value may wrap over two lines, "[mailto:" style). To tell it from a writer's
    "From: Hamburg / To: Munich", the sender has an address or the date a time of day, or the
    block has a subject and a third field."""
    first = _field(lines[i])
    if first is None:
        return False
    if first == "from" and _inline_header(lines[i]):
        return True
    kinds: dict[str, str] = {}
    last_kind = ""
    continuation = 0
    for j in range(i, min(i + 14, len(lines))):
        line = lines[j]
        if not line.strip():
            break
        kind = _field(line)
        if kind is not None and kind not in kinds:
            kinds[kind] = line
            last_kind = kind
            continuation = 0
        elif continuation < 2:
            continuation += 1
            if last_kind:
                kinds[last_kind] += " " + line
        else:
            break
    if "from" not in kinds or len(kinds) < 2:
        return False
    if "subject" in kinds and len(kinds) >= 3:
        return True  # From, Subject and a third field: a header block even without an address
    sender = kinds["from"]
    when = kinds.get("sent", "")
    return (
        P.EMAIL.search(sender) is not None
        or "mailto:" in sender
        or re.search(r"\d{1,2}[:.]\d{2}", when) is not None
    )


def _inline_header(line: str) -> bool:
    """A header block on one line: "From: A <a@b> Sent: … To: … Subject: …"."""
    return P.EMAIL.search(line) is not None and len(P.HEADER_INLINE_FIELD.findall(line)) >= 2


def _drop_signature(lines: list[str], keep: list[bool]) -> None:
    """Unkeep the signature of the writer's lines: from a "-- " line, or from a closing line
    ("Best regards") followed by at most a few short lines, to the end; and every line a mobile
    client adds."""
    kept = [n for n, k in enumerate(keep) if k]
    for n in kept:
        line = lines[n]
        if P.MOBILE_SIGN_OFF.match(line) and P.MOBILE_WORDS.search(line):
            keep[n] = False
    kept = [n for n, k in enumerate(keep) if k]
    for pos, n in enumerate(kept):
        if P.SIGNATURE_DASHES.match(lines[n]):
            for m in kept[pos:]:
                keep[m] = False
            return
    # A closing can only stand among the last few lines.
    text_lines = [n for n in kept if lines[n].strip()][-(_SIGNATURE_LINES + 1) :]
    for pos, n in enumerate(text_lines):
        tail = text_lines[pos + 1 :]
        if (
            P.CLOSING.match(lines[n])
            and len(tail) <= _SIGNATURE_LINES
            and all(_signature_line(lines[m]) for m in tail)
        ):
            for m in kept:
                if m >= n:
                    keep[m] = False
            return


def _signature_line(line: str) -> bool:
    """A name, a title, a company, a phone number: short, and not a sentence; or a company's
    confidentiality notice."""
    text = line.strip()
    if P.DISCLAIMER.search(text):
        return True
    sentence = text.endswith(("?", "!")) or (text.endswith(".") and len(text.split()) >= 4)
    return len(text) <= 70 and not sentence


def _unquote_once(lines: list[str]) -> list[str]:
    """A forward that an HTML client put in a blockquote: its lines without one ``>``."""
    text = [line for line in lines[1:] if line.strip()]
    if text and all(_quoted(line) for line in text):
        return [lines[0]] + [re.sub(r"^\s*> ?", "", line) for line in lines[1:]]
    return lines


def _tidy(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
