"""F2 sets the language of the notification emails (a preference kept in the store), at 80x24."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import RadioButton

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.dialogs.preferences import PreferencesScreen
from tests.conftest import Network

from .test_preferences import Host, settle, shown


async def test_the_email_language_is_shown_chosen_by_keys_and_saved(network: Network) -> None:
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        before = await store.get_preferences()
        assert before.language == "en"
        app = Host(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PreferencesScreen)
            assert shown(screen, "#language-en") == "(•) English"
            assert shown(screen, "#language-de") == "( ) Deutsch"
            for selector in ("#language-en", "#language-de", "#save"):
                region = screen.query_one(selector).region
                assert region.height > 0 and region.bottom <= 24 and region.right <= 80
            screen.query_one("#bell").focus()
            await pilot.press("tab")  # the language choice comes after the bell
            await pilot.press("right", "enter")  # Deutsch
            assert screen.query_one("#language-de", RadioButton).value is True
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.result == replace(before, language="de")
        assert await store.get_preferences() == replace(before, language="de")

        app = Host(store)  # opened again: the stored language is the one chosen
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert shown(app.screen, "#language-de") == "(•) Deutsch"
            assert shown(app.screen, "#language-en") == "( ) English"
    finally:
        await store.close()
