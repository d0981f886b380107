"""Opening a thread taller than the screen (80×24): the newest message is in sight, whole, and
so is the attachment of the one before, and `t` on that attachment shows that message's trail
(issue 15: the thread is scrolled to its end in the layout that places it; a message's
attachments follow it in the column)."""

from __future__ import annotations

from netmsg_tui.model import NewAttachment
from netmsg_tui.tui.screens.trail import TrailScreen
from netmsg_tui.tui.widgets.message_run import MessageRun
from netmsg_tui.tui.widgets.message_view import AttachmentItem
from tests.conftest import Network
from tests.tui.conftest import OpenStore, enter_first_thread
from tests.waiting import wait_until

from .conftest import SIZE, make_app, ready


async def test_a_long_thread_opens_on_its_newest_messages_and_an_attachment_tells_its_own(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Long thread", "message 0")
    for n in range(1, 20):
        await store.reply(conv.id, f"message {n}\nsecond line")
    with_note = await store.reply(
        conv.id, "the note", [NewAttachment("note.pdf", b"%PDF-1.4", "application/pdf")]
    )
    newest = await store.reply(conv.id, "the newest")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread._opened, "the first page")
        column = thread.thread
        item = thread.query_one(AttachmentItem)

        def in_sight() -> bool:
            shown, newest_region = column.region, column.region_of(newest.id)
            return (
                newest_region is not None
                and shown.contains_region(newest_region)
                and shown.contains_region(item.region)
            )

        await wait_until(pilot, in_sight, "the newest message and the attachment in sight")
        run = column.run_of(newest.id)
        assert run is not None and run.plain.endswith("the newest")
        oldest = thread.query(MessageRun).first().messages[0]
        oldest_region = column.region_of(oldest.id)
        assert oldest_region is not None
        assert not column.region.overlaps(oldest_region), "the page's oldest is scrolled away"

        await pilot.press("tab")
        await wait_until(pilot, lambda: app.focused is item, "the attachment focused")
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen), "the trail")
        trail = app.screen
        assert isinstance(trail, TrailScreen)
        assert trail.target == with_note.id  # not the newest: the attachment's message


async def test_the_first_thread_opened_parses_no_css(
    network: Network, open_store: OpenStore
) -> None:
    """The CSS of the widgets a thread shows is in the app's stylesheet (and parsed) before the
    first thread opens: Textual added and parsed Button's, VerticalScroll's and Horizontal's in
    that first open (issue 15)."""
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app._screens_css_loaded, "the screens' CSS loaded")
        sources = set(app.stylesheet.source)
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread._opened, "the first page")
        assert set(app.stylesheet.source) - sources == set()
