"""Notification preferences (F2): email on customer reply, up to 3 addresses, immediate or a
daily digest, the in-app toast, the terminal bell and the language of the emails. Reads and
writes through the app's store; the store's refusal (a malformed address, no address with email
on) is shown, and nothing is lost: the dialog stays open with what was typed."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioSet, Static

from ...i18n import LANGUAGES, N_, _
from ...model import MAX_NOTIFY_ADDRESSES, NotificationPrefs
from ...store import StoreError
from ..base import NetmsgModalScreen
from ..safe_text import safe_text
from ..widgets.plain_input import PlainInput
from ..widgets.toggles import TextCheckbox as Checkbox
from ..widgets.toggles import TextRadioButton as RadioButton


class PreferencesScreen(NetmsgModalScreen[NotificationPrefs | None]):
    """Dismisses with the saved preferences, or None when closed without saving."""

    DEFAULT_CSS = """
    PreferencesScreen { align: center middle; }
    PreferencesScreen #prefs {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    PreferencesScreen .prefs-title { text-style: bold; margin-bottom: 1; }
    PreferencesScreen Label { margin-top: 1; color: $text-muted; }
    PreferencesScreen Input { width: 100%; }
    PreferencesScreen RadioSet { layout: horizontal; width: 100%; }
    PreferencesScreen #prefs-error { color: $error; height: auto; }
    PreferencesScreen #prefs-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    PreferencesScreen #prefs-buttons Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="preferences-save"),
        Binding("escape", "cancel", N_("Close"), id="preferences-close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="prefs"):
            yield Static(_("Notification preferences"), classes="prefs-title")
            yield Checkbox(_("Email me when a customer replies"), id="email-on-reply", compact=True)
            yield Label(_("Email addresses (up to {n})").format(n=MAX_NOTIFY_ADDRESSES))
            for n in range(1, MAX_NOTIFY_ADDRESSES + 1):
                yield PlainInput(
                    placeholder=_("address {n}").format(n=n),
                    id=f"address-{n}",
                    compact=True,
                    type="text",
                )
            yield Label(_("Send"))
            with RadioSet(id="mode", compact=True):
                yield RadioButton(_("one email per reply"), id="mode-immediate", value=True)
                yield RadioButton(_("a daily digest"), id="mode-daily")
            yield Label(_("In this app"))
            yield Checkbox(_("Toast when a customer replies"), id="toast", compact=True)
            yield Checkbox(_("Terminal bell"), id="bell", compact=True)
            yield Label(_("Language of the emails"))
            with RadioSet(id="language", compact=True):  # each language in its own words
                yield RadioButton("English", id="language-en", value=True)
                yield RadioButton("Deutsch", id="language-de")
            yield Static("", id="prefs-error")
            with Horizontal(id="prefs-buttons"):
                yield Button(_("Save  ctrl+s"), id="save", variant="primary", compact=True)
                yield Button(_("Cancel  esc"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#email-on-reply").focus()
        self._load()

    @work(exclusive=True, group="preferences-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            prefs = await self.app.store.get_preferences()
        except StoreError as exc:
            if not self.gone:
                self._error(_("Cannot read your preferences: {error}").format(error=exc))
            return
        if not self.gone:  # closed (or the app quit) while the store answered
            self.show(prefs)

    def show(self, prefs: NotificationPrefs) -> None:
        self.query_one("#email-on-reply", Checkbox).value = prefs.email_on_reply
        for n in range(1, MAX_NOTIFY_ADDRESSES + 1):
            given = prefs.addresses[n - 1] if n <= len(prefs.addresses) else ""
            self.query_one(f"#address-{n}", Input).value = given
        self.query_one(f"#mode-{prefs.mode}", RadioButton).value = True
        self.query_one("#toast", Checkbox).value = prefs.toast
        self.query_one("#bell", Checkbox).value = prefs.bell
        if prefs.language in LANGUAGES:
            self.query_one(f"#language-{prefs.language}", RadioButton).value = True

    def entered(self) -> NotificationPrefs:
        """The preferences as the form shows them now."""
        addresses = tuple(
            value
            for n in range(1, MAX_NOTIFY_ADDRESSES + 1)
            if (value := self.query_one(f"#address-{n}", Input).value.strip())
        )
        daily = self.query_one("#mode-daily", RadioButton).value
        return NotificationPrefs(
            email_on_reply=self.query_one("#email-on-reply", Checkbox).value,
            addresses=addresses,
            mode="daily" if daily else "immediate",
            toast=self.query_one("#toast", Checkbox).value,
            bell=self.query_one("#bell", Checkbox).value,
            language="de" if self.query_one("#language-de", RadioButton).value else "en",
        )

    def _error(self, text: str) -> None:
        self.query_one("#prefs-error", Static).update(safe_text(text, multi_line=True))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self._save(self.entered())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="preferences-save", exit_on_error=False)
    async def _save(self, prefs: NotificationPrefs) -> None:
        self._error("")
        try:
            saved = await self.app.store.set_preferences(prefs)
        except StoreError as exc:
            if not self.gone:
                self._error(str(exc))
            return
        self.app.notify(_("Notification preferences saved."))
        if not self.gone:
            self.dismiss(saved)
