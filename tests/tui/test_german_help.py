"""F1 and the key bar in German (issue 18, item 4): every key description the app can show,
its own and those of Textual's widgets (a text field's ~30 editing keys, a list's or a table's
moves, Tab), is in the German catalog, and F1 shows the catalog's German for each. Textual's
descriptions are English msgids marked in tui/textual_words.py: a Textual upgrade that renames
one, or a new widget with keys of its own, fails here until the catalog has it.

Also Textual's command palette (its placeholder, its own commands and "No matches found") and
Textual's own toasts (ctrl+c outside a text field, a screenshot saved).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from netmsg_tui import i18n
from netmsg_tui.tui.dialogs.help import HelpScreen
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.conversation_list import ConversationList
from netmsg_tui.tui.widgets.documents_pane import DocumentsTable
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, current_thread, make_app, toasts_into
from tests.waiting import wait_until


def descriptions(app: App[Any]) -> set[str]:
    """The descriptions F1 lists for the current screen (the msgids, in English)."""
    return {
        active.binding.description
        for active in app.active_bindings.values()
        if active.binding.description and not active.binding.system
    }


async def help_problems(pilot: Pilot[Any], where: str) -> list[str]:
    """Open F1 on the current screen and say what is not German: a description the catalog
    lacks (or has untranslated), a row that shows something else than the catalog's German."""
    app = pilot.app
    catalog = i18n.catalog("de")
    wanted = descriptions(app)
    problems = [
        f"{where}: {msgid!r} is not translated in the catalog"
        for msgid in sorted(wanted)
        if msgid not in catalog.entries or not catalog.entries[msgid].translated
    ]
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), f"F1 on {where}")
    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    shown = {description for _keys, description, _id in help_screen.rows}
    german = {catalog.text(msgid) for msgid in wanted}
    problems += [f"{where}: F1 shows {text!r}, not the catalog's" for text in shown - german]
    problems += [f"{where}: F1 lacks {text!r}" for text in german - shown]
    # An English msgid on screen where the catalog has other words for it.
    problems += [
        f"{where}: {text!r} left in English"
        for text in shown
        if text in catalog.entries and catalog.text(text) != text
    ]
    await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "F1 closed")
    return problems


async def test_f1_on_each_screen_speaks_german_only(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Paletten", "Wie viele Paletten?")
    i18n.set_language("de")
    app = make_app(store)
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the home screen")
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_until(pilot, lambda: main.query(ConversationList), "the list mounted")
        await wait_until(pilot, lambda: main.messages.list.option_count > 0, "the threads")
        await wait_until(pilot, lambda: app.focused is main.messages.list, "the list's cursor")
        problems += await help_problems(pilot, "the home screen")
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        problems += await help_problems(pilot, "the search field")
        await pilot.press("escape", "2")
        table = main.documents.table
        await wait_until(pilot, lambda: table.row_count > 0, "the documents")
        table.focus()
        await pilot.pause()
        assert isinstance(app.focused, DocumentsTable)
        problems += await help_problems(pilot, "the Documents table")
        await pilot.press("1")
        main.messages.list.focus()
        await pilot.press("enter")
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        problems += await help_problems(pilot, "the thread")
        await pilot.press("r")
        assert isinstance(app.focused, TextArea)
        problems += await help_problems(pilot, "the reply box")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "home again")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        await pilot.pause()
        problems += await help_problems(pilot, "the new conversation")
    assert problems == [], "\n".join(problems)


def test_every_binding_of_every_widget_the_app_uses_is_in_the_catalog() -> None:
    """Screens and dialogs the test above does not open too: the bindings of each widget,
    screen and app class the TUI's modules name (ours and Textual's, with their bases)."""
    catalog = i18n.catalog("de")
    classes: set[type[DOMNode]] = set()
    package = importlib.import_module("netmsg_tui.tui")
    for info in pkgutil.walk_packages(package.__path__, "netmsg_tui.tui."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, DOMNode):
                classes.update(c for c in value.__mro__ if issubclass(c, DOMNode))
    missing = set()
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, tuple):  # (key, action, description), as Textual allows
                binding = Binding(*binding)
            if isinstance(binding, Binding) and binding.description and not binding.system:
                entry = catalog.entries.get(binding.description)
                if entry is None or not entry.translated:
                    missing.add(f"{cls.__module__}.{cls.__name__}: {binding.description!r}")
    assert len(classes) > 50  # the walk found the app's classes, Textual's among them
    assert sorted(missing) == []


async def test_textuals_command_palette_in_german(network: Network, open_store: OpenStore) -> None:
    i18n.set_language("de")
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the home screen")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        palette = app.screen
        field = palette.query_one(Input)
        assert str(field.placeholder) == "Befehle suchen…"
        results = palette.query_one(CommandList)

        def prompts() -> list[str]:
            return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]

        await wait_until(pilot, lambda: results.option_count > 0, "the palette's commands")
        shown = "\n".join(prompts())
        assert "Farbschema" in shown and "Bildschirmfoto" in shown  # Textual's own commands
        assert "Theme" not in shown and "Screenshot" not in shown
        # Not Textual's key panel (every description in English): F1 is the list of keys.
        assert not any(p.startswith(("Tasten", "Keys")) for p in prompts())
        await pilot.press(*"zzqx")
        await wait_until(pilot, lambda: any("Keine Treffer" in p for p in prompts()), "none")
        assert not any("No matches" in p for p in prompts())
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the palette closed")
        app.action_change_theme()  # the palette's "Farbschema" command: Textual's theme list
        await wait_until(pilot, lambda: bool(app.screen.query(CommandList)), "the themes")
        assert str(app.screen.query_one(Input).placeholder) == "Farbschemata suchen…"


async def test_textuals_own_toasts_in_german(
    network: Network, open_store: OpenStore, tmp_path: Path
) -> None:
    i18n.set_language("de")
    toasts: list[tuple[str, str]] = []
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the home screen")
        await pilot.press("ctrl+c")  # outside a text field: Textual says how to quit
        await wait_until(pilot, lambda: bool(toasts), "the hint")
        assert toasts[-1] == ("Möchten Sie beenden?", "Mit ^q beenden Sie die App")
        app.action_screenshot(path=str(tmp_path))
        await wait_until(pilot, lambda: len(toasts) > 1, "the screenshot's toast")
        title, text = toasts[-1]
        assert title == "Bildschirmfoto"
        assert text.startswith(f"Bildschirmfoto gespeichert unter {tmp_path}")
        assert list(tmp_path.glob("*.svg"))
