"""On a local SQLite store a reply's draft is kept in the store file: typed, the app quit without
leaving the thread, a new app over a reopened store shows it back in the reply box; once sent it
is forgotten. The header names no connection state (there is no server to lose)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.header import STATE_LABELS, AppHeader
from tests.conftest import Network
from tests.tui.conftest import SIZE, current_thread, drafts_until, make_app, ready
from tests.waiting import wait_until


async def open_thread(pilot: Pilot[object], conversation_id: int) -> Composer:
    """Open the thread and wait until it is open with its reply box."""
    app = pilot.app
    app.open_thread(conversation_id)  # type: ignore[attr-defined]
    thread = await current_thread(pilot)
    await wait_until(pilot, lambda: thread._opened and thread.query(Composer), "the reply box")
    await pilot.pause()  # the focus change opening asked for
    return thread.query_one(Composer)


async def test_a_reply_draft_survives_a_restart_of_the_app_on_sqlite(
    network: Network, open_store: Callable[[int], SQLiteStore]
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Local", "on this machine")
    place = f"thread:{conv.id}"
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        header = app.screen.query_one(AppHeader)
        await wait_until(pilot, lambda: network.path.name in str(header.render()), "the header")
        assert not any(label in str(header.render()) for label, _ in STATE_LABELS.values())
        composer = await open_thread(pilot, conv.id)
        composer.text_area.focus()
        await pilot.press(*"half a thought")
        await drafts_until(pilot, store, {place: "half a thought"}, "the draft kept")
        # Quit without leaving the thread: the draft is in the store file already.
    await store.close()

    store = open_store(network.user_a)  # the restarted app's store
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        composer = await open_thread(pilot, conv.id)
        await wait_until(pilot, lambda: composer.body == "half a thought", "the draft back")
        composer.text_area.focus()
        await pilot.press(*", finished")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: composer.is_empty, "the reply sent")
        await drafts_until(pilot, store, {}, "the draft forgotten once sent")
    bodies = [m.body for m in (await store.list_messages(conv.id)).items]
    assert bodies[-1] == "half a thought, finished"
