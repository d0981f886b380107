"""Delivering the notification queue: one pass (``netmsg notify --once``, cron) or a loop
(``netmsg serve``), through the network store's queue operations.

A pass claims due notices, sends each email, then records the result; an SMTP failure puts the
notice back with a backed-off retry time (the states: :mod:`netmsg_tui.store.network`). Users in
daily mode get at most one digest per day, sent at the first pass after :data:`DIGEST_HOUR_UTC`.
Each email is written in its recipient's language (``NotificationPrefs.language``), one
recipient after another in the same pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from ..config import Settings
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, _, use_language
from ..store import NetworkStore, Unavailable, open_network
from . import compose
from .smtp import SmtpError, send
from .tokens import TokenSigner

DIGEST_HOUR_UTC = 7
log = logging.getLogger(__name__)


@dataclass
class SendReport:
    sent: int = 0
    digests: int = 0
    retrying: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        # The operator's summary (netmsg notify --once), in the process's language; the errors
        # below it are the SMTP servers' and the store's words, kept as they came.
        text = _("{sent} sent, {digests} digests, {retrying} to retry, {skipped} skipped").format(
            sent=self.sent, digests=self.digests, retrying=self.retrying, skipped=self.skipped
        )
        return text + "".join(f"\n  {e}" for e in dict.fromkeys(self.errors))


def send_due(
    store_url: str | Path,
    settings: Settings,
    signer: TokenSigner,
    *,
    now: datetime | None = None,
    digest_hour: int = DIGEST_HOUR_UTC,
) -> SendReport:
    """One pass over the queue of the network store at ``store_url`` (``netmsg notify --once``).
    Blocking: runs its own event loop; call it from a thread of its own in async code."""

    async def once() -> SendReport:
        store = open_network(store_url, create=False)
        try:
            return await send_pass(store, settings, signer, now=now, digest_hour=digest_hour)
        finally:
            await store.close()

    return asyncio.run(once())


async def send_pass(
    store: NetworkStore,
    settings: Settings,
    signer: TokenSigner,
    *,
    now: datetime | None = None,
    digest_hour: int = DIGEST_HOUR_UTC,
) -> SendReport:
    """One pass over the notification queue: each due notice as an email, then the digests."""
    now = now or datetime.now(UTC)
    report = SendReport()
    sender = settings.smtp.sender
    report.skipped += await store.skip_unwanted_notices(now)
    while ids := await store.claim_immediate_notices(now):
        for notice_id in ids:

            async def one(notice_id: int = notice_id) -> EmailMessage | None:
                notice = await store.load_notice(notice_id)
                if not notice.prefs.addresses:
                    return None
                with use_language(_spoken(notice.prefs.language)):
                    return compose.notification(notice, signer, sender, now)

            if await _deliver(store, [notice_id], one, "sent", settings, now, report):
                report.sent += 1
    for user_id in await store.users_due_for_digest(now, digest_hour):
        ids = await store.claim_digest_notices(user_id, now, digest_hour)

        async def digest(ids: list[int] = ids) -> EmailMessage | None:
            notices = [await store.load_notice(i) for i in ids]
            if not notices[0].prefs.addresses:
                return None
            with use_language(_spoken(notices[0].prefs.language)):
                return compose.digest(notices, signer, sender, now)

        if ids and await _deliver(store, ids, digest, "digested", settings, now, report):
            report.digests += 1
    return report


def _spoken(language: str) -> str:
    """The recipient's language, or English for one we do not speak (a row written by hand):
    the email still goes out."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


async def _deliver(
    store: NetworkStore,
    ids: list[int],
    make: Callable[[], Awaitable[EmailMessage | None]],
    state: str,
    settings: Settings,
    now: datetime,
    report: SendReport,
) -> bool:
    """Build and send one email for the claimed notices ``ids``; record the outcome in the queue.
    Returns whether it was delivered. ``make`` returns None when there is nobody to send to."""
    try:
        mail = await make()
    except Unavailable:
        raise  # the store is gone for a moment: the pass ends, the lease frees the notices
    except Exception as exc:  # one notice that cannot become an email must not stall the queue
        log.exception("cannot compose the notification for notices %s", ids)
        error = f"cannot compose the notification: {exc!r}"
        await store.retry_notices_later(ids, error, now)
        report.retrying += len(ids)
        report.errors.append(error)
        return False
    if mail is None:
        await store.finish_notices(ids, "skipped", now, "no email address set")
        report.skipped += len(ids)
        return False
    to = [a.strip() for a in str(mail.get("To", "")).split(",") if a.strip()]
    await store.note_notice_email(ids, str(mail.get("Message-ID", "")), to)
    try:
        refused = await asyncio.to_thread(send, mail, settings.smtp)
    except SmtpError as exc:
        await store.retry_notices_later(ids, str(exc), now)
        report.retrying += len(ids)
        report.errors.append(str(exc))
        return False
    note = f"refused by the SMTP server: {', '.join(refused)}" if refused else ""
    await store.finish_notices(ids, state, now, note)
    return True


async def run_sender_loop(
    store_url: str | Path,
    settings: Settings,
    signer: TokenSigner,
    *,
    interval: float = 15.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Send due notifications every ``interval`` seconds until ``stop`` is set (or cancelled).

    Errors of one pass are logged and retried at the next; the loop itself never dies of them.
    """
    stop = stop or asyncio.Event()
    store = open_network(store_url, create=False)
    try:
        while not stop.is_set():
            try:
                report = await send_pass(store, settings, signer)
                if report.sent or report.digests or report.retrying:
                    log.info("notifications: %s", report)
            except Exception:  # keep serving: the next pass tries again
                log.exception("notification pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
    finally:
        await store.close()
