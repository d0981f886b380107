"""The home screen: the Messages tab (1) and the Documents tab (2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import AwaitMount
from textual.widgets import Button, TabbedContent, TabPane

from ...model import Conversation, Page
from ..base import NetmsgScreen
from ..events import IdentityKnown, StoreChanged
from ..widgets.conversation_list import ConversationList
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar
from ..widgets.messages_pane import MessagesPane

if TYPE_CHECKING:
    from ..widgets.documents_pane import DocumentsPane


class MainScreen(NetmsgScreen[None]):
    BINDINGS = [
        # The tab labels say "(1)" and "(2)": the footer keeps its room for the rest.
        Binding("1", "tab('messages')", "Messages tab", id="messages-tab", show=False),
        Binding("2", "tab('documents')", "Documents tab", id="documents-tab", show=False),
        Binding("n", "new", "New", id="new"),
        Binding("slash", "search", "Search", id="search"),
        Binding("u", "unread_only", "Unread only", id="unread-only"),
        Binding("right_square_bracket", "app.next_unread", "Next unread", id="next-unread"),
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    def __init__(self, first_page: Page[Conversation] | None = None) -> None:
        super().__init__()
        self._resumed_once = False  # the first resume is the first show: already loading
        self._first_page = first_page

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        with TabbedContent(id="tabs", initial="messages"):
            with TabPane("Messages (1)", id="messages"):
                yield MessagesPane(self._first_page, id="messages-pane")
            # Filled when first shown: start-up pays only for the Messages tab.
            yield TabPane("Documents (2)", id="documents")
        yield KeyBar()

    @property
    def messages(self) -> MessagesPane:
        return self.query_one(MessagesPane)

    @property
    def documents(self) -> DocumentsPane:
        from ..widgets.documents_pane import DocumentsPane

        return self.query_one(DocumentsPane)

    def _documents_mounted(self) -> AwaitMount | None:
        """Mount the Documents tab's content on first use; None when it is there already."""
        from ..widgets.documents_pane import DocumentsPane

        if self.query(DocumentsPane):
            return None
        return self.query_one("#documents", TabPane).mount(DocumentsPane(id="documents-pane"))

    def on_mount(self) -> None:
        self.messages.list.focus()

    def show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "messages":
            self.messages.list.focus()
        elif (mounting := self._documents_mounted()) is None:
            self.documents.table.focus()
        else:

            async def focus_when_mounted() -> None:
                await mounting
                self.documents.table.focus()

            self.run_worker(focus_when_mounted(), group="documents-tab")

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "documents":  # also by mouse: fill the tab
            self._documents_mounted()

    def action_tab(self, tab: str) -> None:
        self.show_tab(tab)

    def action_new(self) -> None:
        self.app.new_conversation()

    def action_search(self) -> None:
        active = self.query_one(TabbedContent).active
        pane = self.messages if active == "messages" else self.documents
        pane.search.focus()

    def action_unread_only(self) -> None:
        self.show_tab("messages")
        self.messages.toggle_unread()

    def action_back(self) -> None:
        """From a search bar back to its list; the home screen has nowhere else to go."""
        active = self.query_one(TabbedContent).active
        self.show_tab(active)

    @on(ConversationList.Opened)
    def _open_thread(self, event: ConversationList.Opened) -> None:
        self.app.open_thread(event.conversation_id)

    def on_documents_pane_opened(self, event: DocumentsPane.Opened) -> None:
        self.app.open_document(event.document_id)

    def on_documents_pane_customer_filter_requested(self) -> None:
        from ..dialogs.customer_picker import CustomerPicker

        self.app.push_screen(CustomerPicker(), self.documents.filter_by)

    @on(Button.Pressed, "#pencil")
    def _pencil(self) -> None:
        self.app.new_conversation()

    def on_store_changed(self, event: StoreChanged) -> None:
        self.messages.reload()

    def on_identity_known(self, event: IdentityKnown) -> None:
        self.query_one(AppHeader).update(self.app.header_text)
        self.messages.show_plan()
        # Build the (hidden) Documents tab once the home screen is up, so that `2` only loads.
        self.set_timer(0.5, self._documents_mounted)

    def on_screen_resume(self) -> None:
        # Back from a thread: its read state (and any reply sent there) shows at once.
        if self._resumed_once:
            self.messages.reload()
        self._resumed_once = True
