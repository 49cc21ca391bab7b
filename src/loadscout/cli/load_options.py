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


def _default(name: str) -> Any:
    """A LoadOptions default, so ``--help`` shows the same value the API and the form use."""
    return LoadOptions.model_fields[name].default


_THINK_DEFAULT = f"{_default('think_time_min_s'):g}s-{_default('think_time_max_s'):g}s"
Users = Annotated[
    int | None, typer.Option(help=f"Concurrent virtual users (default: {_default('users')}).")
]
Duration = Annotated[
    str | None,
    typer.Option(help=f"Load phase length, e.g. 60s or 5m (default: {_default('duration_s'):g}s)."),
]
RampUp = Annotated[
    str | None,
    typer.Option(
        help=f"Start users linearly over this time (default: {_default('ramp_up_s'):g}s)."
    ),
]
ThinkTimeOpt = Annotated[
    str | None,
    typer.Option(
        "--think-time",
        help="Pause between steps: 0 (off, recorded ones too), 2s, 0.5s-1.5s (uniform), "
        f"exp:1s (exponential, mean 1s) (default: recorded, else {_THINK_DEFAULT}).",
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
    int | None, typer.Option(help="Load generator processes (default: one per core).", min=1)
]
RayAddress = Annotated[
    str | None,
    typer.Option(
        help="Run on a Ray cluster: auto (this machine is in it), HOST:PORT, or "
        "ray://HOST:10001 (Ray Client); needs pip install 'loadscout[ray]' (docs/cluster.md)."
    ),
]
RayNodes = Annotated[
    int | None,
    typer.Option(help="With --ray-address: use this many nodes (default: all).", min=1),
]
AllowPartial = Annotated[
    bool,
    typer.Option(
        help="A run that lost a load process or node exits by its thresholds, not with 4."
    ),
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
    given = {
        "users": users,
        "stages": stages,
        "arrival_rate": arrival_rate,
        "max_users": max_users,
        "workers": workers,
        "scope": scope,
        "abort_on_fail": abort_on_fail or None,
        "fetch_assets": assets or None,
    }
    fields: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    fields.update(_duration_fields(duration=duration, ramp_up=ramp_up, pacing=pacing))
    if think is not None:
        fields.update(_think_fields(think))
    if shape is not None:
        fields["shape"] = _shape(shape)
    if thresholds:
        fields["thresholds"] = _checked_thresholds(thresholds)
    return LoadOptions.model_validate(fields)


def _duration_fields(
    *, duration: str | None, ramp_up: str | None, pacing: str | None
) -> dict[str, float]:
    flags = [
        ("duration_s", duration, "--duration"),
        ("ramp_up_s", ramp_up, "--ramp-up"),
        ("pacing_s", pacing, "--pacing"),
    ]
    return {key: seconds(text, flag) for key, text, flag in flags if text is not None}


def _shape(path: Path) -> dict[str, Any]:
    try:
        return load_shape(path)
    except (OSError, ValueError) as err:
        raise BadInput(f"--shape {path}: {err}") from None


def _checked_thresholds(thresholds: list[str]) -> list[str]:
    for text in thresholds:
        try:
            parse_threshold(text)
        except ValueError as err:
            raise BadInput(f"--threshold: {err}") from None
    return list(thresholds)


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
