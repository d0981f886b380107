"""The composer's fields at 80×24 (issue 14, item 3): the Subject field ends inside the screen,
so the cursor and the end of a long subject are in sight (End shows the end); a 300-character
burst keeps every character and says it is over; live counts for subject (200) and message
(50,000) as the limit nears."""

from __future__ import annotations

from textual.widgets import Input, Static

from netmsg_tui.model import MAX_BODY_CHARS, MAX_SUBJECT_CHARS
from netmsg_tui.tui.screens.compose import ComposeScreen
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, make_app, ready, type_into
from tests.waiting import wait_until


def shown(static: Static) -> str:
    return str(static.render()) if static.display else ""


async def test_subject_in_sight_and_counts_near_the_limits(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(ComposeScreen(customer_id=network.customer_on))
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await wait_until(pilot, lambda: screen.customer is not None, "the customer")
        subject = screen.query_one("#subject", Input)
        await wait_until(pilot, lambda: app.focused is subject, "Subject focused")
        region = subject.content_region
        assert region.x + region.width <= SIZE[0], "the field ends inside the screen"

        typed = "".join(chr(ord("a") + i % 26) for i in range(90))
        await type_into(pilot, subject, typed)
        # The cursor is in sight: its column lies within the field's visible width.
        assert 0 <= subject.cursor_position - subject.scroll_x < region.width
        await pilot.press("home", "end")
        assert subject.scroll_x + region.width >= len(typed), "End shows the end"

        count = screen.query_one("#subject-count", Static)
        assert shown(count) == ""  # far from 200: no count
        await type_into(pilot, subject, "x" * 95)  # 185 characters
        assert shown(count) == f"185/{MAX_SUBJECT_CHARS}"
        await type_into(pilot, subject, "y" * 115)  # a burst past the limit: nothing dropped
        assert subject.value == typed + "x" * 95 + "y" * 115
        assert shown(count) == "300/200, 100 over"
        assert count.has_class("-over")

        body_count = screen.query_one("#body-count", Static)
        screen.composer.set_body("z" * 44_000)
        await pilot.pause()
        assert shown(body_count) == ""
        screen.composer.set_body("z" * 45_000)
        await wait_until(pilot, lambda: shown(body_count), "the message count")
        assert shown(body_count) == f"45,000/{MAX_BODY_CHARS:,}"

        await pilot.press("ctrl+s")  # refused, and said why
        error = screen.query_one("#subject-error", Static)
        await wait_until(pilot, lambda: shown(error), "the refusal")
        assert "200" in shown(error)
        assert (await store.list_conversations()).items == ()  # nothing sent
        assert len(subject.value) == 300  # and nothing lost
