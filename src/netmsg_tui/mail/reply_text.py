"""The new text of an emailed reply: its text part (or text from its HTML), without the quoted
history, the signature and the lines mail clients add. The rules are in :mod:`.reply` (what they
handle and why they are our own is its docstring); whatever is removed is returned too, so it
can be kept and shown on request.
"""

from __future__ import annotations

from email.message import EmailMessage

from .reply import extract, html_to_text

__all__ = ["body_text", "html_to_text", "strip_reply"]


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


def strip_reply(text: str, subject: str = "") -> tuple[str, str]:
    """``(new text, removed text)``: the reply without quotes and signature, and what went.
    ``subject`` (the mail's) tells a forward, whose header block is kept."""
    split = extract(text, subject)
    return split.answer, split.removed
