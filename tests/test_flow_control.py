"""cli/flow_control.py on a real pty: IXON off inside, the attributes as they were after it,
also when the block raises and after a change made inside (Textual's restore puts back the copy
it took inside, IXON off)."""

from __future__ import annotations

import io
import os
import sys
import termios

import pytest

from netmsg_tui.cli.flow_control import flow_control_off


def test_ixon_is_off_inside_and_everything_back_after_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    master, slave = os.openpty()
    try:
        with os.fdopen(os.dup(slave), "r") as terminal:
            monkeypatch.setattr(sys, "stdin", terminal)
            before = termios.tcgetattr(slave)
            assert before[0] & termios.IXON
            with pytest.raises(RuntimeError), flow_control_off():
                inside = termios.tcgetattr(slave)
                assert not inside[0] & termios.IXON
                assert inside[3] == before[3]  # only IXON: still cooked, echoing
                inside[3] &= ~(termios.ICANON | termios.ECHO)  # as an app's raw mode
                termios.tcsetattr(slave, termios.TCSANOW, inside)
                raise RuntimeError
            assert termios.tcgetattr(slave) == before
    finally:
        os.close(master), os.close(slave)


def test_a_standard_input_that_is_no_terminal_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("piped"))
    with flow_control_off():
        assert sys.stdin.read() == "piped"
