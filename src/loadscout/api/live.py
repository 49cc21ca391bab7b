"""The live numbers of a run as the API shows them."""

from __future__ import annotations

from loadscout.api.schemas import LivePublic
from loadscout.metrics.live import LiveStats


def live_public(stats: LiveStats | None) -> LivePublic | None:
    if stats is None:
        return None
    return LivePublic.model_validate(stats, from_attributes=True)
