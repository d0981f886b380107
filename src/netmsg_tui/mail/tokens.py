"""Reply tokens: the only thing an inbound reply is routed on (never the From header).

A token binds one user to one conversation until an expiry time, signed with HMAC-SHA256::

    reply+<user hex>-<conversation hex>-<expiry hex>-<signature>@<reply domain>

Every part is lower-case letters and digits, because mail systems may change the case of a local
part. The signature is 128 bits of HMAC-SHA256 in base32. Verification accepts a signature made
with any of the known secrets (current first, then the previous ones), so a secret can be rotated
without breaking the replies to notifications already sent; it compares in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_VERSION = b"netmsg-reply-v1"
_TOKEN = re.compile(r"([0-9a-f]{1,12})-([0-9a-f]{1,12})-([0-9a-f]{1,12})-([a-z2-7]{26})")
ADDRESS_PREFIX = "reply+"
REFERENCE_PREFIX = "netmsg-reply."


class TokenError(Exception):
    """A token that cannot be trusted; ``str()`` is the reason, ``forged`` says whether the
    signature failed (no bounce then: we never answer mail that we did not invite)."""

    def __init__(self, reason: str, *, forged: bool) -> None:
        super().__init__(reason)
        self.forged = forged


@dataclass(frozen=True, slots=True)
class ReplyToken:
    user_id: int
    conversation_id: int
    expires: datetime
    text: str


class TokenSigner:
    """Makes and checks reply tokens with ``secrets[0]``; also accepts the older ``secrets[1:]``."""

    def __init__(self, secrets: list[bytes], reply_domain: str, token_days: int = 30) -> None:
        if not secrets or any(len(s) < 16 for s in secrets):
            raise ValueError("a mail secret must be at least 16 bytes long")
        self.secrets = list(secrets)
        self.reply_domain = reply_domain.lower()
        self.token_days = token_days

    def _sign(self, secret: bytes, body: str) -> str:
        mac = hmac.new(secret, _VERSION + b":" + body.encode(), hashlib.sha256).digest()[:16]
        return base64.b32encode(mac).decode().rstrip("=").lower()

    def issue(self, user_id: int, conversation_id: int, now: datetime | None = None) -> ReplyToken:
        now = now or datetime.now(UTC)
        expires = now.replace(microsecond=0) + timedelta(days=self.token_days)
        body = f"{user_id:x}-{conversation_id:x}-{int(expires.timestamp()):x}"
        text = f"{body}-{self._sign(self.secrets[0], body)}"
        return ReplyToken(user_id, conversation_id, expires, text)

    def address(self, token: ReplyToken) -> str:
        return f"{ADDRESS_PREFIX}{token.text}@{self.reply_domain}"

    def reference(self, token: ReplyToken) -> str:
        """A message id carrying the token, for the References header: it comes back in the
        reply's References even where the mail server has no plus addressing."""
        return f"<{REFERENCE_PREFIX}{token.text}@{self.reply_domain}>"

    def verify(self, text: str, now: datetime | None = None) -> ReplyToken:
        """The token's content, or TokenError: forged/tampered (bad signature) or expired."""
        match = _TOKEN.fullmatch(text.strip().lower())
        if match is None:
            raise TokenError("the reply address carries no valid reply token", forged=True)
        user_hex, conv_hex, exp_hex, signature = match.groups()
        body = f"{user_hex}-{conv_hex}-{exp_hex}"
        if not any(
            hmac.compare_digest(self._sign(secret, body), signature) for secret in self.secrets
        ):
            raise TokenError(
                "the reply token's signature does not match (forged or altered)", forged=True
            )
        expires = datetime.fromtimestamp(int(exp_hex, 16), UTC)
        if (now or datetime.now(UTC)) >= expires:
            raise TokenError(
                f"the reply address expired on {expires:%Y-%m-%d}; answer in netmsg instead "
                "or reply to a newer notification",
                forged=False,
            )
        return ReplyToken(int(user_hex, 16), int(conv_hex, 16), expires, match.group(0))

    def find_candidates(self, recipients: list[str], references: list[str]) -> list[str]:
        """Token texts in reply addresses of our domain (first), then in References ids."""
        found: list[str] = []
        for address in recipients:
            local, _, domain = address.strip().strip("<>").lower().rpartition("@")
            if domain == self.reply_domain and local.startswith(ADDRESS_PREFIX):
                found.append(local[len(ADDRESS_PREFIX) :])
        for ref in references:
            local, _, domain = ref.strip().strip("<>").lower().rpartition("@")
            if domain == self.reply_domain and local.startswith(REFERENCE_PREFIX):
                found.append(local[len(REFERENCE_PREFIX) :])
        return list(dict.fromkeys(found))
