"""The new text of an emailed reply: its text part (or text from its HTML), without the quoted
notification, earlier history and signature.

Quoted lines (``>``, and ``<blockquote>`` in HTML, which becomes ``>`` lines) are removed first;
then mail-parser-reply splits the rest at the reply headers of the common clients ("On … wrote:",
Outlook's "From:/Sent:" block, "-----Original Message-----") and strips signatures ("-- ",
"Sent from my iPhone", "Best regards"). A bottom-posted reply ends up after its "On … wrote:"
line; an Outlook-style block is never a reply of its own. Whatever is removed is returned too, so
it can be kept and shown on request.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from html.parser import HTMLParser

from mailparser_reply import EmailMessage as ParsedText

LANGUAGES = ["en", "de"]
_BLOCKS = {
    "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "section", "article", "header", "footer", "dl", "dt", "dd",
}  # fmt: skip
_SKIPPED = {"style", "script", "head", "title", "template"}
_WROTE = re.compile(r"(wrote|schrieb)\s*:\s*$", re.IGNORECASE)
_OUTLOOK_SEPARATOR = "_" * 32


class _HtmlText(HTMLParser):
    """HTML to plain text: block elements break lines, blockquotes become ``> `` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.depth = 0
        self.skipping = 0

    def flush(self) -> None:
        text = " ".join(self.line.split())
        prefix = "> " * self.depth
        self.lines.append(prefix + text if text or not self.depth else prefix.rstrip())
        self.line = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.flush()
        elif tag == "hr":
            self.flush()
            self.lines += ["", _OUTLOOK_SEPARATOR]
        elif tag == "blockquote":
            self.flush()
            self.depth += 1
        elif tag in _BLOCKS and self.line.strip():
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag == "blockquote":
            self.flush()
            self.depth = max(self.depth - 1, 0)
        elif tag in _BLOCKS and self.line.strip():
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.line += data.replace("\xa0", " ")


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    parser.flush()
    text = "\n".join(parser.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def body_text(mail: EmailMessage) -> str:
    """The text of the message: its text/plain part, else text from its text/html part."""
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # unknown charset or broken encoding: best effort
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def strip_reply(text: str) -> tuple[str, str]:
    """``(new text, removed text)``: the reply without quotes and signature, and what went."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    unquoted = "\n".join(line for line in lines if not line.lstrip().startswith(">"))
    parsed = ParsedText(text=unquoted, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    reply = ""
    if parsed.replies:
        first = parsed.replies[0]
        header = first.headers or ""
        # Only an "On … wrote:" line may stand before the new text (a bottom-posted reply);
        # an Outlook "From:/Sent:" block starts the quoted original, never the reply.
        if not header or _WROTE.search(header.strip()):
            reply = _without_signature(first.full_body, parsed.SIGNATURE_REGEX)
    reply = re.sub(r"\n{3,}", "\n\n", reply).strip()
    removed = _removed(text, reply)
    return reply, removed


def _without_signature(text: str, signature: re.Pattern[str]) -> str:
    """Cut at the first real sign-off ("-- ", "Best regards", "Sent from my iPhone"). A match
    whose first line reads as a sentence ("Thanks, we ship on Monday.") is not a signature."""
    pos = 0
    while (match := signature.search(text, pos)) is not None:
        first_line = match.group().strip().split("\n", 1)[0]
        if _sign_off(first_line, 5):
            text = text[: match.start()]
            break
        pos = text.find(first_line, match.start()) + len(first_line)
    # The library never takes the very first line for a signature; but a reply that is nothing
    # but "Best regards / Jana" is empty. ("Thanks, / Jana" is a short answer: kept.)
    padded = "\n" + text.strip()
    first_line = padded.split("\n")[1]
    found = signature.search(padded)
    if (
        found
        and not padded[: found.start()].strip()
        and _sign_off(first_line, 3)
        and not first_line.lower().startswith(("thank", "danke", "merci"))
    ):
        return ""
    return text


def _sign_off(line: str, max_words: int) -> bool:
    return len(line.split()) <= max_words and not line.rstrip().endswith((".", "!", "?"))


def _removed(text: str, reply: str) -> str:
    normal = "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    if reply and reply in normal:
        normal = normal.replace(reply, "", 1)
    return re.sub(r"\n{3,}", "\n\n", normal).strip()
