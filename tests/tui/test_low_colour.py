"""Field edges that read without colour (issue 14, item 6): with ``NO_COLOR`` or a terminal of
8/16 colours (``TERM=xterm``) the Subject field has a box and the message box a border, drawn
with line characters that differ from the background in the colours the terminal gets; the
focused field has the heavier line. Checked on the screen's cells at 80×24, in the colours the
terminal is sent (the app's own colour filter applied, then rounded to the terminal's palette)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.style import Style
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input, TextArea

from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, make_app, ready
from tests.waiting import wait_until

SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}
LIGHT = set("╭╮╰╯─│")
HEAVY = set("┏┓┗┛━┃")

TERMINALS = [
    pytest.param({"TERM": "xterm", "NO_COLOR": "1"}, id="xterm-no-color"),
    pytest.param({"TERM": "xterm"}, id="xterm-16-colours"),
    pytest.param({"TERM": "xterm-256color", "NO_COLOR": "1"}, id="256-colours-no-color"),
]


@pytest.fixture(params=TERMINALS)
def terminal(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment the app starts in (it reads NO_COLOR and TERM when it is made)."""
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in request.param.items():
        monkeypatch.setenv(name, value)


def _colour(color: object, system: ColorSystem) -> object:
    return None if color is None else color.downgrade(system).number  # type: ignore[attr-defined]


def cells(app: App[object]) -> list[list[tuple[str, bool]]]:
    """Every cell of the screen: its character and whether the user sees it (a character
    whose colour, as the terminal gets it, differs from its background's)."""
    system = SYSTEMS[str(app.console.color_system)]
    rows = []
    for strip in app.screen._compositor.render_strips():
        row: list[tuple[str, bool]] = []
        for segment in strip:
            style = segment.style or Style()
            fg, bg = _colour(style.color, system), _colour(style.bgcolor, system)
            if style.reverse:
                fg, bg = bg, fg
            seen = fg != bg or (fg is None and bg is None)
            for char in segment.text:
                row.append((char, seen and not char.isspace()))
                row.extend([("", False)] * (cell_len(char) - 1))
        rows.append(row)
    return rows


def box_of(app: App[object], widget: Widget) -> set[str]:
    """The characters of ``widget``'s outline, all of them seen, or fail saying what is not."""
    rows = cells(app)
    r = widget.region
    outline = [
        *rows[r.y][r.x : r.right],
        *rows[r.bottom - 1][r.x : r.right],
        *(rows[y][x] for y in range(r.y + 1, r.bottom - 1) for x in (r.x, r.right - 1)),
    ]
    unseen = [char for char, seen in outline if not seen or char not in LIGHT | HEAVY]
    picture = "\n".join("".join(c for c, _ in row) for row in rows)
    assert not unseen, f"{widget} has no outline one can see ({unseen[:5]}):\n{picture}"
    return {char for char, _ in outline}


async def test_subject_and_message_boxes_are_seen_without_colour(
    terminal: None, network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.has_class("-low-colour")
        app.new_conversation(network.customer_on)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ComposeScreen) and app.screen.customer is not None,
            "the composer with its customer",
        )
        subject = app.screen.query_one("#subject", Input)
        body = app.screen.query_one("#body", TextArea)
        await wait_until(pilot, lambda: app.focused is subject, "Subject focused")
        await pilot.pause()
        assert box_of(app, subject) <= HEAVY  # the field with the cursor: the heavy line
        assert box_of(app, body) <= LIGHT  # the message box, not focused: seen all the same

        await pilot.press(*"Hello", "tab")
        await wait_until(pilot, lambda: app.focused is body, "the message box focused")
        await pilot.pause()
        assert box_of(app, subject) <= LIGHT
        assert box_of(app, body) <= HEAVY
        assert subject.value == "Hello"  # the text is inside the box: the line shows it
        assert "Hello" in "".join(c for c, _ in cells(app)[subject.region.y + 1])


async def test_reply_box_border_is_seen_without_colour(
    terminal: None, network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conversation = await store.start_conversation(network.customer_on, "Pallets", "Hello")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_thread(conversation.id)
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
        # Unopened (drawn as the empty box until it is used), then the real box, unfocused.
        await wait_until(pilot, lambda: app.screen.query("#body-unopened"), "the reply box")
        await pilot.pause()
        assert box_of(app, app.screen.query_one("#body-unopened")) <= LIGHT

        await pilot.press("r", "tab")  # into the box (it opens), on to Attach
        body = app.screen.query_one("#body", TextArea)
        await wait_until(
            pilot, lambda: app.focused is not None and app.focused.id == "attach", "Attach"
        )
        await pilot.pause()
        assert box_of(app, body) <= LIGHT


async def test_colour_terminals_keep_their_look(
    network: Network, open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLORTERM", "truecolor")
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert not app.has_class("-low-colour")
