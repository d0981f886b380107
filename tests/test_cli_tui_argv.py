"""`netmsg`'s TUI options read by hand (cli/tui_argv.py) mean what argparse makes of them."""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import itertools
import random

import pytest

from netmsg_tui.cli import build_parser
from netmsg_tui.cli.tui_argv import tui_options

TOKENS = [
    "--store",
    "--store=a.db",
    "--store=",
    "a.db",
    "",
    "-x",
    "-",
    "--demo",
    "--demo=1",
    "--plan",
    "standard",
    "enterprise",
    "gold",
    "--plan=standard",
    "--plan=",
    "--account",
    "7",
    "+7",
    " 7 ",
    "1_000",
    "x7",
    "--account=-3",
    "--account=",
    "--profile",
    "work",
    "--prof",
    "--st",
    "--",
    "-h",
    "--help",
    "--version",
    "threads",
    "--json",
]


@functools.cache
def parser() -> argparse.ArgumentParser:
    return build_parser()


def argparse_options(argv: list[str]) -> dict[str, object] | None:
    """What the whole parser makes of ``argv`` when it opens the TUI; None for an error, help,
    version or a subcommand."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            parsed = parser().parse_args(argv)
        except SystemExit:
            return None
    found = vars(parsed)
    if found.pop("command") is not None:
        return None
    return found


#: Options with their values, most of them well formed, to make longer lists of.
UNITS = [
    ["--store", "a.db"],
    ["--store", ""],
    ["--store=-x"],
    ["--store=b=c.db"],
    ["--demo"],
    ["--plan", "standard"],
    ["--plan=enterprise"],
    ["--account", "7"],
    ["--account", " 7 "],
    ["--account", "+7"],
    ["--account", "1_000"],
    ["--account=-3"],
    ["--profile", "work"],
    ["--profile", "-w"],
    ["--plan", "gold"],
    ["threads"],
    ["--help"],
]


def argv_lists() -> list[list[str]]:
    short = [list(p) for n in range(3) for p in itertools.product(TOKENS, repeat=n)]
    chance = random.Random(15)
    longer = [chance.choices(TOKENS, k=chance.randint(3, 7)) for _ in range(2000)]
    units = [
        [token for unit in chance.choices(UNITS, k=chance.randint(1, 5)) for token in unit]
        for _ in range(2000)
    ]
    return short + longer + units


def test_an_answer_by_hand_is_argparses_answer() -> None:
    answered = 0
    for argv in argv_lists():
        by_hand = tui_options(argv)
        if by_hand is None:
            continue  # argparse reads it, as before
        answered += 1
        assert vars(by_hand) == argparse_options(argv), argv
    assert answered > 100  # the hand reader did answer: the comparison was made


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--store", "/tmp/x.db"],
        ["--store=sqlite:///tmp/x.db", "--profile", "work"],
        ["--store", "https://example.test", "--account", "12"],
        ["--demo", "--plan", "standard"],
        ["--demo", "--plan=enterprise"],
    ],
)
def test_the_usual_ways_to_open_the_tui_skip_argparse(argv: list[str]) -> None:
    by_hand = tui_options(argv)
    assert by_hand is not None
    assert vars(by_hand) == argparse_options(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["threads"],
        ["--store", "x.db", "threads", "--json"],
        ["--plan", "gold"],
        ["--account", "seven"],
        ["--store"],
        ["--st", "x.db"],
        ["--store", "--demo"],
        ["--demo=yes"],
        ["--", "--store", "x.db"],
    ],
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert tui_options(argv) is None
