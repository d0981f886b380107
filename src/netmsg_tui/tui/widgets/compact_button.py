"""Textual's compact Button, made with the CSS classes it gives itself once mounted.

A Button adds its style classes (``-style-default``, ``-textual-compact``, its variant) from
watchers that run when it is mounted, after the stylesheet styled it: each class added styled it
again, with Button's ~7,000 characters of CSS (every variant and state), ~1 ms each time on this
machine, and a thread's reply box has two buttons (issue 15: opening a thread). Made with the
classes already there, the watchers find nothing to add.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button
from textual.widgets.button import ButtonVariant

#: What Textual 8's Button adds for its default look (flat=False).
STYLE_CLASS = "-style-default"
#: What it adds for ``compact=True`` (its ``compact`` reactive toggles it).
COMPACT_CLASS = "-textual-compact"


def compact_button(label: str, *, variant: ButtonVariant = "default", **kwargs: Any) -> Button:
    """``Button(label, variant=variant, compact=True, **kwargs)``, its classes set at once.

    ``compact`` is set without its class toggle: Textual first sets the reactive's default
    (False, removing the class), then the value (adding it), each time styling the button."""
    classes = [STYLE_CLASS] if variant == "default" else [STYLE_CLASS, f"-{variant}"]
    if extra := kwargs.pop("classes", None):
        classes.append(extra)
    button = Button(label, variant=variant, classes=" ".join(classes), **kwargs)
    button.add_class(COMPACT_CLASS, update=False)
    button.set_reactive(Button.compact, True)
    return button
