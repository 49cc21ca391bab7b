"""The live numbers of a run as the API shows them."""

from __future__ import annotations

from loadscout.api.schemas import LivePublic
from loadscout.metrics.live import LiveStats


def live_public(stats: LiveStats | None) -> LivePublic | None:
    if stats is None:
        return None
    return LivePublic(
        elapsed_s=stats.elapsed_s,
        active_users=stats.active_users,
        requests=stats.requests,
        errors=stats.errors,
        rps=stats.rps,
        p50_ms=stats.p50_ms,
        p95_ms=stats.p95_ms,
    )
