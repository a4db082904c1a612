"""Token buckets: bursts allowed, a sustained rate bounded; and refusals logged one line a
second per kind (`OneLine`).

One bucket per device (about a note a second sustained) and one per address, generous
because a whole room may share one NAT address.
"""

from __future__ import annotations

import collections
import logging
import time
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    burst: float
    per_second: float
    max_keys: int = 100_000
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def allow(self, key: str, now: float | None = None) -> bool:
        """Take one token for `key`; False (and nothing taken) when there is none."""
        bucket = self._refilled(key, now)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def exhausted(self, key: str, now: float | None = None) -> bool:
        """Whether `key` is throttled right now, taking nothing."""
        if key not in self._buckets:
            return False
        return self._refilled(key, now).tokens < 1

    def used(self, key: str, now: float | None = None) -> bool:
        """Whether `key` has taken anything that has not refilled yet."""
        if key not in self._buckets:
            return False
        return self._refilled(key, now).tokens < self.burst

    def _refilled(self, key: str, now: float | None) -> _Bucket:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        return bucket

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: they hold no information."""
        refill = self.burst / self.per_second
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill}


class OneLine:
    """Log a refusal as one line, at most once a second per kind, saying how many more."""

    def __init__(self, logger: logging.Logger):
        self._log = logger
        self._last: dict[str, float] = {}
        self._skipped: collections.Counter[str] = collections.Counter()

    def __call__(self, kind: str, message: str) -> None:
        now = time.monotonic()
        if now - self._last.get(kind, 0.0) < 1.0:
            self._skipped[kind] += 1
            return
        self._last[kind] = now
        more = self._skipped.pop(kind, 0)
        self._log.warning("%s%s", message, f" (and {more} more like it)" if more else "")
