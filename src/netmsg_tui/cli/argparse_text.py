"""argparse's own words ("usage:", "options", "error:", "the following arguments are required")
in the interface's language.

argparse looks its words up at call time through the module-level names ``_`` and ``ngettext``
it imported from :mod:`gettext` (the process-wide ``messages`` domain, found through ``.mo``
files and the locale variables, never our ``config.toml``). While :func:`argparse_in_language`
is active those two names point at :mod:`netmsg_tui.i18n` instead, so the same catalog and the
same language choice serve argparse's words and ours; afterwards they are put back, so nothing
else in the process (a test runner's own argparse) is changed. The alternative, subclassing the
parser and its help formatter, would mean copying the stdlib methods that hold these strings
(usage, error, the required-arguments check, choice and type checks) and following their changes.

:data:`ARGPARSE_MSGIDS` lists the words argparse can show to a user of ``netmsg``: marked with
``N_`` so the catalog check requires their German translation (cli.po).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from ..i18n import N_, _, ngettext

ARGPARSE_MSGIDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


@contextmanager
def argparse_in_language() -> Iterator[None]:
    """Inside this block argparse's words follow :func:`netmsg_tui.i18n.language`."""
    saved = argparse.__dict__["_"], argparse.__dict__["ngettext"]
    setattr(argparse, "_", _)  # noqa: B010 (the names are private to argparse: no stubs)
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010
