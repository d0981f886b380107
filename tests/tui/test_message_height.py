"""A message's height is counted without wrapping when its characters are all one cell wide and
its lines fit (MessageView.get_content_height): it must be the height Textual's own wrapping
gives, for any text and width."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.visual import visualize

from netmsg_tui.model import Message
from netmsg_tui.tui.widgets.message_view import MessageView

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
        views = []
        for n in range(400):
            plain = rng.random() < 0.7  # most without the characters that are not one cell
            letters = ALPHABET[:-4] if plain else ALPHABET
            body = "".join(rng.choice(letters) for _ in range(rng.randrange(0, 160)))
            views.append(MessageView(_message(body, n)))
        await column.mount_all(views)
        await pilot.pause()
        size = Size(100, 30)
        counted = 0
        for view in views:
            textual = visualize(view, view.render())
            for width in (1, 5, 20, 37, 60, 99):
                wrapped = textual.get_height(view.styles, width)
                assert view.get_content_height(size, size, width) == wrapped, (view.message, width)
            counted += view._lines is not None
        assert counted > 200  # the quick count was tried, not only the fallback
