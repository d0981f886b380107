"""The TUI's own options read by hand, for start-up: ``netmsg``, ``netmsg --store X`` and the like.

Building the argparse parser and importing argparse (and gettext, which argparse imports) cost
~2-3 ms of the TUI's start; :func:`tui_options` reads the five top-level options without them.
It answers only for an argument list that is nothing but those options, each well formed;
anything else (a subcommand, ``--help``, ``--version``, an abbreviated or unknown option, a
value argparse would refuse or read differently) gets None, and argparse parses it as before,
with its errors and help. The answer equals argparse's namespace for the same list
(tests/test_cli_tui_argv.py holds the two side by side).
"""

from __future__ import annotations

from types import SimpleNamespace

#: The options that take a value, by the attribute argparse stores them in.
VALUED = {"--store": "store", "--profile": "profile", "--account": "account", "--plan": "plan"}
PLANS = ("enterprise", "standard")


def tui_options(argv: list[str]) -> SimpleNamespace | None:
    """The TUI's options when ``argv`` holds only well-formed ``--store URL``, ``--profile
    NAME``, ``--account ID``, ``--demo`` and ``--plan PLAN`` (also as ``--option=value``); else
    None. The attributes and defaults are those of the top-level parser in cli/__init__.py."""
    found: dict[str, object] = {
        "store": None,
        "profile": None,
        "account": None,
        "demo": False,
        "plan": "enterprise",
    }
    rest = iter(argv)
    for arg in rest:
        if arg == "--demo":
            found["demo"] = True
            continue
        option, equals, value = arg.partition("=")
        name = VALUED.get(option)
        if name is None:
            return None
        if not equals:
            following = next(rest, None)
            # A value that starts with "-" may be read as an option by argparse: let it say.
            if following is None or following.startswith("-"):
                return None
            value = following
        if name == "account":
            try:
                found[name] = int(value)  # as argparse's type=int reads it
            except ValueError:
                return None
        elif name == "plan" and value not in PLANS:
            return None
        else:
            found[name] = value
    return SimpleNamespace(**found)
