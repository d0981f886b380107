"""A message's height is counted without wrapping when its characters are all one cell wide and
its lines fit (MessageRun.get_content_height): it must be the height Textual's own wrapping
gives, for any text and width; and its lines are drawn as Textual wraps them."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from rich.style import Style
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import visualize

from netmsg_tui.model import Message
from netmsg_tui.tui.widgets.message_run import FRAME, MessageRun, message_text

#: One-cell letters, spaces, newlines, and a few that are not one cell (wide, zero-width, tab).
ALPHABET = "abcdefghij  xyz,.-–é\n\n" + "界\t\u200b"


def _message(body: str, n: int) -> Message:
    return Message(
        id=n,
        conversation_id=1,
        author="Ann Example",
        author_kind="customer",
        body=body,
        sent_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        origin="app",
    )


class _Column(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="column")


async def test_counted_height_is_textuals_wrapped_height() -> None:
    rng = random.Random(15)
    app = _Column()
    async with app.run_test(size=(100, 30)) as pilot:
        column = app.query_one("#column")
        runs = []
        for n in range(400):
            plain = rng.random() < 0.7  # most without the characters that are not one cell
            letters = ALPHABET[:-4] if plain else ALPHABET
            body = "".join(rng.choice(letters) for _ in range(rng.randrange(0, 160)))
            runs.append(MessageRun([_message(body, n)]))
        await column.mount_all(runs)
        await pilot.pause()
        size = Size(100, 30)
        counted = 0
        for run in runs:
            [message] = run.messages
            textual = visualize(run, message_text(message), markup=False)
            for width in (4, 5, 20, 37, 60, 99):
                wrapped = textual.get_height(run.styles, width - FRAME)
                height = run.get_content_height(size, size, width)
                assert height == 1 + wrapped, (message, width)  # and the blank line above it
            counted += run._cells[0] is not None
        assert counted > 200  # the quick count was tried, not only the fallback


async def test_a_run_draws_each_message_under_a_blank_line_behind_its_border() -> None:
    bodies = ["short", "a line long enough to wrap at forty cells, and then some more"]
    messages = [_message(body, n) for n, body in enumerate(bodies)]
    app = _Column()
    async with app.run_test(size=(60, 30)) as pilot:
        run = MessageRun(messages)
        await app.query_one("#column").mount(run)
        await pilot.pause()
        lines = [strip.text for strip in run.render_lines(run.region.reset_offset)]
        assert len(lines) == 7 and all(len(line) == 60 for line in lines)
        assert lines[0] == lines[3] == " " * 60  # the blank line above each message
        assert lines[1].startswith("█ Ann Example  ")
        assert lines[2] == "█ short".ljust(60)
        assert lines[4].startswith("█ Ann Example  ")
        # Wrapped at a word, as Textual wraps a Static: 60 cells less border and padding.
        assert lines[5] == "█ a line long enough to wrap at forty cells, and then some".ljust(60)
        assert lines[6] == "█ more".ljust(60)
        assert run.plain.split("\n")[5:] == [
            "a line long enough to wrap at forty cells, and then some",
            "more",
        ]
        region = run.region_of(messages[1].id)
        assert region is not None
        assert (region.y - run.region.y, region.height) == (4, 3)


async def test_lines_that_fit_are_drawn_as_textuals_wrapping_draws_them() -> None:
    """A message whose lines fit is drawn without Textual's wrapping (MessageRun._unwrapped):
    the same cells in the same styles, for any text that fits."""
    rng = random.Random(16)
    app = _Column()
    async with app.run_test(size=(100, 30)) as pilot:
        column = app.query_one("#column")
        run = MessageRun([])
        await column.mount(run)
        await pilot.pause()
        compared = 0
        for n in range(300):
            body = "".join(rng.choice(ALPHABET[:-4]) for _ in range(rng.randrange(0, 300)))
            text = message_text(_message(body, n), delivered_late=rng.random() < 0.3)
            if max(len(line) for line in text.plain.split("\n")) > 97:
                continue  # does not fit: wrapped by Textual
            drawn = run._unwrapped(text)
            wrapped = run._wrapped(text, 97)

            def cells(strips: list[Strip]) -> list[list[tuple[str, Style]]]:
                return [
                    [(ch, seg.style.clear_meta_and_links()) for seg in s for ch in seg.text]
                    for s in strips
                ]

            assert cells(drawn) == cells(wrapped), repr(body)
            compared += 1
        assert compared > 100


async def test_the_mouse_selects_a_runs_text_as_it_is_shown() -> None:
    """Dragging over a run selects the text under the mouse, line by line as drawn (without
    the border and padding), and the selection is painted."""
    messages = [_message("first message", 1), _message("second one\nits last line", 2)]
    app = _Column()
    async with app.run_test(size=(60, 12)) as pilot:
        run = MessageRun(messages)
        await app.query_one("#column").mount(run)
        await pilot.pause()
        # From "message" (line 2: the first message's text) to the end of "its" (line 6).
        await pilot.mouse_down(run, offset=(8, 2))
        await pilot.hover(run, offset=(4, 6))
        await pilot.mouse_up(run, offset=(4, 6))
        await pilot.pause()
        selected = app.screen.get_selected_text()
        assert selected is not None
        lines = selected.split("\n")
        assert lines[0] == "message"
        assert lines[-2:] == ["second one", "its"]
        assert lines[1] == "" and lines[2].startswith("Ann Example  ")  # the blank, the author
        painted = run.render_line(2)
        selection = app.screen.get_component_rich_style("screen--selection")
        assert [s.text for s in painted if s.style and selection.bgcolor == s.style.bgcolor] == [
            "message"
        ]


async def test_the_mouse_selects_a_runs_text_as_written_within_and_across_wrapped_lines() -> None:
    """A drag within a line selects what is under it (every mouse move on the way), a wide
    character counts as one character, and a paragraph wrapped on screen is copied as written,
    one line, as from a Static."""
    body = "see invoice 42 界界 then one two three four five six seven eight nine ten eleven"
    app = _Column()
    async with app.run_test(size=(60, 12)) as pilot:
        run = MessageRun([_message(body, 1)])
        await app.query_one("#column").mount(run)
        await pilot.pause()
        assert run.plain.split("\n")[2:] == [
            "see invoice 42 界界 then one two three four five six",
            "seven eight nine ten eleven",
        ]  # wrapped at 57 cells: the frame takes 3 of 60
        text_x = 2  # the border and a cell of padding

        async def drag(start: tuple[int, int], *through: tuple[int, int]) -> str | None:
            await pilot.mouse_down(run, offset=start)
            for offset in through:
                await pilot.hover(run, offset=offset)
            await pilot.mouse_up(run, offset=through[-1])
            await pilot.pause()
            return app.screen.get_selected_text()

        # "invoice": characters 4-10 of the line.
        x = text_x + 4
        assert await drag((x, 2), (x + 2, 2), (x + 4, 2), (x + 6, 2)) == "invoice"
        # From "42" to the first cell of the second wide character: "42 界界".
        x = text_x + len("see invoice ")
        assert await drag((x, 2), (x + 3, 2), (x + 5, 2)) == "42 界界"
        # The whole body, over its two lines on screen.
        end = text_x + len("seven eight nine ten eleven") - 1
        assert await drag((text_x, 2), (text_x + 5, 3), (end, 3)) == body
