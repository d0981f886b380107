"""Questions about unsent text: ``ctrl+q`` with text in a composer asks send / keep as draft /
discard; discarding a draft asks first. Screens that hold a composer say so through
:class:`HoldsUnsentText`, so the app asks without knowing which screens those are."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ...i18n import N_, _
from ...store import StoreError
from ..base import NetmsgScreen
from .question_box import QuestionBox

QuitChoice = Literal["send", "keep", "discard"]


@runtime_checkable
class HoldsUnsentText(Protocol):
    """A screen with a composer. ``send_unsent`` returns True once the text is sent (or
    queued); the others save or forget the draft in the store before returning."""

    def has_unsent_text(self) -> bool: ...

    async def send_unsent(self) -> bool: ...

    async def keep_unsent(self) -> None: ...

    async def discard_unsent(self) -> None: ...


class _Question(QuestionBox[str | None]):
    """A short question with one button per answer; each button's first letter picks it."""

    DEFAULT_CSS = """
    _Question > Vertical { width: 64; }
    /* Textual's 16 columns each: four answers did not fit 60 (Cancel (Esc) was cut). */
    _Question Button { margin-right: 1; min-width: 8; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer('')", N_("Cancel"), id="question-cancel"),
    ]

    #: The question and the labels are marked with N_ and translated when shown.
    question = ""
    #: (answer, label): the translated label's first letter is the answer's key (distinct
    #: within a question in each language: s/k/d, German s/e/v).
    answers: ClassVar[tuple[tuple[str, str], ...]] = ()
    default = "keep"  #: the answer Enter gives at first: the one that loses nothing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_(self.question), markup=False, classes="question")
            with Horizontal():
                for answer, label in self.answers:
                    yield Button(_(label), id=f"answer-{answer}", compact=True)
                yield Button(_("Cancel (Esc)"), id="answer-", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self.default}", Button).focus()

    def on_key(self, event: events.Key) -> None:
        for answer, label in self.answers:
            if event.key == _(label)[0].lower():
                event.stop()
                self.dismiss(answer)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_answer((event.button.id or "answer-").removeprefix("answer-"))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)


class UnsentTextQuestion(_Question):
    """Dismisses with "send", "keep", "discard", or None (stay in the app)."""

    question = N_("There is unsent text. Quit and…")
    answers = (
        ("send", N_("Send it")),
        ("keep", N_("Keep as draft")),
        ("discard", N_("Discard it")),
    )


class DiscardDraftQuestion(_Question):
    """Dismisses with "discard" or None (keep the draft)."""

    question = N_("Discard this draft? Its text cannot be brought back.")
    answers = (("discard", N_("Discard")), ("keep", N_("Keep it")))


async def discard_after_asking(
    screen: NetmsgScreen[Any], discard: Callable[[], Awaitable[None]]
) -> bool:
    """Ask :class:`DiscardDraftQuestion`, then ``discard()``; True once the draft is gone (a
    refusal of the store is said in a toast). Call it from a worker: it waits for the answer."""
    if await screen.app.push_screen_wait(DiscardDraftQuestion()) != "discard":
        return False
    try:
        await discard()
    except StoreError as exc:
        screen.notify(
            _("Could not discard the draft: {error}").format(error=exc), severity="warning"
        )
        return False
    screen.notify(_("Draft discarded."))
    return True
