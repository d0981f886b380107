"""Outside text as a rich ``Text``: sanitised for the terminal and never parsed as markup."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ..terminal_text import printable, printable_line


def safe_text(value: str, style: str = "", *, multi_line: bool = False, **options: Any) -> Text:
    """``Text(value)`` with controls and bidi controls shown as placeholders (see
    ``terminal_text``); one line unless ``multi_line`` (a message body)."""
    clean = printable(value) if multi_line else printable_line(value)
    return Text(clean, style=style, **options)
