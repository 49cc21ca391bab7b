"""Which part of a run (a worker process, a node) takes which user or arrival.

Items 1, 2, 3, … (users by number, arrivals in time order) are dealt to parts in proportion to
their weights (a node's CPUs), and evenly at every prefix, as k6's execution segments stripe
them: whatever the total, the parts' shares differ from their exact proportions by less than
one item and always sum to the total. A ramp from 0 to N users thus grows every part at once,
and a part's users are a fixed set however the total moves. Equal weights deal round-robin.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence


class Striping:
    """Items dealt to ``len(weights)`` parts; part ``p`` takes ``weights[p]`` of every
    ``sum(weights)`` items, spread by smooth weighted round-robin."""

    def __init__(self, weights: Sequence[int]) -> None:
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValueError(f"weights must be non-negative and not all 0, got {list(weights)}")
        self.weights = tuple(weights)
        self.period = _period(self.weights)  # the owner of each item of one period
        self._taken = [
            [i for i, owner in enumerate(self.period) if owner == part]
            for part in range(len(weights))
        ]

    @classmethod
    def even(cls, parts: int) -> Striping:
        return cls([1] * parts)

    def share(self, total: int, part: int) -> int:
        """How many of items 1..``total`` fall to ``part``."""
        rounds, rest = divmod(max(0, total), len(self.period))
        return rounds * self.weights[part] + bisect.bisect_left(self._taken[part], rest)

    def owner(self, item: int) -> int:
        """The part that takes item ``item`` (1-based)."""
        return self.period[(item - 1) % len(self.period)]

    def item(self, part: int, index: int) -> int:
        """The run-wide number (1-based) of ``part``'s ``index``-th item (0-based)."""
        taken = self._taken[part]
        rounds, k = divmod(index, len(taken))
        return rounds * len(self.period) + taken[k] + 1


def _period(weights: tuple[int, ...]) -> tuple[int, ...]:
    """One period of smooth weighted round-robin (as nginx balances upstreams): each item goes
    to the part furthest behind its proportion, the first such on a tie."""
    total = sum(weights)
    current = [0] * len(weights)
    owners = []
    for _ in range(total):
        current = [c + w for c, w in zip(current, weights, strict=True)]
        best = max(range(len(weights)), key=lambda p: (current[p], -p))
        current[best] -= total
        owners.append(best)
    return tuple(owners)
