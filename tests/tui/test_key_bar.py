"""The key bar and F1 help at 80×24 (issue 14, item 8): whole labels, the most important keys
first, no key that does nothing here, clickable; help lists the app's keys before Textual's
text-editing keys, with a readable header, and End shows its last line; tabs say their keys.

What the bar shows is the line on screen (the KeyBar's rendered strip, 80 cells), not the text
it was given: a label cut by the edge of the screen fails here.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.customer_picker import CustomerPicker
from netmsg_tui.tui.dialogs.help import MOVING, TEXT_EDITING, HelpScreen
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen
from netmsg_tui.tui.screens.mail_log import MailLogScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.queued_sends import QueuedSendsScreen
from netmsg_tui.tui.screens.trail import TrailScreen
from netmsg_tui.tui.widgets.key_bar import KeyBar
from netmsg_tui.tui.widgets.notices import ContactCard, UpgradeNotice
from netmsg_tui.tui.widgets.tab_strip import TabStrip
from tests.conftest import Network
from tests.waiting import wait_until

from .conftest import SIZE, OpenStore, current_thread, make_app, ready

HOME = "n New  / Search  ] Next unread  ^q Quit  F1 Help  ^p Palette  F2 Preferences"
THREAD = "esc Back  ^s Send  ^o Attach  r Reply  d Document  ^q Quit  F1 Help  ^p Palette"


def bar_line(app: NetmsgApp) -> str:
    """The key bar's line as the terminal shows it (trailing blanks removed); "" while the
    screen is still being built."""
    bars = app.screen.query(KeyBar)
    if not bars:
        return ""
    bar = bars.first()
    strip = bar.render_lines(Region(0, 0, bar.size.width, 1))[0]
    return strip.text.rstrip()


def assert_whole(app: NetmsgApp) -> str:
    """The bar's line, after checking that it is every key it holds, each whole: nothing runs
    past the screen's edge and nothing is cut with an ellipsis."""
    bar = app.screen.query_one(KeyBar)
    line = bar_line(app)
    assert bar.size.width == SIZE[0]
    assert "…" not in line
    whole = "  ".join(f"{span[2].display} {span[2].label}" for span in bar.spans)
    assert line == f" {whole}", f"{line!r} is not the whole {whole!r}"
    assert " ^q Quit " in f"{line} " and " F1 Help " in f"{line} ", line
    return line.strip()


async def bar_is(pilot: Pilot[object], expected: str, what: str) -> None:
    app = pilot.app
    assert isinstance(app, NetmsgApp)
    try:
        await wait_until(pilot, lambda: bar_line(app).strip() == expected, what)
    except AssertionError as exc:
        raise AssertionError(f"{exc}: the bar reads {bar_line(app).strip()!r}") from None
    assert_whole(app)


async def test_the_key_bar_keeps_whole_labels_on_every_screen(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(
        network.customer_on, "Pump delivery", "When?", document_id=network.po_a
    )
    await network.customer_reply(conv.id, "Friday.")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await bar_is(pilot, HOME, "the home screen's bar")

        await pilot.press("2")
        await wait_until(pilot, lambda: main.query("#documents-pane"), "the Documents tab")
        await wait_until(pilot, lambda: "k Kind" in bar_line(app), "the documents' keys")
        line = assert_whole(app)
        assert line.startswith("k Kind  c Customer  o Date order  n New  / Search")
        assert line.endswith("^p Palette")

        await pilot.press("slash")  # the search bar types every letter: no letter keys
        await wait_until(pilot, lambda: isinstance(app.focused, Input), "the search bar")
        await bar_is(pilot, "^q Quit  F1 Help  ^p Palette  F2 Preferences", "the search's bar")

        await pilot.press("escape", "1", "enter")
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread._opened and thread.can_reply, "the thread open")
        await bar_is(pilot, THREAD, "the thread's bar")

        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen), "the trail")
        await bar_is(
            pilot, "← Older  → Newer  esc Back  ^r Reload  ^q Quit  F1 Help  ^p Palette", "trail"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is thread, "back in the thread")

        await pilot.press("r")  # in the reply box: r, d, e, ] would type
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea), "the reply box")
        await bar_is(
            pilot,
            "^g Editor  esc Back  ^s Send  ^o Attach  ^q Quit  F1 Help  ^p Palette",
            "the reply box's bar",
        )

        app.open_document(network.po_a)
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
        await bar_is(
            pilot,
            "esc Back  m Messages  ^q Quit  F1 Help  ^p Palette  F2 Preferences",
            "the document's bar",
        )

        app.show_queued_sends()
        await wait_until(pilot, lambda: isinstance(app.screen, QueuedSendsScreen), "the outbox")
        await bar_is(pilot, "esc Back  ^q Quit  F1 Help  ^p Palette  F2 Preferences", "outbox")

        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, MailLogScreen), "the mail log")
        await bar_is(
            pilot,
            "esc Back  ^r Reload  ^q Quit  F1 Help  ^p Palette  F2 Preferences",
            "the mail log's bar",
        )


async def test_the_composer_shows_plus_only_where_it_picks_and_no_letter_in_a_field(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        await bar_is(
            pilot,
            "esc Back  + Customer  ^o Attach  ^s Send  ^q Quit  F1 Help  ^p Palette",
            "the new conversation's bar",
        )
        await pilot.press("plus", *"alpine", "enter")
        await wait_until(pilot, lambda: isinstance(app.focused, Input), "Subject")
        # "+" types a plus into Subject: the bar does not offer it there.
        await bar_is(
            pilot,
            "esc Back  ^o Attach  ^s Send  ^q Quit  F1 Help  ^p Palette  F2 Preferences",
            "Subject's bar",
        )


async def test_no_send_or_attach_on_a_contact_card_and_back_with_a_customer(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation(network.customer_off)
        await wait_until(pilot, lambda: app.screen.query(ContactCard), "the contact card")
        # "+" stays: it picks another customer from here (the card's way back).
        expected = "esc Back  + Customer  ^q Quit  F1 Help  ^p Palette  F2 Preferences"
        await bar_is(pilot, expected, "the contact card's bar")
        ids = await help_ids(pilot)
        assert "send" not in ids and "attach" not in ids and "pick-customer" in ids

        await pilot.press("plus")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerPicker), "the picker")
        await pilot.press(*"alpine", "enter")
        await wait_until(pilot, lambda: not app.screen.query(ContactCard), "the form again")
        await wait_until(pilot, lambda: "^s Send" in bar_line(app), "Send back in the bar")
        assert "^o Attach" in assert_whole(app)


async def test_no_write_key_on_the_standard_plan_screen(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_s))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen.query(UpgradeNotice), "the upgrade text")
        await bar_is(pilot, "esc Back  ^q Quit  F1 Help  ^p Palette  F2 Preferences", "Standard")
        ids = await help_ids(pilot)
        assert not {"send", "attach", "pick-customer"} & ids
        assert {"back", "quit", "help"} <= ids


async def help_ids(pilot: Pilot[object]) -> set[str]:
    """The binding ids F1 lists on the current screen (then closes it again)."""
    app = pilot.app
    before = app.screen
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    ids = {binding_id for _keys, _what, binding_id in help_screen.rows}
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is before, "help closed")
    return ids


async def test_a_click_on_a_key_runs_its_action(network: Network, open_store: OpenStore) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await bar_is(pilot, HOME, "the home screen's bar")
        column = f" {HOME}".index("F1 Help")
        await pilot.click(KeyBar, offset=(column + 3, 0))  # on "Help"
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help from a click")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main, "help closed")

        await pilot.click(KeyBar, offset=(1, 0))  # on the "n" of "n New"
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "a new message")


def rendered(widget: Static) -> list[str]:
    """The widget's lines as drawn (all of them, scrolled into view or not)."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.strip() for strip in strips]


async def test_help_in_the_composer_lists_its_own_keys_first(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n", "plus", *"alpine", "enter")
        await wait_until(pilot, lambda: isinstance(app.focused, Input), "Subject")
        await pilot.press("tab")
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea), "the message box")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)

        groups = [group for group, _row in help_screen.grouped_rows]
        own = groups.count("")
        assert own >= 10 and groups[:own] == [""] * own  # the app's keys, all of them first
        assert groups.count(TEXT_EDITING) >= 20  # Textual's cursor/select/delete keys, after
        assert groups == sorted(groups, key=["", TEXT_EDITING, MOVING].index)
        first_ids = [row[2] for _group, row in help_screen.grouped_rows[:own]]
        for binding_id in ("send", "attach", "back", "edit-in-editor", "quit", "help", "palette"):
            assert binding_id in first_ids

        lines = rendered(help_screen.query_one("#help-table", Static))
        assert lines[0].split() == ["Key", "Action", "Id", "(config", "[keymap])"]
        assert lines.index(TEXT_EDITING) > max(
            i for i, line in enumerate(lines) if line.endswith(" send")
        )
        # One row per id: Back (escape) and the reader's q are not both "esc / q".
        assert not any(line.startswith("esc / q") for line in lines)


async def test_end_in_help_shows_the_last_line(network: Network, open_store: OpenStore) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # As fast as typed; in the message box help is longer than the screen.
        await pilot.press("n", "plus", *"alpine", "enter", "tab", "f1", "end")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        scroll = app.screen.query_one("#help", VerticalScroll)
        hint = app.screen.query_one("#help-hint", Static)
        await wait_until(pilot, lambda: scroll.max_scroll_y > 0, "help taller than the screen")

        def last_line_shown() -> bool:
            return scroll.scroll_y == scroll.max_scroll_y and (
                hint.region.bottom == scroll.content_region.bottom
            )

        await wait_until(pilot, last_line_shown, "End to reach the last line")
        assert "[keymap]." in str(hint.render())
        await pilot.press("home")
        await wait_until(pilot, lambda: scroll.scroll_y == 0, "Home to reach the first line")


async def test_the_tabs_say_their_keys(network: Network, open_store: OpenStore) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert isinstance(main, MainScreen)
        tabs = main.query_one("#tabs", TabStrip)
        assert tabs.render().plain.splitlines()[0] == " 1 Messages  2 Documents "


async def test_a_click_on_a_tab_shows_it(network: Network, open_store: OpenStore) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert isinstance(main, MainScreen)
        # " 1 Messages  2 Documents ": the second label starts at cell 12.
        await pilot.click("#tabs", offset=(14, 0))
        await wait_until(
            pilot,
            lambda: main.active_tab == "documents" and main.query("#documents-pane"),
            "the Documents tab",
        )
        await wait_until(pilot, lambda: main.documents.table.has_focus, "its table focused")
        assert not main.query_one("#messages").display
        await pilot.click("#tabs", offset=(3, 0))
        await wait_until(pilot, lambda: main.active_tab == "messages", "the Messages tab")
        await wait_until(pilot, lambda: main.messages.list.has_focus, "the list focused")
        assert not main.query_one("#documents").display
