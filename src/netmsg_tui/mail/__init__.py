"""Email: notifications of customer replies (outbound) and replies by email (inbound).

* :mod:`.compose`, :mod:`.smtp`, :mod:`.sender` — deliver the notification queue that the store
  fills in the same transaction as each customer reply.
* :mod:`.tokens`, :mod:`.secret` — the HMAC-signed reply address ``reply+TOKEN@<reply domain>``.
* :mod:`.inbound`, :mod:`.reply_text`, :mod:`.inbound_server` — accept a reply (MTA pipe or an
  SMTP/LMTP port), verify it, strip the quoted history, store it with origin ``email``.

The mail gateway is network-side: it works through the network store's operations
(:class:`~netmsg_tui.store.network.NetworkStore`), never on its tables. Setup: ``docs/mail.md``.
"""

from __future__ import annotations

from ..config import Settings
from .secret import load_secrets
from .tokens import TokenSigner


def signer_for(settings: Settings) -> TokenSigner:
    """The token signer for these settings, with the secrets from :func:`.secret.load_secrets`."""
    return TokenSigner(load_secrets(), settings.mail.reply_domain, settings.mail.token_days)
