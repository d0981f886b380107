"""An SMTP or LMTP port that accepts replies for the reply domain (used by ``netmsg serve``).

Point the reply domain's MX (or the MTA's transport for it) at this port. Only recipients
``reply+…@<reply domain>`` are accepted; anything else is refused at ``RCPT`` with 550, so the
port is no relay. The message is processed during ``DATA``: accepted → 250; rejected with a
bounce → 550 with the reason (the sending server returns it to the sender); rejected without a
bounce (forged token, automatic reply, duplicate) → 250, the message kept in the rejected-mail
folder; the store unavailable → 451, the sending server tries again later.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE
from ..store import NetworkStore, open_network
from .inbound import ingest
from .tokens import ADDRESS_PREFIX, TokenSigner

# Base64 grows files by 4/3; leave room for every allowed attachment plus the text.
DATA_SIZE_LIMIT = (MAX_ATTACHMENT_BYTES * MAX_ATTACHMENTS_PER_MESSAGE * 4) // 3 + 2 * 1024 * 1024


class ReplyHandler:
    """aiosmtpd handler: RCPT filtering and the ingest of each message."""

    def __init__(self, store: NetworkStore, signer: TokenSigner, rejected_dir: Path | None = None):
        self.store = store
        self.signer = signer
        self.rejected_dir = rejected_dir

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        local, _, domain = address.lower().rpartition("@")
        if domain != self.signer.reply_domain or not local.startswith(ADDRESS_PREFIX):
            return "550 5.1.1 No such mailbox: only reply addresses are accepted here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        outcome = await ingest(
            raw,
            self.store,
            self.signer,
            recipients=list(envelope.rcpt_tos),
            envelope_sender=envelope.mail_from,
            rejected_dir=self.rejected_dir,
        )
        if outcome.status == "retry":
            return "451 4.3.0 " + _one_line(outcome.reason)
        if outcome.status != "accepted" and outcome.bounce:
            return "550 5.7.1 " + _one_line(outcome.reason)
        return "250 OK"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:400]


@dataclass
class InboundServer:
    server: asyncio.AbstractServer
    host: str
    port: int
    store: NetworkStore

    async def close(self) -> None:
        self.server.close()
        await self.server.wait_closed()
        await self.store.close()


async def start(
    store_url: str | Path,
    signer: TokenSigner,
    *,
    host: str = "127.0.0.1",
    port: int = 2525,
    lmtp: bool = False,
    rejected_dir: Path | None = None,
) -> InboundServer:
    """Listen on ``host:port`` in the running event loop; ``port=0`` picks a free port. Replies
    go to the network store at ``store_url`` (while it is missing, each mail answers 451)."""
    from aiosmtpd.lmtp import LMTP
    from aiosmtpd.smtp import SMTP

    store = open_network(store_url, create=False)
    handler = ReplyHandler(store, signer, rejected_dir)
    protocol = LMTP if lmtp else SMTP
    loop = asyncio.get_running_loop()
    try:
        server = await loop.create_server(
            lambda: protocol(
                handler, data_size_limit=DATA_SIZE_LIMIT, hostname=signer.reply_domain, loop=loop
            ),
            host,
            port,
        )
    except BaseException:
        await store.close()
        raise
    bound = server.sockets[0].getsockname()
    return InboundServer(server, bound[0], bound[1], store)
