"""The terminal sanitiser, class by class: what a terminal would obey is shown, never sent."""

from __future__ import annotations

import json

import pytest

from netmsg_tui.terminal_text import escape_json_text, printable, printable_line

#: Every character a terminal (or the bidi algorithm) would act on, with its placeholder.
HOSTILE = [
    ("\x00", "␀"),
    ("\x07", "␇"),  # BEL
    ("\x08", "␈"),  # backspace: would erase what came before
    ("\x1b", "␛"),  # ESC: starts CSI, OSC, DCS …
    ("\x7f", "␡"),  # DEL
    ("\x85", "⟨U+0085⟩"),  # C1 NEL
    ("\x9b", "⟨U+009B⟩"),  # C1 CSI: one byte that starts a control sequence
    ("\x9d", "⟨U+009D⟩"),  # C1 OSC
    ("\u202a", "⟨U+202A⟩"),
    ("\u202e", "⟨U+202E⟩"),  # right-to-left override
    ("\u2066", "⟨U+2066⟩"),
    ("\u2069", "⟨U+2069⟩"),
]


@pytest.mark.parametrize(("char", "shown"), HOSTILE)
def test_each_control_class_is_shown_as_a_placeholder(char: str, shown: str) -> None:
    assert printable(f"a{char}b") == f"a{shown}b"
    assert printable_line(f"a{char}b") == f"a{shown}b"


def test_escape_sequences_lose_their_escape() -> None:
    body = "x \x1b]52;c;ZWNobyBwd25lZA==\x1b\\ \x1b]0;TITLE\x1b\\ \x1b[2J \x9b31m"
    shown = printable(body)
    assert shown == "x ␛]52;c;ZWNobyBwd25lZA==␛\\ ␛]0;TITLE␛\\ ␛[2J ⟨U+009B⟩31m"
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)


def test_every_c0_c1_and_bidi_character_is_replaced() -> None:
    codes = [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    text = "".join(chr(c) for c in codes if chr(c) not in "\n\t\r")
    for shown in (printable(text), printable_line(text)):
        assert not set(shown) & {chr(c) for c in codes}


def test_layout_kept_in_multi_line_text_and_folded_in_one_line() -> None:
    assert printable("one\n\ttwo\r\nthree") == "one\n\ttwo\nthree"
    assert printable_line("one\n\ttwo\r\nthree") == "one  two  three"
    # A lone CR would let a line overwrite itself: shown.
    assert printable("paid\rUNPAID") == "paid␍UNPAID"
    assert printable("a\u2028b") == "a\nb"
    assert printable_line("a\u2029b") == "a b"


def test_bidi_marks_and_ordinary_text_are_kept() -> None:
    # LRM, RLM and ALM are kept (documented decision): real right-to-left names use them.
    for text in ("שלום\u200f", "\u200eabc", "\u061cمرحبا", "Größe 3 × 4 € ✓ 🙂", "[/] [EUR]"):
        assert printable(text) == text
        assert printable_line(text) == text


def test_clean_text_is_returned_as_is() -> None:
    text = "Alpine Foods GmbH — Samples"
    assert printable(text) is text
    assert printable_line(text) is text


def test_lone_surrogates_become_replacement_characters() -> None:
    assert printable("a\ud800b") == "a\ufffdb"


def test_json_escapes_c1_and_bidi_and_round_trips() -> None:
    original = {"body": "a\x9b31m \u202eexe.pdf \u200f \x7f é 🙂 \x1b[2J \u2028"}
    text = escape_json_text(json.dumps(original, ensure_ascii=False))
    assert json.loads(text) == original
    assert "\\u009b" in text and "\\u202e" in text and "\\u200f" in text
    assert not any(0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E for c in text)
    assert "é 🙂" in text  # other non-ASCII stays readable
