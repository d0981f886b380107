"""Handing an email to the SMTP server named in ``[smtp]`` of config.toml.

The password is a secret and never lives in config.toml: ``NETMSG_SMTP_PASSWORD`` first, then the
system keyring (service ``netmsg-tui``, name ``smtp:USER@HOST``), read with a timeout so a locked
keyring cannot hang a cron job or the server.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from ..config import SmtpSettings

KEYRING_SERVICE = "netmsg-tui"
KEYRING_TIMEOUT = 3.0


class SmtpError(Exception):
    """Delivery to the SMTP server failed; ``str()`` says why in one line."""


def keyring_name(settings: SmtpSettings) -> str:
    return f"smtp:{settings.username}@{settings.host}"


def smtp_password(settings: SmtpSettings) -> str | None:
    """The SMTP password: the environment variable, else the keyring, else None."""
    env = os.environ.get("NETMSG_SMTP_PASSWORD")
    if env:
        return env
    if not settings.username:
        return None
    found: list[str | None] = []

    def ask() -> None:
        try:
            import keyring

            found.append(keyring.get_password(KEYRING_SERVICE, keyring_name(settings)))
        except Exception:  # no backend, locked, D-Bus gone: all mean "not available"
            found.append(None)

    worker = threading.Thread(target=ask, daemon=True)
    worker.start()
    worker.join(KEYRING_TIMEOUT)
    return found[0] if found else None


def send(mail: EmailMessage, settings: SmtpSettings) -> list[str]:
    """Deliver ``mail`` to its To addresses; returns the addresses the server refused.

    Raises SmtpError when nothing could be delivered.
    """
    recipients = [address for _, address in getaddresses([str(mail["To"])]) if address]
    envelope_from = parseaddr(settings.sender)[1]
    password = smtp_password(settings)
    if settings.username and password is None:
        raise SmtpError(
            f"No SMTP password for {settings.username}@{settings.host}: set "
            f"NETMSG_SMTP_PASSWORD or store it with 'keyring set {KEYRING_SERVICE} "
            f"{keyring_name(settings)}'"
        )
    where = f"{settings.host}:{settings.port}"
    try:
        client: smtplib.SMTP
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                assert password is not None
                client.login(settings.username, password)
            refused = client.send_message(mail, from_addr=envelope_from, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        raise SmtpError(
            f"the SMTP server {where} refused every recipient: {exc.recipients}"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SmtpError(f"the SMTP server {where} refused the login: {_reply(exc)}") from None
    except smtplib.SMTPResponseException as exc:
        raise SmtpError(f"the SMTP server {where} answered {_reply(exc)}") from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise SmtpError(f"cannot deliver through {where}: {exc or type(exc).__name__}") from None
    return sorted(refused)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {text}".strip()
