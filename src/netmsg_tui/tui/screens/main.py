"""The home screen: the Messages tab (1) and the Documents tab (2)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane

from ..events import StoreChanged
from ..widgets.conversation_list import ConversationList
from ..widgets.documents_pane import DocumentsPane
from ..widgets.header import AppHeader
from ..widgets.messages_pane import MessagesPane


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "tab('messages')", "Messages", id="messages-tab"),
        Binding("2", "tab('documents')", "Documents", id="documents-tab"),
        Binding("n", "new", "New", id="new"),
        Binding("slash", "search", "Search", id="search"),
        Binding("u", "unread_only", "Unread only", id="unread-only"),
        Binding("right_square_bracket", "app.next_unread", "Next unread", id="next-unread"),
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        with TabbedContent(id="tabs", initial="messages"):
            with TabPane("Messages (1)", id="messages"):
                yield MessagesPane(id="messages-pane")
            with TabPane("Documents (2)", id="documents"):
                yield DocumentsPane(id="documents-pane")
        yield Footer()

    @property
    def messages(self) -> MessagesPane:
        return self.query_one(MessagesPane)

    @property
    def documents(self) -> DocumentsPane:
        return self.query_one(DocumentsPane)

    def on_mount(self) -> None:
        self.messages.list.focus()

    def show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "messages":
            self.messages.list.focus()
        else:
            self.documents.table.focus()

    def action_tab(self, tab: str) -> None:
        self.show_tab(tab)

    def action_new(self) -> None:
        self.app.new_conversation()  # type: ignore[attr-defined]

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
        self.app.open_thread(event.conversation_id)  # type: ignore[attr-defined]

    @on(DocumentsPane.Opened)
    def _open_document(self, event: DocumentsPane.Opened) -> None:
        self.app.open_document(event.document_id)  # type: ignore[attr-defined]

    def on_store_changed(self, event: StoreChanged) -> None:
        self.messages.reload()

    def on_screen_resume(self) -> None:
        # Back from a thread: its read state (and any reply sent there) shows at once.
        if self.is_mounted:
            self.messages.reload()
