"""Delivering the outbox: one pass (``netmsg notify --once``, cron) or a loop (``netmsg serve``).

A pass claims due rows, sends each email, then records the result; an SMTP failure puts the row
back with a backed-off retry time (see :mod:`.outbox` for the states). Users in daily mode get
at most one digest per day, sent at the first pass after :data:`DIGEST_HOUR_UTC`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from ..config import Settings
from . import compose, outbox
from .db import Conn, connect
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
        text = (
            f"{self.sent} sent, {self.digests} digests, {self.retrying} to retry, "
            f"{self.skipped} skipped"
        )
        return text + "".join(f"\n  {e}" for e in dict.fromkeys(self.errors))


def send_due(
    path: Path,
    settings: Settings,
    signer: TokenSigner,
    *,
    now: datetime | None = None,
    digest_hour: int = DIGEST_HOUR_UTC,
) -> SendReport:
    """One pass over the outbox of the store at ``path``. Blocking (SMTP and SQLite)."""
    now = now or datetime.now(UTC)
    report = SendReport()
    sender = settings.smtp.sender
    with connect(path) as conn:
        report.skipped += outbox.skip_unwanted(conn, now)
        while ids := outbox.claim_immediate(conn, now):
            for outbox_id in ids:

                def one(outbox_id: int = outbox_id) -> EmailMessage | None:
                    notice = outbox.load_notice(conn, outbox_id)
                    if not notice.prefs.addresses:
                        return None
                    return compose.notification(notice, signer, sender, now)

                if _deliver(conn, [outbox_id], one, "sent", settings, now, report):
                    report.sent += 1
        for user_id in outbox.users_due_for_digest(conn, now, digest_hour):
            ids = outbox.claim_digest(conn, user_id, now, digest_hour)

            def digest(ids: list[int] = ids) -> EmailMessage | None:
                notices = [outbox.load_notice(conn, i) for i in ids]
                if not notices[0].prefs.addresses:
                    return None
                return compose.digest(notices, signer, sender, now)

            if ids and _deliver(conn, ids, digest, "digested", settings, now, report):
                report.digests += 1
    return report


def _deliver(
    conn: Conn,
    ids: list[int],
    make: Callable[[], EmailMessage | None],
    state: str,
    settings: Settings,
    now: datetime,
    report: SendReport,
) -> bool:
    """Build and send one email for the claimed rows ``ids``; record the outcome in the outbox.
    Returns whether it was delivered. ``make`` returns None when there is nobody to send to."""
    try:
        mail = make()
    except Exception as exc:  # one row that cannot become an email must not stall the queue
        log.exception("cannot compose the notification for outbox rows %s", ids)
        error = f"cannot compose the notification: {exc!r}"
        outbox.retry_later(conn, ids, error, now)
        report.retrying += len(ids)
        report.errors.append(error)
        return False
    if mail is None:
        outbox.finish(conn, ids, "skipped", now, "no email address set")
        report.skipped += len(ids)
        return False
    try:
        refused = send(mail, settings.smtp)
    except SmtpError as exc:
        outbox.retry_later(conn, ids, str(exc), now)
        report.retrying += len(ids)
        report.errors.append(str(exc))
        return False
    note = f"refused by the SMTP server: {', '.join(refused)}" if refused else ""
    outbox.finish(conn, ids, state, now, note)
    return True


async def run_sender_loop(
    path: Path,
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
    while not stop.is_set():
        try:
            report = await asyncio.to_thread(send_due, path, settings, signer)
            if report.sent or report.digests or report.retrying:
                log.info("notifications: %s", report)
        except Exception:  # keep serving: the next pass tries again
            log.exception("notification pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
