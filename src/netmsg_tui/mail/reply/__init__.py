"""The new answer of an emailed reply, without the quoted history, the signature and the lines
clients add ("Sent from my iPhone", a mailing list's footer); the removed part is returned too.

What and why (measured with ``bench/reply_extraction.py`` on the 243 mails in
``tests/mail/replies/``, table in ``bench/README.md``): our own line rules, not
mail-parser-reply. Exact answers: ours 100%, talon 39.9%, email-reply-parser 39.1%,
mail-parser-reply 29.2%. The corpus was written alongside the rules; on 76 mails written after
them and run before any fix, ours had 69 exact (90.8%) and 74 without a quoted line (97.4%); on
the 21 real client replies talon ships, 20 exact before a fix, 21 after (talon 19, mail-parser-
reply 14).

mail-parser-reply knows 13 languages (no Portuguese, Norwegian, Finnish, Russian or
Vietnamese), splits a mail into "replies" at the first header it knows and so loses an answer
written below the quote, drops every ``>`` line including a real ``>>>`` line, and takes an
Outlook header block only when its fields are in the one language asked for. talon (1.4.4,
2017; lxml, numpy and scikit-learn) has a narrower set of languages; its list of attribution
start words per language was a source for ours. No extractor on PyPI was close enough to build
on (table: ``bench/README.md``). The rules:

* :mod:`.languages` — the words, per language: attribution verbs ("wrote", "schrieb",
  "a écrit", "写道", …), Outlook separators and header fields, forward markers, mobile
  sign-offs, closings, mailing-list footers;
* :mod:`.patterns` — those compiled into line tests, bounded so a hostile mail cannot make them
  backtrack;
* :mod:`.html` — HTML to text with the clients' quote containers marked as ``>`` lines;
* :mod:`.text` — the one pass over the lines that keeps the writer's (top-, bottom- and
  inline-posted), removes quote blocks, attributions and everything below a header block, and
  keeps forwards.

A mail the rules cannot handle (an exception in them, or a text over 1 MiB) keeps its whole
text: an answer is never lost to the extractor.
"""

from __future__ import annotations

import logging

from .html import html_to_text
from .text import Split, split_text

__all__ = ["Split", "extract", "html_to_text"]

log = logging.getLogger(__name__)
# Above this the rules (linear, but a few regular expressions per line: ~2 s for 1 MiB of
# pathological lines) are not run and the text is kept whole: no real reply is that long.
MAX_TEXT = 1 << 20


def extract(text: str, subject: str = "") -> Split:
    """``text`` split into the answer and the removed part. ``subject`` tells a forward ("Fwd:",
    "WG:", …), whose quoted-looking header block is kept."""
    if len(text) > MAX_TEXT:
        log.warning("reply of %d characters: too long for the rules, kept whole", len(text))
        return Split(text.strip(), "")
    try:
        return split_text(text, subject)
    except Exception:  # a bug in the rules must not lose the customer's answer
        log.exception("reply extraction failed; the whole text is kept")
        return Split(text.strip(), "")
