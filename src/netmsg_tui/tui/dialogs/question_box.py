"""The look of a short question over the screen (discard the draft? quit with unsent text?
replace the file?): a box in the warning colour with the question and a row of buttons. Each
question sets its own width and the gap between its buttons."""

from __future__ import annotations

from ..base import NetmsgModalScreen, ResultType


class QuestionBox(NetmsgModalScreen[ResultType]):
    """Compose a ``Vertical`` holding the question and a ``Horizontal`` of buttons."""

    DEFAULT_CSS = """
    QuestionBox { align: center middle; }
    QuestionBox > Vertical {
        max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 0 1;
    }
    QuestionBox Horizontal { height: auto; margin-top: 1; }
    """
