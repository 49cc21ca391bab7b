"""The ``/metrics`` page in the Prometheus text format (0.0.4), written by hand: a few gauges."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from loadscout.metrics.live import LiveStats
from loadscout.status import RunStatus

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _family(name: str, help_text: str, samples: Iterable[tuple[str, float]]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    lines += [f"{name}{labels} {value:g}" for labels, value in samples]
    return lines


def render(by_status: Mapping[RunStatus, int], active: Mapping[int, LiveStats | None]) -> str:
    """Runs by status (all servers, from the database) and the live numbers of the runs
    loading on this server."""
    loading = {run_id: s for run_id, s in active.items() if s is not None}
    lines = _family(
        "loadscout_runs",
        "Runs stored, by status.",
        ((f'{{status="{s}"}}', by_status.get(s, 0)) for s in RunStatus),
    )
    lines += _family("loadscout_active_runs", "Runs executing on this server.", [("", len(active))])
    per_run = (
        ("loadscout_run_requests", "Requests sent so far by each loading run.", "requests"),
        ("loadscout_run_errors", "Errors so far of each loading run.", "errors"),
        ("loadscout_run_rps", "Requests per second of the last second.", "rps"),
        ("loadscout_run_active_users", "Virtual users running now.", "active_users"),
    )
    for name, help_text, attr in per_run:
        samples = ((f'{{run_id="{i}"}}', float(getattr(s, attr))) for i, s in loading.items())
        lines += _family(name, help_text, samples)
    latency = [
        (f'{{run_id="{i}",quantile="{q}"}}', value)
        for i, s in loading.items()
        for q, value in (("0.5", s.p50_ms), ("0.95", s.p95_ms))
        if value is not None  # no response yet: no sample rather than 0 ms
    ]
    lines += _family(
        "loadscout_run_latency_ms", "Latency of each loading run so far, in milliseconds.", latency
    )
    return "\n".join(lines) + "\n"
