"""The home screen: the Messages tab (1) and the Documents tab (2).

The tabs are a :class:`TabStrip` and two panes of which one is shown: the screen's first frame
is what start-up waits for, and Textual's TabbedContent cost eight widgets and four widget
classes' CSS there (see tab_strip.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import MountError, Widget
from textual.widgets import Input

from ...i18n import N_, _
from ...model import Conversation, Customer, Page
from ..base import READER_BINDINGS, NetmsgScreen
from ..events import StoreChanged
from ..widgets.conversation_list import ConversationList
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar
from ..widgets.messages_pane import MessagesPane
from ..widgets.pencil import Pencil
from ..widgets.tab_strip import TabStrip
from .painted_once import PaintedByLayout

if TYPE_CHECKING:
    from ..widgets.documents_pane import DocumentsPane


class DocumentsTab(Vertical):
    """The Documents tab's content. Composed lazily: its module (and DataTable) is imported
    after the home screen's first frame."""

    def compose(self) -> ComposeResult:
        from ..widgets.documents_pane import DocumentsPane

        yield DocumentsPane(id="documents-pane")


class LazyTab(Widget):
    """Mounts ``widget`` in its place after the first frame, as Textual's Lazy does, except that
    it mounts nothing when its screen went before the first frame (Lazy then raised MountError
    and the app exited with 1: support over ssh with --account replaces the first home screen at
    once). Not a Lazy: its module and classes cost start-up ~1 ms for these few lines."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.display = False  # as Lazy's CSS has it, without CSS to parse
        self._later = widget

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        parent = self.parent
        if not isinstance(parent, Widget):
            return

        async def mount() -> None:
            try:
                await parent.mount(self._later, after=self)
            except MountError:
                return  # the screen went before its first frame: nothing to show
            await self.remove()

        self.call_after_refresh(mount)


#: The tabs by name, in order: the names are the panes' ids and the 1/2 bindings' parameters.
TABS = {"messages": N_("1 Messages"), "documents": N_("2 Documents")}


class MainScreen(PaintedByLayout, NetmsgScreen[None]):
    # The list has the cursor from the first frame: Textual's default (the first focusable,
    # the ✎ pencil) held it until on_mount's focus() took effect, and F1 or a key typed in
    # between went to the pencil (seen in test_german_help under load).
    AUTO_FOCUS = "#conversations"

    BINDINGS = [
        # The tab labels say "1 Messages" and "2 Documents": the key bar keeps its room.
        Binding("1", "tab('messages')", N_("Messages tab"), id="messages-tab", show=False),
        Binding("2", "tab('documents')", N_("Documents tab"), id="documents-tab", show=False),
        Binding("n", "new", N_("New"), id="new"),
        Binding("slash", "search", N_("Search"), id="search"),
        Binding("u", "unread_only", N_("Unread only"), id="unread-only"),
        Binding("right_square_bracket", "app.next_unread", N_("Next unread"), id="next-unread"),
        Binding("escape", "back", N_("Back"), show=False, id="back"),
        *READER_BINDINGS,
    ]

    def __init__(self, first_page: Page[Conversation] | None = None) -> None:
        super().__init__()
        self._resumed_once = False  # the first resume is the first show: already loading
        self._first_page = first_page

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield TabStrip({name: _(label) for name, label in TABS.items()}, "messages", id="tabs")
        with Vertical(id="messages", classes="tab-pane"):
            yield MessagesPane(self._first_page, id="messages-pane")
        # Built after the first frame and loaded when first shown: start-up pays only for the
        # Messages tab.
        with Vertical(id="documents", classes="tab-pane -hidden"):
            yield LazyTab(DocumentsTab())
        yield KeyBar()

    @property
    def active_tab(self) -> str:
        """The name of the tab shown: "messages" or "documents"."""
        return self.query_one(TabStrip).active

    @property
    def messages(self) -> MessagesPane:
        return self.query_one(MessagesPane)

    @property
    def documents(self) -> DocumentsPane:
        from ..widgets.documents_pane import DocumentsPane  # loaded with the tab by now

        return self.query_one("#documents-pane", DocumentsPane)

    def on_mount(self) -> None:
        self.messages.list.focus()

    def show_tab(self, tab: str) -> None:
        if self.gone:  # called again after a refresh, and the screen went meanwhile
            return
        strip = self.query_one(TabStrip)
        if strip.active != tab:
            strip.active = tab
            for name in TABS:
                self.query_one(f"#{name}").set_class(name != tab, "-hidden")
        if tab == "messages":
            self.messages.list.focus()
        else:
            self._focus_documents()

    def _focus_documents(self) -> None:
        if self.gone:
            return
        if self.query("#documents-pane"):
            self.documents.open()  # its first rows painted with the tab, not a frame after it
            self.documents.table.focus()
            self.app.key_gate.release(self)
        else:  # the tab's content is mounted after the first frame: focus it after the next
            self.app.key_gate.hold(self)  # keys typed meanwhile are for the table
            self.call_after_refresh(self._focus_documents)

    def action_tab(self, tab: str) -> None:
        self.show_tab(tab)

    def documents_of(self, customer: Customer) -> None:
        """The Documents tab showing only ``customer``'s documents."""
        if self.gone:
            return
        if self.query("#documents-pane"):
            self.documents.filter_by(customer)
        else:  # the tab's content is mounted after the first frame
            self.call_after_refresh(self.documents_of, customer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":  # support staff: hidden, not merely refused
            return not self.app.read_only
        return True

    def action_new(self) -> None:
        self.app.new_conversation()

    def action_search(self) -> None:
        active = self.active_tab
        pane = self.messages if active == "messages" else self.documents
        pane.search.focus()

    def action_unread_only(self) -> None:
        self.show_tab("messages")
        self.messages.toggle_unread()

    def action_back(self) -> None:
        """From a search bar back to its list, the search cleared (all rows again); from the
        Documents tab without a search back to Messages (the home screen has nowhere else)."""
        active = self.active_tab
        documents = self.query("#documents-pane")
        pane = self.messages if active == "messages" or not documents else self.documents
        if pane.search.value:
            pane.search.value = ""
            pane.search_now()
            self.show_tab(active)
            return
        in_search = isinstance(self.focused, Input)
        self.show_tab(active if in_search else "messages")

    @on(TabStrip.Picked)
    def _tab_clicked(self, event: TabStrip.Picked) -> None:
        self.show_tab(event.tab)

    @on(ConversationList.Opened)
    def _open_thread(self, event: ConversationList.Opened) -> None:
        self.app.open_thread(event.conversation_id)

    def on_documents_pane_opened(self, event: DocumentsPane.Opened) -> None:
        self.app.open_document(event.document_id)

    def on_documents_pane_customer_filter_requested(self) -> None:
        from ..dialogs.customer_picker import CustomerPicker

        self.app.push_screen(CustomerPicker(), self.documents.filter_by)

    @on(Pencil.Pressed)
    def _pencil(self) -> None:
        self.app.new_conversation()

    def on_store_changed(self, event: StoreChanged) -> None:
        if not self.gone:  # posted by the app's watcher, maybe just before the screen began to go
            self.messages.reload()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Back from a thread: its read state (and any reply sent there) shows at once.
        if self._resumed_once:
            self.messages.reload()
        else:
            # Shown for the first time, every widget was styled as it mounted: Textual's
            # restyle of the whole screen would come again before the first frame.
            event.refresh_styles = False
        self._resumed_once = True
