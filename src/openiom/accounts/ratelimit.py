"""Fixed-window rate limits counted in Django's cache.

The counter for a key lives in the cache for one window (a minute by default). With several
worker processes the cache must be shared (the database cache: OPENIOM_CACHE=database), or
each process counts on its own and the real limit is the setting times the processes.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache


class RateLimitedError(Exception):
    """Too many requests for the key in the current window. `retry_after` is in whole seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many requests; retry after {retry_after} seconds")
        self.retry_after = retry_after


def hit(key: str, *, limit: int, period: int = 60) -> int:
    """Count one request for `key`; raise RateLimitedError once more than `limit` fall in the window.

    Returns the count so far in the window. The key must not hold personal data (use ids or hashes).
    """
    now = time.time()
    window = int(now // period)
    cache_key = f"openiom:rate:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=period + 1)
            count = 1
    if count > limit:
        raise RateLimitedError(retry_after=max(1, math.ceil((window + 1) * period - now)))
    return count
