"""The netmsg Textual app: a supplier messages its customers, by keyboard, at 80×24.

The app receives its store in the constructor and reaches it nowhere else (screens use
``self.app.store``). One long-running worker polls the store's change feed about once a second;
it touches the screen only when something changed, so an idle app sends nothing to the terminal.

State that drives the view is reactive on the app, and screens and widgets watch it: who we are
(``identity``) and, for a store that can lose its server, its ``connection_state`` and its
``queued_sends``, read by one loop for the header, the thread and the queued-sends screen.

Support staff (a store whose identity is ``read_only``) get the same screens without any way to
write: no pencil, composer, reply box or preferences, their keys hidden, and threads are not
marked read. A support token granted several accounts picks one at start (or ``account``) and
switches with `a`: the app asks the store passed in for that account's store (the port's
``open_account``) and closes the stores it opened itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncGenerator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandPalette, Provider
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.worker import WorkerError

from ..i18n import N_, _
from ..model import Change, ChangeBatch, Document, Identity
from ..store import ConnectionState, MessageStore, OfflineStore, QueuedSend, StoreError
from ..terminal_text import printable, printable_line
from .base import NetmsgScreen, app_ending
from .events import ConversationSent, StoreChanged
from .idle_gc import IdleCollector
from .key_gate import KeyGate
from .low_colour import is_low_colour
from .widgets.header import AppHeader

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from concurrent.futures import Future

    from .demo_customer import DemoCustomer
    from .dialogs.unsent_text import HoldsUnsentText
    from .screens.compose import Draft
    from .screens.trail import TrailTarget
    from .start import StartData


#: Textual's own palette commands (App.get_system_commands), marked here for the catalog.
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def _netmsg_commands() -> type[Provider]:
    from .commands import NetmsgCommands

    return NetmsgCommands


def _lookup_commands() -> type[Provider]:
    from .lookup import LookupCommands

    return LookupCommands


class NetmsgApp(App[int]):
    """The TUI over one :class:`MessageStore`.

    ``keymap`` maps binding ids (see ``BINDINGS`` of the app and its screens) to keys, as read
    from ``[keymap]`` in config.toml. ``demo_customer`` answers sent messages (``--demo``).
    """

    # Absolute paths: subclasses elsewhere work. app.tcss is the home screen's; the other
    # screens' rules wait in screens.tcss until after its first frame (load_screens_css).
    CSS_PATH = Path(__file__).with_name("app.tcss")
    SCREENS_CSS_PATH = Path(__file__).with_name("screens.tcss")
    TITLE = "netmsg"
    # The palette's providers are imported when it first opens, not at start-up.
    COMMANDS = App.COMMANDS | {_netmsg_commands, _lookup_commands}
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True),
        Binding("f1,question_mark", "help", N_("Help"), id="help", key_display="F1"),
        Binding("ctrl+p", "command_palette", N_("Palette"), id="palette"),
        Binding(
            "right_square_bracket", "next_unread", N_("Next unread"), id="next-unread", show=False
        ),
        Binding("f2", "preferences", N_("Preferences"), id="preferences", key_display="F2"),
        Binding("a", "switch_account", N_("Accounts"), id="switch-account"),
        Binding("i", "mail_log", N_("Mail log"), id="mail-log", show=False),
    ]

    #: Who we are (account, plan), read at start-up.
    identity: var[Identity | None] = var(None)
    #: Whether the server answers, for a store that can lose it (None: a local file).
    connection_state: var[ConnectionState | None] = var(None)
    #: The offline send queue as last read (queued, sent a moment ago, failed).
    queued_sends: var[tuple[QueuedSend, ...]] = var(())
    #: Places with a draft kept in the store ("thread:12", "new"): the list marks those threads.
    draft_places: var[frozenset[str]] = var(frozenset())

    def __init__(
        self,
        store: MessageStore,
        *,
        keymap: dict[str, str] | None = None,
        demo_customer: DemoCustomer | None = None,
        poll_interval: float = 1.0,
        theme: str | None = None,
        account: int | None = None,
        start: Future[StartData] | None = None,
    ) -> None:
        """``start``: the first screen's data being read on a side thread (tui/start.py); when
        it is in by the time Textual asks for the first screen, that is the home screen."""
        super().__init__()
        # NO_COLOR or 8/16 colours: field edges drawn with lines, not shades (see low_colour).
        self.set_class(is_low_colour(self), "-low-colour")
        #: The store shown: the one passed in, or one it opened for another granted account.
        self.store = store
        self._given_store = store  # its caller closes it; the app closes those it opened
        #: Stores opened for other granted accounts, by account id: kept (a worker of a screen
        #: being closed may still be reading one) and closed when the app ends.
        self._opened_stores: dict[int, MessageStore] = {}
        self._account = account  # the granted account to open at start (None: ask if several)
        self.home_shown = False  # True once the home screen is up: the app is usable
        self.demo_customer = demo_customer
        self.poll_interval = poll_interval
        #: Unsent drafts by place ("new", "document:7", "thread:12"): an escape never loses text.
        self.drafts: dict[str, Draft] = {}
        #: Places whose draft the store refused to keep: quitting asks about them.
        self.unsaved_drafts: set[str] = set()
        #: Documents read this run, by id: the outbox names the document of a New conversation
        #: queued about one while the server, which could say, is away.
        self.documents_seen: dict[int, Document] = {}
        #: The folder the last attachment was saved in: the save dialog starts there (this run).
        self.last_save_folder: Path | None = None
        self.unread_total = 0
        #: ctrl+q is waiting for a message on its way or asking about unsent text.
        self.quit_pending = False
        self._keymap_config = keymap or {}
        self._theme_name = theme
        self._store_down = False
        self._look_at_queue = asyncio.Event()
        self.queued_sends_known = False  # True once the send queue has been read
        self._unsubscribe: Callable[[], None] | None = None
        #: Type-ahead: every key from the terminal waits here for the one before to settle.
        self.key_gate = KeyGate(self)
        # Garbage collected while idle (idle_gc.py); these workers run for the app's life.
        self._collector = IdleCollector(self, standing=("live", "queued-sends"))
        self._screens_css_loaded = False
        self._start_read = start
        self._read_early: StartData | None = None  # the home screen was the first screen
        self._config_applied = False

    async def on_event(self, event: events.Event) -> None:
        self._collector.saw(event)
        if not self.key_gate.takes(event):
            await super().on_event(event)

    @property
    def collector(self) -> IdleCollector:
        """When the garbage collector runs (idle_gc.py): a screen building what the user waits
        for pauses it."""
        return self._collector

    @property
    def quitting(self) -> bool:
        """Exiting or shutting down (the screens are being removed): a worker that awaited the
        store must not push, pop or fill screens any more (base.is_gone for a screen)."""
        return app_ending(self)

    @property
    def read_only(self) -> bool:
        """Support staff: every read audited, nothing written (not even read marks)."""
        return self.identity is not None and self.identity.read_only

    @property
    def can_message(self) -> bool:
        return (
            self.identity is not None
            and self.identity.account.can_message
            and not self.identity.read_only
        )

    @property
    def header_text(self) -> str:
        if self.identity is None:
            return "netmsg"
        account = self.identity.account
        if self.identity.read_only:
            return _("Support · read-only · reads are audited · {account} · {location}").format(
                account=account.name, location=self.store.location
            )
        plan = {"enterprise": _("Enterprise"), "standard": _("Standard")}.get(
            account.plan, account.plan.capitalize()
        )
        return f"{account.name} · {plan} · {self.store.location}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a binding from the key bar and from help, and the key does nothing.
        if action == "preferences":
            return not self.read_only
        if action == "switch_account":
            return self.identity is not None and len(self.identity.granted) > 1
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast (screens' ``self.notify`` land here too) is plain sanitised text, never
        markup: subjects, names, file names and error texts come from outside."""
        super().notify(
            printable(message),
            title=printable_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def get_default_screen(self) -> Screen[object]:
        """The home screen itself when its data was read before the app ran (tui/start.py):
        Textual's blank default screen would be styled, laid out and painted first, and the
        home screen then pushed once the store answered. Otherwise the default screen, and
        _start reads the store (support staff with several accounts pick one first)."""
        read, self._start_read = self._start_read, None
        if read is None or not read.done() or read.exception() is not None:
            return super().get_default_screen()
        start = read.result()
        me = start.identity
        if self._account is not None or (me.read_only and len(me.granted) > 1):
            return super().get_default_screen()
        from .screens.main import MainScreen

        self._apply_config()  # before the screen is styled: a theme set later restyles it
        self._read_early = start
        self.identity = me
        self.draft_places = start.draft_places
        return MainScreen(start.first_page)

    def _apply_config(self) -> None:
        if self._config_applied:
            return
        self._config_applied = True
        if self._keymap_config:
            self.set_keymap(self._keymap_config)
        if self._theme_name and self._theme_name in self.available_themes:
            self.theme = self._theme_name

    def on_mount(self) -> None:
        self._apply_config()
        self.key_gate.hold("start")  # keys typed at start-up are for the home screen
        self._start()
        self._follow_connection()
        self._collector.start()

    def _follow_connection(self) -> None:
        """Follow the shown store's connection and send queue, if it can lose its server."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        store = self.store
        if isinstance(store, OfflineStore):
            self.connection_state = store.connection_state
            self._unsubscribe = store.on_connection_change(self._connection_changed)
            self._read_send_queue(store)

    async def on_unmount(self) -> None:
        self._collector.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for store in self._opened_stores.values():
            await store.close()
        self._opened_stores.clear()

    # -- the offline send queue (a store that can lose its server) ------------------------------
    def _connection_changed(self, state: ConnectionState) -> None:
        # The store calls back on the event loop's thread; from another thread, hand it over.
        if threading.get_ident() == self._thread_id:
            self._set_connection_state(state)
        elif self.is_running:
            self.call_from_thread(self._set_connection_state, state)

    def _set_connection_state(self, state: ConnectionState) -> None:
        self.connection_state = state
        self.look_at_queued_sends()

    def look_at_queued_sends(self) -> None:
        """Read the send queue now (a send was queued, retried or discarded)."""
        self._look_at_queue.set()

    @work(exclusive=True, group="queued-sends")
    async def _read_send_queue(self, store: OfflineStore) -> None:
        """The one reader of the send queue. The store delivers in the background: look now
        and then while offline or while anything waits in it, else only when asked."""
        while True:
            self._look_at_queue.clear()
            try:
                entries = tuple(await store.queued_sends())
            except StoreError:
                entries = self.queued_sends  # the queue file is local: the next look will tell
            if entries != self.queued_sends:
                self.queued_sends = entries
            self.queued_sends_known = True
            waiting = self.connection_state != "connected" or any(
                entry.state != "sent" for entry in entries
            )
            with contextlib.suppress(TimeoutError):  # time for another look
                await asyncio.wait_for(
                    self._look_at_queue.wait(), self.poll_interval if waiting else None
                )

    @work(exclusive=True, group="start")
    async def _start(self) -> None:
        from .screens.main import MainScreen
        from .start import FIRST_PAGE

        if self._read_early is not None:  # the home screen is the first screen, rows and all
            # Once it is drawn, as when it is pushed after the store answered: keys typed before
            # the terminal left cooked mode are in the gate by then (its ctrl+j is an Enter).
            drawn = asyncio.Event()
            self.screen.call_after_refresh(drawn.set)
            await drawn.wait()
            await self._home_shown(self._read_early.cursor)
            return

        # Who we are and the first rows before the home screen is built: its first frame shows
        # the rows (one layout and one paint instead of two).
        try:
            # The change feed's cursor before the rows: a reply that lands while the rows and
            # the unread count load is then news to the watcher below (announced, counted).
            me, batch = await asyncio.gather(
                self.store.whoami(), self.store.changes_since(None), return_exceptions=True
            )
            if isinstance(me, BaseException):
                raise me
            identity: Identity = me
            # Support staff granted several accounts say which one first (unless --account
            # did); until then the server answers only "who am I".
            wanted = self._account
            if wanted is None and identity.read_only and len(identity.granted) > 1:
                from .dialogs.account_picker import AccountPicker

                picker = AccountPicker(identity.granted, identity.account.id)
                self._collector.started()  # start-up is over: the person picks, maybe slowly
                self.key_gate.release("start")  # keys for the picker
                wanted = await self.push_screen_wait(picker)
                self.key_gate.hold("start")
                wanted = identity.account.id if wanted is None else wanted
            if wanted is not None:
                store = await self._store_for(wanted)
                if store is not self.store:
                    self.store = store
                    self._follow_connection()
                    identity, batch = await asyncio.gather(
                        store.whoami(), store.changes_since(None)
                    )
            if isinstance(batch, BaseException):
                raise batch
            cursor = batch.cursor
            first_page = await self.store.list_conversations(limit=FIRST_PAGE)
        except StoreError as exc:
            self.exit(return_code=1, message=f"netmsg: {exc}")
            return
        self.identity = identity
        await self._read_draft_places()
        if self.quitting:  # quit (or the test ended) while the store answered
            return
        await self.push_screen(MainScreen(first_page))
        await self._home_shown(cursor)

    async def _home_shown(self, cursor: int) -> None:
        """The home screen is up: keys typed at start go to it, the news is followed."""
        self._collector.started()
        self.screen.call_after_refresh(self.load_screens_css)
        self.key_gate.release("start")
        self.key_gate.starting = False  # a ctrl+j from now on is one
        self.home_shown = True
        await self._refresh_unread()
        self._watch_store(cursor)

    def load_screens_css(self) -> None:
        """Add the other screens' CSS (screens.tcss) to the app's, once: after the home
        screen's first frame, which then parsed only its own (app.tcss), or before any other
        screen is shown first. Nothing on screen is restyled: no rule there matches the home
        screen's widgets, and a screen shown later is styled when it mounts."""
        if self._screens_css_loaded:
            return
        self._screens_css_loaded = True
        path = self.SCREENS_CSS_PATH
        self.stylesheet.add_source(
            path.read_text(encoding="utf-8"), read_from=(str(path), ""), is_default_css=False
        )
        self._add_default_css_of_thread_widgets()
        # Parsed now, while the first screen is read: else the first restyle after this (the
        # Documents tab opened, a focus moved) parsed all of the app's CSS again, ~10 ms.
        self.stylesheet.parse()

    def _add_default_css_of_thread_widgets(self) -> None:
        """The DEFAULT_CSS of Textual's widgets a thread shows and the home screen does not, as
        Textual adds it when the first of each class is mounted: the first thread opened parsed
        Button's (~7,000 characters), VerticalScroll's and Horizontal's then, ~10 ms of it (and
        now our MessageRun's)."""
        from textual.containers import Horizontal, VerticalScroll
        from textual.widgets import Button

        from .widgets.message_run import MessageRun

        for widget in (Button(), VerticalScroll(), Horizontal(), MessageRun([])):
            for read_from, css, tie_breaker, scope in widget._get_default_css():
                self.stylesheet.add_source(
                    css,
                    read_from=read_from,
                    is_default_css=True,
                    tie_breaker=tie_breaker,
                    scope=scope,
                )

    def _load_screen_css(self, screen: Screen[object]) -> None:
        # Textual calls this for every screen pushed, switched to or made a mode's first, before
        # the screen's widgets are styled (Textual 8.2). The default screen (shown for a moment
        # at start) and the home screen need only app.tcss.
        from .screens.main import MainScreen

        if type(screen) is not Screen and not isinstance(screen, MainScreen):
            self.load_screens_css()
        super()._load_screen_css(screen)

    async def _read_draft_places(self) -> None:
        from .start import draft_places

        if self.identity is not None:
            self.draft_places = await draft_places(self.store, self.identity)

    # -- accounts (support staff granted several) -----------------------------------------------
    def action_switch_account(self) -> None:
        self._switch_account()

    @work(exclusive=True, group="switch-account")
    async def _switch_account(self) -> None:
        from .dialogs.account_picker import AccountPicker

        me = self.identity
        if me is None or len(me.granted) < 2:
            return
        chosen = await self.push_screen_wait(AccountPicker(me.granted, me.account.id))
        if chosen is not None and chosen != me.account.id:
            await self.open_account(chosen)

    async def _store_for(self, account_id: int) -> MessageStore:
        """The store of a granted account: from the port, once per account."""
        if (store := self._opened_stores.get(account_id)) is None:
            store = await self._given_store.open_account(account_id)
            if store is not self._given_store:
                self._opened_stores[account_id] = store
        return store

    async def open_account(self, account_id: int) -> None:
        """Show another granted account: its store from the port, a fresh home screen."""
        from .screens.main import MainScreen
        from .start import FIRST_PAGE

        try:
            store = await self._store_for(account_id)
            cursor = (await store.changes_since(None)).cursor
            identity, first_page = await asyncio.gather(
                store.whoami(), store.list_conversations(limit=FIRST_PAGE)
            )
        except StoreError as exc:
            self.notify(str(exc), title=_("Cannot open that account"), severity="error")
            return
        if self.quitting:  # quit while the store answered
            return
        self.store = store
        self._follow_connection()
        self.drafts.clear()  # places name threads of the account left
        # Back to the home screen (above Textual's default screen, or the first screen itself)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            await self.pop_screen()
        self.identity = identity
        await self._read_draft_places()
        await self.switch_screen(MainScreen(first_page))
        await self._refresh_unread()
        self._watch_store(cursor)

    # -- live refresh ---------------------------------------------------------------------------
    @work(exclusive=True, group="live")
    async def _watch_store(self, cursor: int) -> None:
        if self.store.pushes_changes:
            await self._follow_pushed(cursor)
            return
        while True:
            try:
                batch = await self.store.changes_since(cursor)
            except StoreError as exc:
                self._store_failed(exc)
                await asyncio.sleep(self.poll_interval * 5)
                continue
            cursor = await self._store_answered(batch)
            await asyncio.sleep(self.poll_interval)

    def _store_failed(self, exc: StoreError) -> None:
        """Say once that the store is down (not at every failed look)."""
        if not self._store_down:
            self._store_down = True
            self.notify(str(exc), title=_("Store unavailable"), severity="error")

    async def _store_answered(self, batch: ChangeBatch) -> int:
        """Apply a batch of changes (saying so if the store was down); the next cursor."""
        if self._store_down:
            self._store_down = False
            self.notify(_("The store answers again."), title=_("Reconnected"))
        if batch.changes:
            await self._apply_changes(batch.changes)
        return batch.cursor

    async def _follow_pushed(self, cursor: int) -> None:
        """A store that pushes its changes (PostgreSQL's LISTEN/NOTIFY): wait for them instead
        of looking every poll interval; after a failure, start again from the last cursor."""
        while True:
            stream = self.store.watch(cursor)
            try:
                async for batch in stream:
                    cursor = await self._store_answered(batch)
            except StoreError as exc:
                self._store_failed(exc)
            finally:
                if isinstance(stream, AsyncGenerator):  # its listening connection closes now
                    await stream.aclose()
            await asyncio.sleep(self.poll_interval * 5)

    async def _apply_changes(self, changes: tuple[Change, ...]) -> None:
        for screen in self.screen_stack:
            screen.post_message(StoreChanged(changes))
        replies = {
            c.conversation_id
            for c in changes
            if c.kind == "message" and c.author_kind == "customer"
        }
        if replies:
            await self._announce(replies)
        await self._refresh_unread()

    async def _announce(self, conversation_ids: set[int]) -> None:
        prefs = await self.store.get_preferences()
        if prefs.toast:
            for cid in sorted(conversation_ids):
                try:
                    conv = await self.store.get_conversation(cid)
                except StoreError:
                    continue
                self.notify(
                    printable_line(conv.subject),
                    title=_("{customer} replied").format(
                        customer=printable_line(conv.customer_name)
                    ),
                    markup=False,
                )
        if prefs.bell:
            self.bell()

    async def _refresh_unread(self) -> None:
        try:
            self.unread_total = await self.store.unread_total()
        except StoreError:
            return
        total = self.unread_total
        title = _("netmsg ({n} unread)").format(n=total) if total else "netmsg"
        if title != self.title:
            # Not repainting: App.title is a repainting reactive, but no widget here shows it
            # (the terminal's title bar does), and a repaint of the whole screen cost ~5 KB
            # over ssh each time the count changed (opening an unread thread does).
            self.set_reactive(NetmsgApp.title, title)
            self._set_terminal_title(title)

    def _set_terminal_title(self, title: str) -> None:
        # Textual has no public API for OSC 2; App.bell writes through the driver the same way,
        # which keeps the bytes in order with Textual's own output.
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write(f"\x1b]2;{title}\x07")

    @on(ConversationSent)
    def _customer_answers(self, event: ConversationSent) -> None:
        if self.demo_customer is not None:
            self._demo_answer(event.conversation_id)

    @work(group="demo-customer")
    async def _demo_answer(self, conversation_id: int) -> None:
        if self.demo_customer is not None:
            await self.demo_customer.answer(conversation_id)

    # -- actions --------------------------------------------------------------------------------
    @on(AppHeader.QueuedSendsRequested)
    def show_queued_sends(self) -> None:
        from .screens.queued_sends import QueuedSendsScreen

        if not isinstance(self.screen, QueuedSendsScreen):
            self.push_screen(QueuedSendsScreen())

    # -- quitting with unsent text ---------------------------------------------------------------
    async def action_quit(self) -> None:
        from .dialogs.unsent_text import UnsentTextQuestion

        if isinstance(self.screen, UnsentTextQuestion):
            return  # already asking
        self._quit()

    @work(exclusive=True, group="quit")
    async def _quit(self) -> None:
        from .dialogs.unsent_text import HoldsUnsentText
        from .screens.compose import DELIVERY_GROUP as NEW_CONVERSATION_DELIVERY
        from .widgets.outbox_drafts import DraftsNotStored
        from .widgets.reply_box import DELIVERY_GROUP, SEND_GROUP

        # A message on its way (its screen may have closed) ends first: stored, or refused and
        # kept as a draft or in its form, asked about below. (Quitting at once lost a reply the
        # store refused once the app had gone; a New conversation stored meanwhile switched
        # its thread in over the question, and the app waited for an answer that never came.)
        groups = (SEND_GROUP, DELIVERY_GROUP, NEW_CONVERSATION_DELIVERY)
        self.quit_pending = True
        try:
            sending = [w for w in self.workers if w.group in groups and not w.is_finished]
            if sending:
                self.notify(_("Quitting once the message on its way is stored…"))
                for worker in sending:
                    with contextlib.suppress(WorkerError):
                        await worker.wait()
            holders: list[HoldsUnsentText] = [
                screen
                for screen in reversed(self.screen_stack)
                if isinstance(screen, HoldsUnsentText) and screen.has_unsent_text()
            ]
            if (not_stored := DraftsNotStored(self)).has_unsent_text():
                holders.append(not_stored)  # last: "Send it" is for the text on screen
            if not holders or await self._ask_about_unsent_text(holders):
                self.exit()
        finally:
            self.quit_pending = False

    async def _ask_about_unsent_text(self, holders: list[HoldsUnsentText]) -> bool:
        """Ask: send (the text on the topmost screen; others are kept), keep as draft, discard.
        True when the app may quit."""
        from .dialogs.unsent_text import UnsentTextQuestion

        choice = await self.push_screen_wait(UnsentTextQuestion())
        try:
            if choice == "send":
                if not await holders[0].send_unsent():
                    return False  # the composer says why; the text stays
                for holder in holders[1:]:
                    await holder.keep_unsent()
            elif choice == "keep":
                for holder in holders:
                    await holder.keep_unsent()
            elif choice == "discard":
                for holder in holders:
                    await holder.discard_unsent()
            else:
                return False
        except StoreError as exc:
            self.notify(
                _("Not quitting, the text is still here: {error}").format(error=exc),
                severity="error",
            )
            return False
        return True

    def action_command_palette(self) -> None:
        """Textual's palette, its placeholder in the interface's language."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            from .palette import NetmsgCommandPalette

            placeholder = _("Search for commands…")
            palette = NetmsgCommandPalette(id="--command-palette", placeholder=placeholder)
            self.push_screen(palette)

    # -- Textual's own toasts, in the interface's language --------------------------------------
    def action_help_quit(self) -> None:
        """ctrl+c outside a text field: Textual's hint that ctrl+c does not quit (its own text
        is English, and its markup showed as text here, every toast being plain)."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                key = self.get_key_display(active.binding)
                self.notify(
                    _("Press {key} to quit the app").format(key=key),
                    title=_("Do you want to quit?"),
                )
                return

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        if event.name == "screenshot":
            event.prevent_default()  # Textual's own handler (in App) would say it in English
            if event.path is None:
                self.notify(_("Screenshot saved"), title=_("Screenshot"))
            else:
                saved = _("Screenshot saved to {path}").format(path=event.path)
                self.notify(saved, title=_("Screenshot"))

    @on(events.DeliveryFailed)
    def _screenshot_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == "screenshot":
            event.prevent_default()
            self.notify(_("The screenshot was not saved"), title=_("Screenshot"), severity="error")

    def search_themes(self) -> None:
        """The palette's "Theme" command: Textual's theme list, its placeholder in German too."""
        from .palette import NetmsgCommandPalette

        placeholder = _("Search for themes…")
        self.push_screen(NetmsgCommandPalette(providers=[ThemeProvider], placeholder=placeholder))

    def action_help(self) -> None:
        from .dialogs.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.active_bindings, self.get_key_display))

    def action_preferences(self) -> None:
        from .dialogs.preferences import PreferencesScreen

        if not isinstance(self.screen, PreferencesScreen):
            self.push_screen(PreferencesScreen())

    def action_next_unread(self) -> None:
        self.key_gate.hold("next-unread")  # keys typed next are for that thread
        self._open_next_unread()

    @work(exclusive=True, group="next-unread")
    async def _open_next_unread(self) -> None:
        try:
            page = await self.store.list_conversations(unread_only=True, limit=1)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        else:
            if self.quitting:
                return
            if page.items:
                self.open_thread(page.items[0].id)
            else:
                self.notify(_("No unread threads."))
        finally:
            self.key_gate.release("next-unread")

    # -- a screen leaves the stack through these: it keeps what it holds first ------------------
    def pop_screen(self) -> AwaitComplete:
        if len(self.screen_stack) > 1:
            self._screen_closing(self.screen_stack[-1])
        return super().pop_screen()

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        if self.screen_stack and screen is not self.screen_stack[-1]:
            self._screen_closing(self.screen_stack[-1])
        return super().switch_screen(screen)

    @staticmethod
    def _screen_closing(screen: Screen[Any]) -> None:
        # Escape, the palette (a tab, a document, another thread), `]`: every way out of a
        # screen with a composer keeps its text, not only the screen's own Back.
        if isinstance(screen, NetmsgScreen):
            screen.closing()

    def open_thread(self, conversation_id: int, *, write: bool = False) -> None:
        """Show a conversation; replaces the thread on top so Back returns to the list.
        ``write``: the cursor starts in the reply box."""
        from .screens.thread import ThreadScreen

        screen = ThreadScreen(conversation_id, write=write)
        screen.read_ahead(self.store)  # the store answers while the screen is built
        self._collector.pause(screen)  # until its first frame (ThreadScreen._release_frames)
        if isinstance(self.screen, ThreadScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_document(self, document_id: int) -> None:
        from .screens.document import DocumentScreen

        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, DocumentScreen) and below.document_id == document_id:
            self.pop_screen()  # thread opened from that document: go back to it
        else:
            self.push_screen(DocumentScreen(document_id))

    def new_conversation(self, customer_id: int | None = None) -> None:
        from .screens.compose import ComposeScreen

        if not self.read_only:
            self.push_screen(ComposeScreen(customer_id=customer_id))

    def show_trail(self, targets: Sequence[TrailTarget], index: int = -1) -> None:
        """The delivery trail of ``targets[index]`` (message ids or emailed replies'
        Message-IDs; ←/→ step through the others)."""
        from .screens.trail import TrailScreen

        self.push_screen(TrailScreen(targets, index))

    def action_mail_log(self) -> None:
        from .screens.mail_log import MailLogScreen

        if not isinstance(self.screen, MailLogScreen):
            self.push_screen(MailLogScreen())

    def show_customer(self, customer_id: int) -> None:
        """A customer from the palette: write to it; support staff see its documents."""
        if self.read_only:
            self._show_customer_documents(customer_id)
        else:
            self.new_conversation(customer_id)

    @work(exclusive=True, group="show-customer")
    async def _show_customer_documents(self, customer_id: int) -> None:
        from .screens.main import MainScreen

        try:
            customer = await self.store.get_customer(customer_id)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        if self.quitting:
            return
        self.show_tab("documents")
        if isinstance(self.screen, MainScreen):
            self.screen.documents_of(customer)

    def show_tab(self, tab: str) -> None:
        """Back to the main screen, on the "messages" or "documents" tab."""
        from .screens.main import MainScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        if isinstance(self.screen, MainScreen):
            self.screen.show_tab(tab)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's own, in English. Not its "Keys" panel: F1 lists the same keys, with their
        # ids and in the interface's language (the panel shows every description in English).
        panel = {self.action_show_help_panel, self.action_hide_help_panel}
        for command in super().get_system_commands(screen):
            if command.callback not in panel:
                yield command._replace(title=_(command.title), help=_(command.help))
        if not self.read_only:
            yield SystemCommand(
                _("New conversation"), _("Write to a customer (n)"), lambda: self.new_conversation()
            )
        yield SystemCommand(
            _("Messages tab"), _("Conversations (1)"), lambda: self.show_tab("messages")
        )
        yield SystemCommand(
            _("Documents tab"),
            _("Purchase orders and invoices (2)"),
            lambda: self.show_tab("documents"),
        )
        yield SystemCommand(_("Next unread thread"), _("Open it (])"), self.action_next_unread)
        yield SystemCommand(
            _("Inbound mail log"),
            _("Emailed replies, accepted or rejected and why (i)"),
            self.action_mail_log,
        )
        if self.identity is not None and len(self.identity.granted) > 1:
            yield SystemCommand(
                _("Switch account"),
                _("Another of the accounts you may read (a)"),
                self.action_switch_account,
            )
        if not self.read_only:
            yield SystemCommand(
                _("Notification preferences"),
                _("Email, digest, toast, bell (F2)"),
                self.action_preferences,
            )
