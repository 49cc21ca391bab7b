"""Failed sign-ins are limited per client address and per account (moving windows, in
memory: each server process counts its own). Once either is spent, every attempt, even with
the right password, waits: guessing is slowed to a crawl, and people who sign in right are
never counted."""

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

    def _keys(self, ip: str, email: str) -> list[tuple[RateLimitItem, str, str]]:
        return [(self._per_ip, "ip", ip), (self._per_account, "account", email.strip().lower())]

    def wait(self, ip: str, email: str) -> float | None:
        """None when an attempt may go ahead, else the seconds to wait first."""
        waits = [
            self._wait(item, kind, key)
            for item, kind, key in self._keys(ip, email)
            if not self._limiter.test(item, kind, key)
        ]
        return max(waits) if waits else None

    def failed(self, ip: str, email: str) -> None:
        for item, kind, key in self._keys(ip, email):
            self._limiter.hit(item, kind, key)

    def _wait(self, item: RateLimitItem, kind: str, key: str) -> float:
        reset = self._limiter.get_window_stats(item, kind, key).reset_time
        return max(1.0, math.ceil(reset - time.time()))
