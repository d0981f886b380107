"""format.cut: a text cut to a number of terminal cells, by slicing when every character is one
cell wide (ONE_CELL), else a character at a time; both give the same answer."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from netmsg_tui.tui.format import ONE_CELL, cut


def measured_cut(text: str, width: int) -> str:
    """The rule, measured a character at a time."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for char in text:
        used += cell_len(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def test_every_one_cell_character_is_one_cell_for_rich() -> None:
    assert [c for c in sorted(ONE_CELL) if cell_len(c) != 1] == []


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Alpine Foods GmbH", 30, "Alpine Foods GmbH"),
        ("Alpine Foods GmbH", 8, "Alpine …"),
        ("Größe — Lieferung", 10, "Größe — L…"),
        ("東京商事株式会社", 7, "東京商…"),  # two cells each: three fit before the "…"
        ("abc", 0, ""),
        ("", 5, ""),
    ],
)
def test_cut(text: str, width: int, expected: str) -> None:
    assert cut(text, width) == expected
    assert cell_len(cut(text, width)) <= max(width, 0)


def test_cut_agrees_with_measuring_each_character() -> None:
    rng = random.Random(15)
    alphabet = "abc XYZ 09.-" + "äöüßé" + "—…“" + "東京" + "😀" + "\u0301\u200b\xad"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        width = rng.randint(-1, 30)
        assert cut(text, width) == measured_cut(text, width), (text, width)
