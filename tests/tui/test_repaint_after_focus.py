"""Bytes over ssh (issue 15): what a focus change asks to repaint is painted with it, not left
for the next key. Textual repaints the screen on a focus change and used to leave the regions
its widgets asked for with them: the first character typed after `r` repainted the whole reply
box, border and all (1.5 KB to the terminal instead of 0.2; bench/terminal_bytes.py)."""

from __future__ import annotations

from textual.widget import Widget

from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, make_app, ready
from tests.tui.test_offline_sqlite import open_thread
from tests.waiting import wait_until


def waiting_repaint(widget: Widget) -> bool:
    return bool(widget._repaint_regions)


async def test_r_paints_the_reply_box_with_its_focus_and_leaves_nothing_for_the_next_key(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Crates", "how many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        composer = await open_thread(pilot, conv.id)
        box = composer.text_area
        app.screen.set_focus(None)
        await app.screen.wait_for_refresh()
        await pilot.press("r")
        await wait_until(pilot, lambda: box.has_focus, "the reply box focused")
        await app.screen.wait_for_refresh()
        await pilot.pause()
        assert not waiting_repaint(box), box._repaint_regions
