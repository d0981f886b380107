"""Every mail of the reply corpus (tests/mail/replies/) through the extractor the inbound path
uses: the answer kept exactly, no quoted line kept."""

from __future__ import annotations

import pytest

from netmsg_tui.mail.reply_text import html_to_text, strip_reply

from . import reply_corpus
from .reply_corpus import Case

CASES = reply_corpus.load()


def ours(case: Case) -> str:
    text = html_to_text(case.mail) if case.html else case.mail
    return strip_reply(text, case.subject)[0]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_answer_is_kept_and_the_history_gone(case: Case) -> None:
    result = ours(case)
    assert reply_corpus.clean(result, case), result
    if case.known_miss:
        assert not reply_corpus.exact(result, case), "known miss now passes: drop its mark"
        pytest.xfail(case.known_miss)
    assert reply_corpus.normalise(result) == reply_corpus.normalise(case.answer)


def test_the_corpus_covers_every_language_and_client() -> None:
    assert len(CASES) >= 150
    assert {case.language for case in CASES} >= reply_corpus.LANGUAGES
    names = " ".join(case.name for case in CASES)
    for client in ("outlook", "gmail", "apple", "thunderbird", "yahoo", "android"):
        assert f"-{client}" in names, client
    for style in ("top", "bottom", "inline", "forward", "signature", "false-positive"):
        assert f"-{style}" in names, style
    assert sum(case.html for case in CASES) >= 25


def test_a_text_too_long_for_the_rules_is_kept_whole() -> None:
    text = "Yes, Friday.\n\nOn Thu, Nov 26, 2026 at 10:15 AM A <a@b.example> wrote:\n" + (
        "> " + "x" * 78 + "\n"
    ) * (1 << 14)
    assert strip_reply(text) == (text.strip(), "")
    assert strip_reply(text[: 1 << 19])[0] == "Yes, Friday."
