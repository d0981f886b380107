"""Reply extraction: accuracy of ours beside every other extractor installed, on the corpus in
tests/mail/replies/ (the same cases the test suite runs).

    python bench/reply_extraction.py                  # the table
    python bench/reply_extraction.py --failures ours  # ours' misses, mail by mail
    python bench/reply_extraction.py --by-language    # ours, per language
    python bench/reply_extraction.py --files 'holdout*'   # some corpus files only
    python bench/reply_extraction.py --talon-fixtures DIR  # real replies we did not write

Two measures per extractor: *exact* (the result equals the expected answer after whitespace
normalisation) and *clean* (every answer line kept and no line of the quoted history kept; a
kept signature is not history). An extractor that raises counts as wrong on that mail.

Only ours and mail-parser-reply (the project's ``mail`` extra) are in the project's
environment; the others are not project dependencies. For the full table, in a separate
virtualenv (talon needs lxml, scikit-learn and numpy, all from PyPI wheels):

    python3 -m venv /tmp/replybench
    /tmp/replybench/bin/pip install mail-parser-reply talon email-reply-parser quotequail \\
        unquotemail email-reply-extractor
    /tmp/replybench/bin/python bench/reply_extraction.py

(this script puts ``src/`` on the path itself, so ours runs there without installing the
project). Extractors that read only text get an HTML mail as a client's text part would have it
(``<blockquote>`` as ``>`` lines); those that read HTML get the HTML, and their HTML result is
turned into text the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.message
import email.policy
import fnmatch
import importlib.metadata
import io
import logging
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.mail import reply_corpus  # noqa: E402
from tests.mail.reply_corpus import Case  # noqa: E402

from netmsg_tui.mail.reply_text import body_text, html_to_text, strip_reply  # noqa: E402

Extractor = Callable[[Case], str]


def ours(case: Case) -> str:
    text = html_to_text(case.mail) if case.html else case.mail
    return strip_reply(text, case.subject)[0]


def _mail_parser_reply() -> Extractor:
    from mailparser_reply import EmailReplyParser
    from mailparser_reply.constants import MAIL_LANGUAGES

    parser = EmailReplyParser(languages=list(MAIL_LANGUAGES))

    def run(case: Case) -> str:
        return parser.parse_reply(case.mail_text()) or ""

    return run


def _email_reply_parser() -> Extractor:
    from email_reply_parser import EmailReplyParser

    def run(case: Case) -> str:
        return str(EmailReplyParser.parse_reply(case.mail_text()))

    return run


def _talon(signature: bool) -> Callable[[], Extractor]:
    def factory() -> Extractor:
        logging.getLogger("talon").setLevel(logging.CRITICAL)
        import talon
        from talon import quotations
        from talon.signature.bruteforce import extract_signature

        talon.init()

        def run(case: Case) -> str:
            if case.html:
                text = reply_corpus.plain_from_html(quotations.extract_from_html(case.mail))
            else:
                text = quotations.extract_from_plain(case.mail)
            return str(extract_signature(text)[0]) if signature else str(text)

        return run

    return factory


def _quotequail() -> Extractor:
    import quotequail

    def run(case: Case) -> str:
        if case.html:
            parts = quotequail.quote_html(case.mail)
            return "\n".join(reply_corpus.plain_from_html(t) for new, t in parts if new)
        return "\n".join(text for new, text in quotequail.quote(case.mail) if new)

    return run


def _unquotemail() -> Extractor:
    from unquotemail import Unquote

    def run(case: Case) -> str:
        if case.html:
            return reply_corpus.plain_from_html(Unquote(case.mail, None).get_html() or "")
        return str(Unquote(None, case.mail).get_text() or "")

    return run


def _email_reply_extractor() -> Extractor:
    # Its first stage only: the second (clean_for_scoring) also drops greetings such as "Hello".
    from email_reply_extractor import extract_new_text

    def run(case: Case) -> str:
        if case.html:
            return extract_new_text(case.mail_text(), html_body=case.mail).text or ""
        return extract_new_text(case.mail).text or ""

    return run


# name, PyPI distribution, factory
OTHERS: list[tuple[str, str, Callable[[], Extractor]]] = [
    ("mail-parser-reply", "mail-parser-reply", _mail_parser_reply),
    ("talon", "talon", _talon(signature=False)),
    ("talon + signature", "talon", _talon(signature=True)),
    ("email-reply-parser", "email-reply-parser", _email_reply_parser),
    ("quotequail", "quotequail", _quotequail),
    ("unquotemail", "unquotemail", _unquotemail),
    ("email-reply-extractor", "email-reply-extractor", _email_reply_extractor),
]


def extractors() -> list[tuple[str, str, Extractor]]:
    found: list[tuple[str, str, Extractor]] = [("ours", "netmsg-tui mail/reply", ours)]
    for name, dist, factory in OTHERS:
        try:
            version = importlib.metadata.version(dist)
            found.append((name, f"{dist} {version}", factory()))
        except Exception as exc:  # not installed here, or broken: say so in the table
            print(f"({name}: not available: {type(exc).__name__}: {exc})", file=sys.stderr)
    return found


def run_one(extract: Extractor, case: Case) -> str:
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return extract(case)
    except Exception:  # another extractor's crash is a miss, not the bench's end
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", metavar="NAME", help="list one extractor's misses")
    parser.add_argument("--by-language", action="store_true", help="ours, per language")
    parser.add_argument(
        "--files", metavar="GLOB", help="only the corpus files matching this, e.g. 'holdout*'"
    )
    parser.add_argument(
        "--talon-fixtures",
        metavar="DIR",
        type=Path,
        help="instead of our corpus, the real client replies talon's source ships "
        "(talon-1.4.4/tests/fixtures)",
    )
    args = parser.parse_args()
    cases = _talon_fixtures(args.talon_fixtures) if args.talon_fixtures else reply_corpus.load()
    if args.files:
        cases = [case for case in cases if fnmatch.fnmatch(case.source, args.files + "*")]
    found = extractors()
    print(f"{len(cases)} mails ({sum(c.html for c in cases)} HTML), "
          f"{len({c.language for c in cases})} languages\n")  # fmt: skip
    print(f"| {'extractor':<24} | {'exact':>15} | {'clean':>15} | version")
    print(f"| {'-' * 24} | {'-' * 15}:| {'-' * 15}:| -------")
    for name, version, extract in found:
        results = [run_one(extract, case) for case in cases]
        ok = sum(reply_corpus.exact(r, c) for r, c in zip(results, cases, strict=True))
        tidy = sum(reply_corpus.clean(r, c) for r, c in zip(results, cases, strict=True))
        print(f"| {name:<24} | {_share(ok, len(cases)):>15} | {_share(tidy, len(cases)):>15} "
              f"| {version}")  # fmt: skip
        if args.failures == name:
            _failures(results, cases)
    if args.by_language:
        _by_language(cases)


def _talon_fixtures(folder: Path) -> list[Case]:
    """Mails we did not write: talon's standard replies (the text part of real client mails;
    the answer is "Hello", a signature or "Sent from my iPhone" under it is extra) and HTML
    replies (the answer is "Hi. I am fine. / Thanks, / Alex")."""
    cases: list[Case] = []
    for path in sorted((folder / "standard_replies").glob("*.eml")):
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(mail, email.message.EmailMessage)
        signature = path.with_name(path.stem + "_reply_text")
        extra = signature.read_text().strip() if signature.exists() else ""
        subject = str(mail["Subject"] or "")
        text = body_text(mail)
        cases.append(Case(f"talon-{path.stem}", text, "Hello", extra, subject, source=path.name))
    for path in sorted((folder / "html_replies").glob("*.html")):
        html = path.read_text(encoding="utf-8", errors="replace")
        answer = "Hi. I am fine.\n\nThanks,\nAlex"
        cases.append(Case(f"talon-{path.stem}", html, answer, html=True, source=path.name))
    return cases


def _share(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}% ({hits}/{total})"


def _failures(results: list[str], cases: list[Case]) -> None:
    for result, case in zip(results, cases, strict=True):
        if not reply_corpus.exact(result, case):
            tag = "exact miss" if reply_corpus.clean(result, case) else "NOT CLEAN"
            print(
                f"\n--- {case.name} ({case.source}, {tag})\n{result}\n--- expected\n{case.answer}"
            )


def _by_language(cases: list[Case]) -> None:
    print("\n| language | mails | ours exact |\n| --- | ---: | ---: |")
    for language in sorted({c.language for c in cases}):
        some = [c for c in cases if c.language == language]
        ok = sum(reply_corpus.exact(ours(c), c) for c in some)
        print(f"| {language} | {len(some)} | {ok}/{len(some)} |")


if __name__ == "__main__":
    main()
