"""Where request time went (waiting, connecting, TLS), as every report shows it."""

from __future__ import annotations

from loadscout.metrics.summary import LatencySummary, Totals

_PHASES = (
    ("waiting (TTFB)", "ttfb_ms"),
    ("connecting (TCP)", "connect_ms"),
    ("TLS handshake", "tls_ms"),
)


def phases(totals: Totals) -> list[tuple[str, LatencySummary]]:
    """The phases the HTTP client measured in this run; TLS only for https targets."""
    found = ((label, getattr(totals, field)) for label, field in _PHASES)
    return [(label, summary) for label, summary in found if summary is not None]
