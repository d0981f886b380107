"""The translation layer: language choice, catalog reading, formats, and the German catalog's
completeness (every msgid in the code translated, placeholders kept)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from netmsg_tui import i18n
from netmsg_tui.i18n import _, formats, ngettext, resolve_language, use_language
from netmsg_tui.i18n.extract import ExtractError, find_msgids, problems
from netmsg_tui.i18n.po import Catalog, PoError, read_catalog


def test_the_german_catalog_translates_every_msgid_in_the_code() -> None:
    report = problems("de")
    assert report == [], "\n".join(report[:40]) + f"\n({len(report)} problems)"


@pytest.mark.parametrize(
    ("configured", "environ", "expected"),
    [
        ("de", {"LANG": "en_US.UTF-8"}, "de"),
        (None, {"LANG": "de_DE.UTF-8"}, "de"),
        (None, {"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "de_AT.UTF-8", "LANG": "en_GB.UTF-8"}, "de"),
        (None, {"LANGUAGE": "fr:de", "LANG": "en_US.UTF-8"}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_language_comes_from_config_then_the_locale(
    configured: str | None, environ: dict[str, str], expected: str
) -> None:
    assert resolve_language(configured, environ) == expected


def test_an_unknown_configured_language_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'fr'.*en, de"):
        resolve_language("fr", {})


def test_accept_language_picks_the_best_spoken_language() -> None:
    assert i18n.negotiate("fr-CH, fr;q=0.9, de;q=0.8, en;q=0.5") == "de"
    assert i18n.negotiate("en;q=0.9, de;q=0.3") == "en"
    assert i18n.negotiate("de;q=bad, *;q=0.1") == "en"
    assert i18n.negotiate(None) == "en"


def test_a_context_language_wins_and_ends_with_its_block(tmp_path: Path) -> None:
    catalog = tmp_path / "t.po"
    catalog.write_text('msgid "Send"\nmsgstr "Senden"\n', encoding="utf-8")
    assert read_catalog(catalog).text("Send") == "Senden"
    with use_language("de"):
        assert i18n.language() == "de"
    assert i18n.language() == "en"
    assert _("a msgid no catalog has") == "a msgid no catalog has"


def test_po_files_with_continuations_plurals_and_fuzzy_entries(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text(
        'msgid ""\nmsgstr "Language: de\\n"\n\n'
        'msgid "Two "\n"lines"\nmsgstr "Zwei "\n"Zeilen \\"quoted\\""\n\n'
        '#, fuzzy\nmsgid "Maybe"\nmsgstr "Vielleicht"\n\n'
        'msgid "{n} message"\nmsgid_plural "{n} messages"\n'
        'msgstr[0] "{n} Nachricht"\nmsgstr[1] "{n} Nachrichten"\n',
        encoding="utf-8",
    )
    catalog = read_catalog(path)
    assert catalog.text("Two lines") == 'Zwei Zeilen "quoted"'
    assert catalog.text("Maybe") == "Maybe"  # fuzzy: not trusted
    assert catalog.plural_text("{n} message", "{n} messages", 3) == "{n} Nachrichten"
    assert catalog.plural_text("{n} message", "{n} messages", 1) == "{n} Nachricht"
    path.write_text('msgid "a"\nmsgstr unquoted\n', encoding="utf-8")
    with pytest.raises(PoError, match="x.po:2"):
        read_catalog(path)


def test_ngettext_in_english_follows_n() -> None:
    assert ngettext("{n} message", "{n} messages", 1) == "{n} message"
    assert ngettext("{n} message", "{n} messages", 0) == "{n} messages"


def test_an_f_string_msgid_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text('name = "x"\n_(f"Hello {name}")\n', encoding="utf-8")
    with pytest.raises(ExtractError, match="bad.py:2"):
        find_msgids(tmp_path)


def test_dates_and_amounts_in_each_language() -> None:
    moment = datetime(2026, 3, 5, 14, 7)
    assert formats.date_time(moment) == "05 Mar 2026 14:07"
    assert formats.amount(Decimal("1234567.5"), "EUR") == "1,234,567.50 EUR"
    with use_language("de"):
        assert formats.date_time(moment) == "05.03.2026 14:07"
        assert formats.day_month(moment) == "05.03."
        assert formats.amount(Decimal("1234567.5"), "EUR") == "1.234.567,50 EUR"
        assert formats.count(12000) == "12.000"


def test_po_strings_unescape_as_gettext_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text(
        'msgid "a"\nmsgstr "tab\\there, line\\n, back\\\\slash, \\"q\\", octal \\101, hex \\x42"\n',
        encoding="utf-8",
    )
    assert read_catalog(path).text("a") == 'tab\there, line\n, back\\slash, "q", octal A, hex B'
    for bad in ('"a"b"', '"ends in \\"', '"\\q"'):
        path.write_text(f'msgid "a"\nmsgstr {bad}\n', encoding="utf-8")
        with pytest.raises(PoError, match="x.po:2"):
            read_catalog(path)


def test_the_catalog_read_from_many_threads_at_once_is_read_whole_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server's store threads may all speak German first together (CI saw a 500: the
    parser the reader used was not thread-safe). Each gets the same, whole catalog."""
    expected = i18n.catalog("de").text("The server failed on this request")
    assert expected != "The server failed on this request"
    for _round in range(5):
        monkeypatch.setattr(i18n, "_catalogs", {})
        start = threading.Barrier(8)
        with ThreadPoolExecutor(8) as pool:
            catalogs = list(pool.map(_read_german_after, [start] * 8))
        assert all(c is catalogs[0] for c in catalogs)
        assert catalogs[0].text("The server failed on this request") == expected


def _read_german_after(start: threading.Barrier) -> Catalog:
    start.wait()
    return i18n.catalog("de")
