"""HTTP adapter: the store port over the network server's JSON API (``/api/v1``).

* httpx is imported only when the first request is made (see :mod:`.http`).
* Reads are retried on transport failures and 502/503/504; sends always carry an idempotency
  key (one is made when the caller gives none), so they are retried too and never stored twice.
* Every failure becomes a store error; ``Unavailable`` says in words why the server is not there.
* It implements the offline sub-port (:mod:`..offline`): each send is written to a local send
  queue first (see :mod:`.send_queue`). When the server cannot be reached the send raises
  :class:`~..offline.QueuedOffline` (an ``Unavailable``) and a background task delivers it
  when the server is back, exactly once. :meth:`RemoteStore.queued_sends` lists
  queued/sent/failed; :attr:`RemoteStore.connection_state` and
  :meth:`RemoteStore.on_connection_change` tell the UI whether the server is there.
* :meth:`RemoteStore.watch` follows the server's push stream (SSE).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ... import wire as codec
from ...i18n import _
from ...model import (
    Attachment,
    ChangeBatch,
    Conversation,
    Customer,
    CustomerRead,
    DeliveryTrail,
    Document,
    DocumentKind,
    Found,
    Identity,
    InboundMail,
    Message,
    NewAttachment,
    NotificationPrefs,
    Origin,
    Page,
    Template,
)
from ..base import MessageStore, Unauthorized, Unavailable, check_message, check_template
from ..offline import ConnectionState, OfflineStore, QueuedSend, SendKind
from .delivery import Delivery
from .send_queue import SendQueue

if TYPE_CHECKING:
    from .http import Http

Sent = TypeVar("Sent", Conversation, Message)
T = TypeVar("T")


def default_outbox_path(url: str, token: str | None) -> Path:
    """One outbox file per server and token, in the user data folder (``NETMSG_OUTBOX``
    overrides it: tests, several setups side by side)."""
    if override := os.environ.get("NETMSG_OUTBOX"):
        return Path(override)
    import platformdirs

    slug = re.sub(r"[^A-Za-z0-9]+", "-", url.split("://", 1)[-1]).strip("-")[:60]
    who = hashlib.sha256((token or "").encode()).hexdigest()[:10]
    return platformdirs.user_data_path("netmsg-tui") / "outbox" / f"{slug}-{who}.db"


class RemoteStore(OfflineStore):
    """The store of a network server at ``url`` (``http(s)://host[:port]``), for ``token``."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        outbox_path: str | Path | None = None,
        retries: int = 2,
        transport: Any = None,
        account: int | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {url}")
        self.url = url.rstrip("/")
        self.location = self.url
        self._token = token
        self._account = account  # support: the granted account to read (X-Netmsg-Account)
        self._outbox_path = outbox_path
        self._me: Identity | None = None
        self._retries = retries
        self._transport = transport
        self._http: Http | None = None
        self._listeners: list[Callable[[ConnectionState], None]] = []
        self._queue = SendQueue(Path(outbox_path or default_outbox_path(self.url, token)))
        self._delivery = Delivery(self._queue, self._client)
        self._started = False
        self._closed = False

    # -- connection -------------------------------------------------------------------------------
    @property
    def connection_state(self) -> ConnectionState:
        return "connecting" if self._http is None else self._http.state

    def on_connection_change(
        self, callback: Callable[[ConnectionState], None]
    ) -> Callable[[], None]:
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def _notify(self, state: ConnectionState) -> None:
        for callback in list(self._listeners):
            callback(state)

    def _client(self) -> Http:
        if self._closed:
            raise Unavailable(_("This store was closed"))
        if self._http is None:
            from .http import Http

            self._http = Http(
                self.url,
                self._token,
                retries=self._retries,
                transport=self._transport,
                on_state=self._notify,
                account=self._account,
            )
        return self._http

    async def _get(self, path: str, **params: Any) -> Any:
        await self._start()
        await self._pick_account()
        return await self._client().json("GET", path, params=params)

    async def _get_cached(self, path: str, read: Callable[[Any], T], **params: Any) -> T:
        """A GET whose answer is kept with its ETag and asked again with If-None-Match."""
        await self._start()
        await self._pick_account()
        return await self._client().cached(path, params, read)

    async def _pick_account(self) -> None:
        """Before the first read: a support token with no account chosen reads the one the
        server's "who am I" answers for (the first granted), as every request must name one."""
        if self._account is None and self._me is None:
            await self.whoami()

    async def _start(self) -> None:
        """On first use: resume delivering what an earlier run left in the send queue."""
        if self._started:
            return
        self._started = True
        if await asyncio.to_thread(self._queue.queued_count):
            self._delivery.kick()

    async def close(self) -> None:
        """Stop background work and close the connection. If the server answered in this
        session, queued sends get one last delivery attempt first (a short-lived CLI command
        thus delivers what an earlier, offline one left queued)."""
        if self._closed:
            return
        await self._delivery.close(last_try=self.connection_state == "connected")
        self._closed = True
        if self._http is not None:
            await self._http.close()
        self._queue.close()

    # -- reads ------------------------------------------------------------------------------------
    async def whoami(self) -> Identity:
        await self._start()
        me = self._me = codec.identity(await self._client().json("GET", "/api/v1/me"))
        if me.read_only and self._account is None:
            self._account = me.account.id
            self._client().set_account(me.account.id)
        return me

    async def _read_only(self) -> bool:
        """Whether this is a support store (asked of the server once). Unknown while the
        server cannot be reached: a supplier's send is then queued as always (a support
        token's would be refused at delivery)."""
        if self._me is None:
            try:
                await self.whoami()
            except Unavailable:
                return False
        assert self._me is not None
        return self._me.read_only

    async def _refuse_support_write(self) -> None:
        # Refused here, before the send queue: a queued write of support staff would only
        # ever fail at delivery.
        if await self._read_only():
            raise Unauthorized(_("Support tokens are read-only"))

    async def open_account(self, account_id: int) -> MessageStore:
        me = await self.whoami()
        # Without X-Netmsg-Account the server answers only /me for a token granted several
        # accounts: the account it shows there needs a store that names it too.
        if account_id == me.account.id and (self._account is not None or len(me.granted) < 2):
            return self
        if account_id not in {a.id for a in me.granted}:
            raise Unauthorized(
                _("Account {account_id} is not one of the accounts you may read").format(
                    account_id=account_id
                )
            )
        return RemoteStore(
            self.url,
            self._token,
            outbox_path=self._outbox_path,
            retries=self._retries,
            transport=self._transport,
            account=account_id,
        )

    async def list_customers(
        self, query: str = "", *, cursor: str | None = None, limit: int = 50
    ) -> Page[Customer]:
        data = await self._get("/api/v1/customers", query=query or None, cursor=cursor, limit=limit)
        return Page(tuple(codec.customer(c) for c in data["items"]), data["next_cursor"])

    async def get_customer(self, customer_id: int) -> Customer:
        return codec.customer(await self._get(f"/api/v1/customers/{int(customer_id)}"))

    async def list_documents(
        self,
        query: str = "",
        *,
        kind: DocumentKind | None = None,
        customer_id: int | None = None,
        oldest_first: bool = False,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[Document]:
        data = await self._get(
            "/api/v1/documents",
            query=query or None,
            kind=kind,
            customer_id=customer_id,
            oldest_first=oldest_first or None,
            cursor=cursor,
            limit=limit,
        )
        return Page(tuple(codec.document(d) for d in data["items"]), data["next_cursor"])

    async def get_document(self, document_id: int) -> Document:
        return codec.document(await self._get(f"/api/v1/documents/{int(document_id)}"))

    async def document_thread(self, document_id: int) -> Conversation | None:
        data = await self._get(f"/api/v1/documents/{int(document_id)}/thread")
        found = data["conversation"]
        return None if found is None else codec.conversation(found)

    async def list_conversations(
        self,
        query: str = "",
        *,
        unread_only: bool = False,
        customer_id: int | None = None,
        document_id: int | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[Conversation]:
        return await self._get_cached(
            "/api/v1/conversations",
            codec.conversation_page,
            query=query or None,
            unread_only=unread_only or None,
            customer_id=customer_id,
            document_id=document_id,
            cursor=cursor,
            limit=limit,
        )

    async def get_conversation(self, conversation_id: int) -> Conversation:
        return codec.conversation(await self._get(f"/api/v1/conversations/{int(conversation_id)}"))

    async def list_messages(
        self, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        path = f"/api/v1/conversations/{int(conversation_id)}/messages"
        return await self._get_cached(path, codec.message_page, cursor=cursor, limit=limit)

    async def unread_total(self) -> int:
        return int((await self._get("/api/v1/unread"))["unread"])

    async def get_attachment(self, attachment_id: int) -> Attachment:
        return codec.attachment(await self._get(f"/api/v1/attachments/{int(attachment_id)}"))

    async def read_attachment(self, attachment_id: int) -> bytes:
        await self._start()
        await self._pick_account()
        path = f"/api/v1/attachments/{int(attachment_id)}/content"
        return (await self._client().request("GET", path)).content

    async def get_preferences(self) -> NotificationPrefs:
        return codec.prefs(await self._get("/api/v1/preferences"))

    # -- support look-ups -------------------------------------------------------------------------
    async def find(self, query: str, *, limit: int = 20) -> list[Found]:
        data = await self._get("/api/v1/find", query=query, limit=limit)
        return [codec.found(f) for f in data["items"]]

    async def message_trail(self, message: int | str) -> DeliveryTrail:
        if isinstance(message, int):
            return codec.delivery_trail(await self._get(f"/api/v1/messages/{message}/trail"))
        return codec.delivery_trail(await self._get("/api/v1/mail/trail", message_id=message))

    async def customer_reads(self, conversation_id: int) -> list[CustomerRead]:
        path = f"/api/v1/conversations/{int(conversation_id)}/customer-reads"
        return [codec.customer_read(r) for r in (await self._get(path))["items"]]

    async def mail_log(self, *, limit: int = 20) -> list[InboundMail]:
        data = await self._get("/api/v1/mail/log", limit=limit)
        return [codec.inbound_mail(m) for m in data["items"]]

    # -- writes -----------------------------------------------------------------------------------
    async def mark_read(self, conversation_id: int) -> None:
        if await self._read_only():
            return  # a support read leaves the supplier's unread state alone
        await self._start()
        await self._client().request("POST", f"/api/v1/conversations/{int(conversation_id)}/read")

    async def set_preferences(self, prefs: NotificationPrefs) -> NotificationPrefs:
        await self._refuse_support_write()
        await self._start()
        body = {
            "email_on_reply": prefs.email_on_reply,
            "addresses": list(prefs.addresses),
            "mode": prefs.mode,
            "toast": prefs.toast,
            "bell": prefs.bell,
            "language": prefs.language,
        }
        return codec.prefs(await self._client().json("PUT", "/api/v1/preferences", body=body))

    async def start_conversation(
        self,
        customer_id: int,
        subject: str,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        document_id: int | None = None,
        idempotency_key: str | None = None,
        origin: Origin = "app",
    ) -> Conversation:
        subject = subject.strip()
        check_message(body, attachments, subject)
        place = {"customer_id": customer_id, "document_id": document_id, "subject": subject}
        return await self._send(Conversation, body, attachments, idempotency_key, origin, **place)

    async def reply(
        self,
        conversation_id: int,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        idempotency_key: str | None = None,
        origin: Origin = "app",
    ) -> Message:
        check_message(body, attachments)
        place = {"conversation_id": conversation_id}
        return await self._send(Message, body, attachments, idempotency_key, origin, **place)

    async def _send(
        self,
        made: type[Sent],
        body: str,
        attachments: Sequence[NewAttachment],
        key: str | None,
        origin: Origin,
        **place: Any,
    ) -> Sent:
        """Through the send queue: kept on disk first, then delivered (or left queued when the
        server cannot be reached). A new thread (``made`` Conversation) or a reply (Message);
        ``place``: where it goes, as :meth:`SendQueue.add` takes it."""
        await self._refuse_support_write()
        await self._start()
        kind: SendKind = "start" if made is Conversation else "reply"
        key = key or uuid.uuid4().hex
        entry = await asyncio.to_thread(
            self._queue.add, key, kind, body, list(attachments), origin=origin, **place
        )
        result = await self._delivery.send(entry)
        assert isinstance(result, made)
        return result

    # -- the send queue (offline sub-port) ------------------------------------------------------
    async def queued_sends(self, conversation_id: int | None = None) -> list[QueuedSend]:
        return await asyncio.to_thread(self._queue.entries, conversation_id=conversation_id)

    async def retry_send(self, key: str) -> None:
        await asyncio.to_thread(self._queue.requeue, key)
        self._delivery.kick()

    async def discard_send(self, key: str) -> None:
        await asyncio.to_thread(self._queue.discard, key)

    async def flush_sends(self) -> int:
        return await self._delivery.flush()

    # -- drafts: in the local queue file, so they survive a restart of the app ------------------
    async def save_draft(self, place: str, data: dict[str, Any]) -> None:
        await asyncio.to_thread(self._queue.save_draft, place, data)

    async def drafts(self) -> dict[str, dict[str, Any]]:
        return await asyncio.to_thread(self._queue.drafts)

    async def delete_draft(self, place: str) -> None:
        await asyncio.to_thread(self._queue.delete_draft, place)

    # -- live refresh -----------------------------------------------------------------------------
    async def changes_since(self, cursor: int | None = None, *, limit: int = 200) -> ChangeBatch:
        return codec.change_batch(await self._get("/api/v1/changes", cursor=cursor, limit=limit))

    async def watch(self, cursor: int | None = None) -> AsyncIterator[ChangeBatch]:
        """The server's push stream (SSE) instead of polling: reconnects by itself and resumes
        from the last cursor seen. Raises Unauthorized when the token is refused."""
        from .watch import follow

        await self._start()
        await self._pick_account()
        async for batch in follow(self._client(), cursor):
            yield batch

    # -- canned replies: on the server, shared by the account ----------------------------------
    async def list_templates(self) -> tuple[Template, ...]:
        found = await self._get("/api/v1/templates")
        return tuple(codec.template(t) for t in found["items"])

    async def get_template(self, name: str) -> Template:
        return codec.template(await self._get("/api/v1/template", name=name))

    async def save_template(self, name: str, body: str) -> Template:
        check_template(name, body)  # the server says the same; refused here without a round trip
        await self._refuse_support_write()
        await self._start()
        body_json = {"name": name, "body": body}
        answer = await self._client().json("PUT", "/api/v1/template", body=body_json)
        return codec.template(answer)

    async def delete_template(self, name: str) -> None:
        await self._refuse_support_write()
        await self._start()
        # Not retried: a retry after a delete that did happen would answer NotFound.
        path, params = "/api/v1/template", {"name": name}
        await self._client().request("DELETE", path, params=params, retry=False)
