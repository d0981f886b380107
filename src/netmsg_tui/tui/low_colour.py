"""Terminals where colour cannot draw the edge of a field: NO_COLOR, or 8/16 colours (xterm).

The fields are drawn in shades of the background (the Subject field a lighter band, the message
box a border a little lighter than the screen). With ``NO_COLOR`` Textual turns every colour to
grey, and a terminal of 16 colours rounds those greys to black: the Subject field had no box and
the message box a black border on black. In such a terminal the app has the class
``-low-colour`` and ``screens.tcss`` draws the edges with line characters in the text colour, and
the focus with a heavier line, which read without any colour.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

#: Rich's colour systems that give no shades to tell a field from the screen around it.
FEW_COLOURS = {None, "standard", "windows"}


def is_low_colour(app: App[Any]) -> bool:
    return app.no_color or app.console.color_system in FEW_COLOURS
