"""The result JSON's top-level keys as DESIGN.md fixes them; tests check output against it."""

RESULT_KEYS = frozenset(
    {
        "run_id",
        "target_url",
        "status",
        "verdict",
        "started_at",
        "finished_at",
        "duration_s",
        "users",
        "discovery",
        "totals",
        "steps",
        "errors",
        "thresholds",
        "timeseries",
    }
)
