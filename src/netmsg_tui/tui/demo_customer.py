"""The simulated customer of ``netmsg --demo``: answers a message a few seconds after you send it,
so a newcomer sees the whole loop (unread badge, toast, bell) without a second terminal.

It writes through ``NetworkStore.customer_reply``, the network's own customer-side operation,
exactly as the server's customer role does.
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

from ..i18n import N_, _
from ..store import NotFound

if TYPE_CHECKING:
    from ..model import Message
    from ..store.network import NetworkStore

#: The customer answers in the interface's language: a German supplier's demo reads German.
REPLIES = (
    N_("Thanks for your message. We checked on our side and will confirm by tomorrow."),
    N_("Received, thank you. Our buyer will look into it this afternoon."),
    N_("Understood. Can you send us the updated delivery date as well?"),
    N_("Thanks! That works for us. Please go ahead."),
    N_("Got it. We will update the order in our system and let you know."),
)


class DemoCustomer:
    """Answers in the conversation after ``delay`` seconds (0 in tests)."""

    def __init__(self, network: NetworkStore, delay: float = 3.0, seed: int = 7) -> None:
        self.network = network
        self.delay = delay
        self._rng = random.Random(seed)

    async def answer(self, conversation_id: int) -> Message | None:
        """The customer's reply, or None if the conversation is gone by then."""
        if self.delay:
            await asyncio.sleep(self.delay)
        try:
            return await self.network.customer_reply(
                conversation_id, _(self._rng.choice(REPLIES)), origin="email"
            )
        except NotFound:
            return None
