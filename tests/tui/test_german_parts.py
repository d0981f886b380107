"""The widgets and dialogs in German at 80×24 (issue 18, item 4): the composer, F2, the
unsent-text question, F1's headings, the 📎 chooser's refusal and the Documents table.

What a user sees is read from the terminal's cells (the compositor's rows), and each German
text is looked for whole on one row: a label cut short, wrapped or pushed off the screen fails.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.reactive import var
from textual.widgets import Button, Input, Static

from netmsg_tui import i18n
from netmsg_tui.i18n import formats
from netmsg_tui.model import MAX_ATTACHMENT_BYTES
from netmsg_tui.store import QueuedSend
from netmsg_tui.tui.dialogs.attach import AttachmentChooser
from netmsg_tui.tui.dialogs.export_thread import ExportThreadDialog
from netmsg_tui.tui.dialogs.help import HelpScreen
from netmsg_tui.tui.dialogs.preferences import PreferencesScreen
from netmsg_tui.tui.dialogs.unsent_text import DiscardDraftQuestion, UnsentTextQuestion
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets.file_list import FileList
from netmsg_tui.tui.widgets.header import AppHeader
from netmsg_tui.tui.widgets.outbox_view import OutboxView
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, enter_first_thread, file_of, make_app, type_into
from tests.waiting import wait_until


def screen_rows(app: App[Any]) -> list[str]:
    """The characters of the terminal's rows as the current screen draws them."""
    rows = [strip.text for strip in app.screen._compositor.render_strips()]
    assert len(rows) == SIZE[1]
    return rows


def missing(app: App[Any], *texts: str) -> list[str]:
    """Those of ``texts`` that no row of the screen shows whole."""
    rows = screen_rows(app)
    return [text for text in texts if not any(text in row for row in rows)]


async def ready(pilot: Pilot[Any]) -> MainScreen:
    """The home screen with its first page of conversations shown (or the German word that
    there are none: conftest's ``ready`` waits for the English one)."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the home screen")
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_until(pilot, lambda: screen.query("#list-status"), "the list mounted")
    status = screen.query_one("#list-status", Static)
    await wait_until(
        pilot,
        lambda: screen.messages.list.option_count > 0 or "Unterhaltungen" in str(status.render()),
        "the conversations",
    )
    return screen


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_composer_speaks_german_and_says_why_a_file_is_not_attached_twice(
    network: Network, open_store: OpenStore, tmp_path: Path
) -> None:
    i18n.set_language("de")
    report = file_of(tmp_path, "bericht.pdf", 2048)
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(ComposeScreen(customer_id=network.customer_on))
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        await wait_until(pilot, lambda: screen.customer is not None, "the customer")
        await pilot.press("tab")  # Subject → the message box
        await pilot.pause()
        assert missing(app, "Nachricht schreiben…", "📎 Anhängen", "Senden") == []

        for _ in range(2):  # the same file twice, chosen by typing its path in the chooser
            await pilot.press("ctrl+o")
            await wait_until(pilot, lambda: isinstance(app.screen, AttachmentChooser), "📎")
            await wait_until(pilot, lambda: app.screen.query(FileList).only_one().entries, "ls")
            path_field = app.screen.query_one("#chooser-path", Input)
            await pilot.press("slash")
            path_field.value = ""
            await type_into(pilot, path_field, str(report))
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is screen, "back in the composer")
        assert screen.composer.attachments == [report]
        error = screen.query_one("#body-error", Static)
        await wait_until(pilot, lambda: error.has_class("-shown"), "the error")
        assert str(error.render()) == "bericht.pdf ist bereits angehängt"
        assert missing(app, "bericht.pdf ist bereits angehängt", "✕ bericht.pdf (2,0 KiB)") == []


async def test_preferences_in_german_read_their_state_in_text(
    network: Network, open_store: OpenStore
) -> None:
    i18n.set_language("de")
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, PreferencesScreen), "F2")
        await wait_until(pilot, lambda: app.screen.query_one("#address-1", Input).value, "read")
        # Jana's stored preferences: email on, one email per reply, toast on, bell off.
        on_screen = (
            "Benachrichtigungseinstellungen",
            "[x] E-Mail an mich, wenn ein Kunde antwortet",
            "E-Mail-Adressen (bis zu 3)",
            "Senden",
            "(•) eine E-Mail je Antwort",
            "( ) eine tägliche Zusammenfassung",
            "In dieser App",
            "[x] Einblendung, wenn ein Kunde antwortet",
            "[ ] Terminal-Glocke",
            "Speichern  ctrl+s",
            "Abbrechen  esc",
        )
        assert missing(app, *on_screen) == []
        assert app.screen.query_one("#address-2", Input).placeholder == "Adresse 2"
        await pilot.press("tab", "tab", "tab", "tab")  # the mode choice
        await pilot.press("right", "enter")  # the daily digest
        await pilot.press("tab", "tab", "space")  # the bell on
        after = ("( ) eine E-Mail je Antwort", "(•) eine tägliche Zusammenfassung")
        assert missing(app, *after, "[x] Terminal-Glocke") == []


class QuestionHost(App[None]):
    def __init__(self, question: UnsentTextQuestion | DiscardDraftQuestion) -> None:
        super().__init__()
        self.question = question
        self.answers: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.question, self.answers.append)


async def test_the_unsent_text_question_in_german_answers_to_german_letters() -> None:
    i18n.set_language("de")
    app = QuestionHost(UnsentTextQuestion())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        buttons = ("Senden", "Entwurf behalten", "Verwerfen", "Abbrechen (Esc)")
        assert missing(app, "Es gibt ungesendeten Text. Beenden und…", *buttons) == []
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert labels == list(buttons)
        assert app.focused is not None and app.focused.id == "answer-keep"  # loses nothing
        await pilot.press("e")  # "Entwurf behalten"
        await pilot.pause()
    assert app.answers == ["keep"]

    app = QuestionHost(DiscardDraftQuestion())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        question = "Entwurf verwerfen? Der Text ist dann endgültig verloren."
        assert missing(app, question, "Verwerfen", "Behalten", "Abbrechen (Esc)") == []
        await pilot.press("d")  # the English key means nothing here
        await pilot.pause()
        assert app.answers == []
        await pilot.press("v")
        await pilot.pause()
    assert app.answers == ["discard"]


async def test_help_in_german_has_german_headings_and_descriptions(
    network: Network, open_store: OpenStore
) -> None:
    i18n.set_language("de")
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("2")  # the Documents tab: its table's keys are this file's
        await wait_until(pilot, lambda: main.documents.table.row_count > 0, "the documents")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "F1")
        await pilot.pause()
        rows = screen_rows(app)
        assert missing(app, "Tasten auf diesem Bildschirm") == []
        heading = next(row for row in rows if "Taste" in row and "Aktion" in row)
        assert "ID (config [keymap])" in heading
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        described = {row[2]: row[1] for row in help_screen.rows}
        assert described["documents-kind"] == "Art"
        assert described["documents-customer"] == "Kunde"
        assert described["documents-order"] == "Sortierung"
        assert missing(app, "Sortierung", "documents-order") == []


async def test_the_chooser_refuses_one_byte_over_the_limit_in_german(tmp_path: Path) -> None:
    i18n.set_language("de")
    file_of(tmp_path, "scan.pdf", MAX_ATTACHMENT_BYTES + 1)

    class ChooserHost(App[None]):
        def on_mount(self) -> None:
            self.push_screen(AttachmentChooser(tmp_path))

    app = ChooserHost()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = "📎 Datei anhängen — bis 10 MiB (10.485.760 Byte) je Datei"
        hints = "Enter öffnen/anhängen · ⌫ hoch · ~ Home · . versteckt · / Pfad · Esc Abbruch"
        assert missing(app, title, hints) == []
        files = app.screen.query_one(FileList)
        await pilot.press("home", "down")  # below the ".." row
        assert files.highlighted_entry is not None
        assert files.highlighted_entry.name == "scan.pdf"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttachmentChooser)  # still open: nothing attached
        status = app.screen.query_one("#chooser-status", Static)
        refusal = (
            "Nicht angehängt: scan.pdf ist 10.485.761 Byte groß, 1 Byte zu viel: "
            "Anhänge dürfen höchstens 10.485.760 Byte (10 MiB) groß sein"
        )
        assert str(status.render()) == refusal
        # On screen in full: the status rows (it wraps), read from the terminal's cells.
        region = status.region
        assert region.bottom <= SIZE[1]
        rows = screen_rows(app)[region.y : region.bottom]
        assert " ".join(" ".join(row[region.x : region.right].split()) for row in rows) == refusal
        assert "(übergeordneter Ordner)" in str(files.get_option_at_index(0).prompt)


async def test_the_documents_table_in_german_fits_80_columns(
    network: Network, open_store: OpenStore
) -> None:
    i18n.set_language("de")
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await pilot.press("2")
        table = main.documents.table
        await wait_until(pilot, lambda: table.row_count == 2, "the documents")
        await pilot.pause()
        rows = screen_rows(app)
        header = next(row for row in rows if "Betrag" in row)
        words = ["Art", "Nummer", "Kunde", "Datum", "Betrag", "Status"]
        positions = [header.index(word) for word in words]
        assert positions == sorted(positions), header  # all there, in order, none cut
        assert header.rstrip().endswith("Status")
        po = next(row for row in rows if "4500012345" in row)
        for cell in ("Best.", "Alpine Foods", "02.11.2026", "2.900,00 EUR", "Neu"):
            assert cell in po, (cell, po)
        invoice = next(row for row in rows if "INV-2026-0042" in row)
        assert "Rech." in invoice and "03.11.2026" in invoice
        status = "2 · alle Arten (k) · alle Kunden (c) · neueste zuerst (o)"
        placeholder = "Nach Nummer oder Kunde suchen  (/)"
        assert missing(app, status, placeholder) == []
        await pilot.press("k")  # purchase orders only
        await wait_until(pilot, lambda: table.row_count == 1, "the purchase orders")
        await pilot.pause()
        assert missing(app, "1 · Bestellungen (k) · alle Kunden (c) · neueste zuerst (o)") == []


def queued(state: str, error: str = "") -> QueuedSend:
    return QueuedSend(
        key=f"k-{state}",
        kind="reply",
        state=state,  # type: ignore[arg-type]
        conversation_id=1,
        customer_id=1,
        document_id=None,
        subject="",
        body="Liefertermin bestätigt.",
        origin="app",
        created=datetime(2026, 11, 5, 9, 30, tzinfo=UTC),
        error=error,
        message_id=None,
        attachment_names=(),
    )


class OfflineHost(App[None]):
    """What the header and the outbox rows read from the app: a network store that lost its
    server, with two sends waiting and one refused."""

    identity: var[object] = var(None)
    connection_state: var[str | None] = var("reconnecting")
    queued_sends: var[tuple[QueuedSend, ...]] = var(())
    header_text = "Precision Parts GmbH · Enterprise"

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll():
            yield OutboxView(queued("queued"))
            yield OutboxView(queued("failed", "Nachricht ist zu lang"))


async def test_the_header_and_the_outbox_rows_in_german() -> None:
    i18n.set_language("de")
    app = OfflineHost()
    async with app.run_test(size=SIZE) as pilot:
        app.queued_sends = (queued("queued"), queued("queued"), queued("failed"))
        await pilot.pause()
        header = screen_rows(app)[0]
        state = "◌ verbinde erneut… · 2 in Warteschlange · 1 fehlgeschlagen"
        assert header.rstrip().endswith(state)  # whole; the account name gives way
        assert header.startswith("Precision Parts")
        app.connection_state = "connected"
        await pilot.pause()
        assert "● verbunden · 2 in Warteschlange" in screen_rows(app)[0]
        head = f"Sie  {formats.date_time(datetime(2026, 11, 5, 9, 30, tzinfo=UTC).astimezone())}"
        assert (
            missing(
                app,
                head + " · noch nicht auf dem Server",
                "⏳ wartet: wird gesendet, sobald der Server erreichbar ist",
                "✕ fehlgeschlagen  r: wiederholen · x: verwerfen (Text ins Antwortfeld)",
                "Nachricht ist zu lang",
            )
            == []
        )


async def test_the_export_dialog_in_german_shows_the_chosen_format_in_text(
    network: Network, open_store: OpenStore
) -> None:
    i18n.set_language("de")
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Zertifikat", "Bitte senden.")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread.conversation is not None, "the thread read")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportThreadDialog), "export")
        await pilot.pause()
        # Textual's radio buttons drew ▐●▌ for the chosen format and the others alike.
        assert (
            missing(
                app,
                "Diese Unterhaltung exportieren",
                "(•) Markdown (lesbar; Anhänge mit sha256 aufgeführt)",
                "( ) E-Mail: eine mbox-Datei der Nachrichten mit ihren Anhängen",
                "( ) JSON (im Format der API)",
                "In Ordner (Tab ergänzt, Enter exportiert):",
                "Exportieren",
                "Abbrechen",
            )
            == []
        )
