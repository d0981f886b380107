"""The notification preferences screen at 80×24, driven by keys, round-tripping to the store."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioButton, Static

from netmsg_tui.model import NotificationPrefs
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.dialogs.preferences import PreferencesScreen
from tests.conftest import Network
from tests.waiting import wait_until

UNSET = object()


class Host(App[None]):
    """Holds a store like the real app does, pushes the screen, records its result."""

    def __init__(self, store: SQLiteStore) -> None:
        super().__init__()
        self.store = store
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(PreferencesScreen(), self._done)

    def _done(self, prefs: NotificationPrefs | None) -> None:
        self.result = prefs


def shown(screen: PreferencesScreen, selector: str) -> str:
    return str(screen.query_one(selector).render()).rstrip()


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_screen_shows_the_stored_preferences_and_saves_changes(
    network: Network,
) -> None:
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        app = Host(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PreferencesScreen)
            assert screen.query_one("#email-on-reply", Checkbox).value is True
            assert screen.query_one("#address-1", Input).value == "jana@parts.example"
            assert screen.query_one("#mode-immediate", RadioButton).value is True
            assert screen.query_one("#toast", Checkbox).value is True
            assert screen.query_one("#bell", Checkbox).value is False
            # The state in text too (issue 14, item 6): with NO_COLOR "▐X▌" was on and off alike.
            assert shown(screen, "#email-on-reply").startswith("[x] Email me")
            assert shown(screen, "#toast").startswith("[x] ")
            assert shown(screen, "#bell") == "[ ] Terminal bell"
            assert shown(screen, "#mode-immediate") == "(•) one email per reply"
            assert shown(screen, "#mode-daily") == "( ) a daily digest"
            # Every control is on screen at 80×24.
            for selector in ("#email-on-reply", "#address-3", "#mode-daily", "#bell", "#save"):
                region = screen.query_one(selector).region
                assert region.height > 0 and region.bottom <= 24 and region.right <= 80

            await pilot.press("tab", "tab")  # to the second address
            assert screen.focused is screen.query_one("#address-2")
            await pilot.press(*"jana@mobile.example")
            await pilot.press("tab", "tab")  # the mode choice
            await pilot.press("right", "enter")  # a daily digest
            await pilot.press("tab", "space")  # toast off
            await pilot.press("tab", "space")  # bell on
            assert shown(screen, "#bell") == "[x] Terminal bell"
            assert shown(screen, "#toast").startswith("[ ] ")
            assert shown(screen, "#mode-daily") == "(•) a daily digest"
            assert shown(screen, "#mode-immediate") == "( ) one email per reply"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.result == NotificationPrefs(
                email_on_reply=True,
                addresses=("jana@parts.example", "jana@mobile.example"),
                mode="daily",
                toast=False,
                bell=True,
            )
        assert await store.get_preferences() == app.result
    finally:
        await store.close()


async def test_a_refused_address_keeps_the_dialog_open_with_the_reason(network: Network) -> None:
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        before = await store.get_preferences()
        app = Host(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            screen.query_one("#address-3", Input).focus()
            await pilot.press(*"not an address")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen  # still open, nothing lost
            assert screen.query_one("#address-3", Input).value == "not an address"
            error = str(screen.query_one("#prefs-error", Static).render())
            assert "'not an address' is not an email address" in error
            # Clearing every address with email on is refused too; turning email off is not.
            for n in (1, 3):
                screen.query_one(f"#address-{n}", Input).value = ""
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "at least one email address" in str(
                screen.query_one("#prefs-error", Static).render()
            )
            screen.query_one("#email-on-reply").focus()
            await pilot.press("space", "ctrl+s")
            await settle(pilot)
            assert app.result == NotificationPrefs(
                email_on_reply=False, addresses=(), mode="immediate", toast=True, bell=False
            )
        assert before.email_on_reply and not (await store.get_preferences()).email_on_reply
    finally:
        await store.close()


async def test_escape_closes_without_saving(network: Network) -> None:
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        before = await store.get_preferences()
        app = Host(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("space")  # email off, but not saved
            await pilot.press("escape")
            await settle(pilot)
            assert app.result is None
        assert await store.get_preferences() == before
    finally:
        await store.close()


async def test_f2_in_the_app_opens_the_screen_and_saves_to_the_store(network: Network) -> None:
    from netmsg_tui.tui.app import NetmsgApp

    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        app = NetmsgApp(store, poll_interval=0.05)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: len(app.screen_stack) > 1, "the main screen")
            await pilot.press("f2")

            def loaded() -> bool:
                screen = app.screen
                return isinstance(screen, PreferencesScreen) and bool(
                    screen.query_one("#address-1", Input).value
                )

            await wait_until(pilot, loaded, "the preferences screen with the stored values")
            await pilot.press("f2")  # pressed again: still one dialog
            assert sum(isinstance(s, PreferencesScreen) for s in app.screen_stack) == 1
            await pilot.press("space", "ctrl+s")  # email off, saved
            await wait_until(
                pilot, lambda: not isinstance(app.screen, PreferencesScreen), "the dialog to close"
            )
        assert (await store.get_preferences()).email_on_reply is False
    finally:
        await store.close()
