"""The ``run`` command's load options (profile, thresholds, workers) turned into LoadOptions;
only what the user gave is set, so a flows file's ``load:`` section fills the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from loadscout.cli.parsing import seconds, think_time
from loadscout.errors import BadInput
from loadscout.plan.options import LoadOptions, load_shape
from loadscout.plan.thresholds import parse_threshold

Users = Annotated[int | None, typer.Option(help="Concurrent virtual users [default: 10].")]
Duration = Annotated[
    str | None, typer.Option(help="Load phase length, e.g. 60s or 5m [default: 60s].")
]
RampUp = Annotated[str | None, typer.Option(help="Start users linearly over this time.")]
ThinkTimeOpt = Annotated[
    str | None,
    typer.Option(
        "--think-time",
        help="Pause between steps: 0 (off, recorded ones too), 2s, 0.5s-1.5s (uniform), "
        "exp:1s (exponential, mean 1s) [default: recorded, else 0.5s-1.5s].",
    ),
]
Stages = Annotated[
    str | None, typer.Option(help="Ramping users: DURATION:USERS,... e.g. 30s:10,1m:50,30s:0.")
]
ArrivalRate = Annotated[
    str | None,
    typer.Option(help="Open model: iterations per second (100) or rate stages (30s:100,1m:100)."),
]
MaxUsers = Annotated[int | None, typer.Option(help="Open model: most users at once.", min=1)]
Shape = Annotated[
    Path | None, typer.Option(help="Custom load shape: CSV duration,users|rate or a YAML profile.")
]
Thresholds = Annotated[
    list[str] | None,
    typer.Option(
        "--threshold",
        help="Pass/fail criterion, repeatable: p95<500ms, "
        "p99[step=login]<1s, error_rate<1%, rps>100.",
    ),
]
AbortOnFail = Annotated[bool, typer.Option(help="Stop the run as soon as a threshold fails.")]
Workers = Annotated[
    int | None, typer.Option(help="Load generator processes [default: one per core].", min=1)
]
Pacing = Annotated[str | None, typer.Option(help="Least time per iteration, e.g. 5s.")]
Assets = Annotated[
    bool, typer.Option(help="Also fetch page assets (per-user cache) within the target or --scope.")
]


def load_options(
    *,
    users: int | None,
    duration: str | None,
    ramp_up: str | None,
    think: str | None,
    stages: str | None,
    arrival_rate: str | None,
    max_users: int | None,
    shape: Path | None,
    thresholds: list[str] | None,
    abort_on_fail: bool,
    workers: int | None,
    pacing: str | None,
    assets: bool,
    scope: str | None,
) -> LoadOptions:
    """LoadOptions holding the options given (``model_fields_set``); BadInput for anything
    malformed."""
    if users is not None and users <= 0:
        raise BadInput(f"--users must be at least 1 (got {users})")
    fields: dict[str, Any] = {}
    if users is not None:
        fields["users"] = users
    if duration is not None:
        fields["duration_s"] = seconds(duration, "--duration")
    if ramp_up is not None:
        fields["ramp_up_s"] = seconds(ramp_up, "--ramp-up")
    if pacing is not None:
        fields["pacing_s"] = seconds(pacing, "--pacing")
    if think is not None:
        fields.update(_think_fields(think))
    for key, value in (
        ("stages", stages),
        ("arrival_rate", arrival_rate),
        ("max_users", max_users),
        ("workers", workers),
        ("scope", scope),
    ):
        if value is not None:
            fields[key] = value
    if shape is not None:
        try:
            fields["shape"] = load_shape(shape)
        except (OSError, ValueError) as err:
            raise BadInput(f"--shape {shape}: {err}") from None
    for text in thresholds or []:
        try:
            parse_threshold(text)
        except ValueError as err:
            raise BadInput(f"--threshold: {err}") from None
    if thresholds:
        fields["thresholds"] = list(thresholds)
    if abort_on_fail:
        fields["abort_on_fail"] = True
    if assets:
        fields["fetch_assets"] = True
    return LoadOptions.model_validate(fields)


def _think_fields(text: str) -> dict[str, Any]:
    if text.strip().lower().startswith("exp:"):
        mean = seconds(text.strip()[4:], "--think-time")
        return {
            "think_time_min_s": mean,
            "think_time_max_s": mean,
            "think_time_distribution": "exponential",
            "think_time_recorded": False,
        }
    low, high = think_time(text)
    return {"think_time_min_s": low, "think_time_max_s": high, "think_time_recorded": False}
