"""The limits a reverse proxy would otherwise have to add, in one place (see docs/server.md).

Sized so an honest client on a slow link is never cut off: a 10 MiB attachment may take
60 s + 10 MiB / 16 KiB/s = 11 min 40 s (an average of 128 kbit/s), while a client that trickles
a body (one byte every 20 s) or its headers (a line every 10 s) is cut off within a minute, and
idle connections cannot crowd out working ones.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    head_timeout: float = 10.0  # seconds from connecting (or the request's first byte) to its
    # last header line
    body_timeout: float = 60.0  # seconds a body may take, on top of its size at min_body_rate
    min_body_rate: int = 16 * 1024  # bytes per second: the slowest upload still taken
    keep_alive: float = 15.0  # seconds an idle keep-alive connection is kept open
    max_connections: int = 1000  # open connections in all
    max_per_address: int = 100  # open connections from one client address (behind a proxy all
    # clients share its address: raise this to max_connections there)
    grace: float = 5.0  # after the body deadline, before the connection itself is dropped

    def body_seconds(self, size: int) -> float:
        """How long a body of ``size`` bytes may take to arrive."""
        return self.body_timeout + size / self.min_body_rate


DEFAULT_LIMITS = Limits()
