"""Where API tokens come from: the ``NETMSG_TOKEN`` environment variable first.

(The keyring and the opt-in 0600 file are added by the remote-store work.)
"""

from __future__ import annotations

import os


def token_for(url: str) -> str | None:
    """The token to use for the server at ``url``, or None when none is known."""
    return os.environ.get("NETMSG_TOKEN") or None
