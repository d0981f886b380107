"""A token-bucket rate limit per API token, kept in this process's memory.

Several server processes over one database each apply the limit on their own: the bound a client
sees is the per-process limit times the number of processes behind the balancer. That is
documented and accepted; it keeps the server stateless beyond the store.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """``rate`` requests per second on average, bursts up to ``burst``. ``rate <= 0``: no limit."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._buckets: dict[int, _Bucket] = {}

    def retry_after(self, key: int) -> int:
        """0 when the request may go ahead (and is counted), else seconds to wait."""
        if self.rate <= 0:
            return 0
        now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0
        if len(self._buckets) > 100_000:  # forget idle buckets now and then
            self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < 60}
        return max(1, math.ceil((1 - bucket.tokens) / self.rate))
