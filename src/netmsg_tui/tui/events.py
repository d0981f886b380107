"""App-wide messages: the live-refresh loop tells screens what changed in the store."""

from __future__ import annotations

from textual.message import Message

from ..model import Change


class StoreChanged(Message):
    """Something changed in the store (this app, another terminal, the server, a customer).

    Posted to every screen on the stack by the app's poll loop; each screen refreshes what it
    shows of the conversations named in ``changes``.
    """

    def __init__(self, changes: tuple[Change, ...]) -> None:
        super().__init__()
        self.changes = changes

    @property
    def conversation_ids(self) -> set[int]:
        return {change.conversation_id for change in self.changes}


class ConversationSent(Message):
    """This user sent a message in a conversation (posted to the app after a send)."""

    def __init__(self, conversation_id: int) -> None:
        super().__init__()
        self.conversation_id = conversation_id
