"""Sign-in attempts are limited per client address and per account (moving windows, in
memory: each server process counts its own), so guessing passwords is slowed to a crawl."""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class LoginLimits:
    def __init__(self, *, per_ip: str, per_account: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_ip: RateLimitItem = parse(per_ip)
        self._per_account: RateLimitItem = parse(per_account)

    def attempt(self, ip: str, email: str) -> float | None:
        """Count an attempt; None when allowed, else the seconds to wait before another."""
        checks = ((self._per_ip, "ip", ip), (self._per_account, "account", email.strip().lower()))
        waits = [
            self._wait(item, kind, key)
            for item, kind, key in checks
            if not self._limiter.hit(item, kind, key)
        ]
        return max(waits) if waits else None

    def _wait(self, item: RateLimitItem, kind: str, key: str) -> float:
        reset = self._limiter.get_window_stats(item, kind, key).reset_time
        return max(1.0, math.ceil(reset - time.time()))
