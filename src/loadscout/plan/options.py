"""Profiles from the short text forms users type (``--stages 30s:10,1m:50``,
``--arrival-rate 100``) and from a shape file, so the CLI, the API and the flows file share
one reading of them."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter

from loadscout.plan.durations import parse_duration
from loadscout.plan.profiles import (
    ConstantArrivalRate,
    ConstantUsers,
    LoadPlan,
    Profile,
    RampingArrivalRate,
    RampingUsers,
    Stage,
    ThinkTime,
)

_PROFILE: TypeAdapter[Profile] = TypeAdapter(Profile)
STAGES_HINT = "write stages as DURATION:TARGET pairs, e.g. 30s:10,1m:50,30s:0"


def parse_stages(text: str) -> list[Stage]:
    """``30s:10,1m:50`` to stages; ValueError with a hint on anything else."""
    stages = []
    for part in text.split(","):
        duration, sep, target = part.strip().partition(":")
        if not sep:
            raise ValueError(f"cannot read stage {part.strip()!r}; {STAGES_HINT}")
        try:
            stages.append(Stage(duration_s=parse_duration(duration), target=float(target)))
        except ValueError as err:
            raise ValueError(f"cannot read stage {part.strip()!r} ({err}); {STAGES_HINT}") from None
    if not stages:
        raise ValueError(f"no stages given; {STAGES_HINT}")
    return stages


def arrival_profile(
    text: str, *, duration_s: float, max_users: int
) -> ConstantArrivalRate | RampingArrivalRate:
    """``100`` (iterations/s for the whole duration) or stages of rates ``30s:100,1m:100``."""
    plain = text.strip().removesuffix("/s")
    if ":" not in plain:
        try:
            rate = float(plain)
        except ValueError:
            raise ValueError(
                f"cannot read arrival rate {text!r}; give iterations per second like 100, "
                f"or stages of rates ({STAGES_HINT})"
            ) from None
        return ConstantArrivalRate(rate=rate, duration_s=duration_s, max_users=max_users)
    return RampingArrivalRate(stages=parse_stages(plain), max_users=max_users)


def build_profile(
    *,
    users: int,
    duration_s: float,
    ramp_up_s: float = 0.0,
    stages: str | None = None,
    arrival_rate: str | None = None,
    max_users: int | None = None,
    shape: dict[str, Any] | None = None,
) -> Profile:
    """The one profile these options describe; at most one of stages, arrival rate, shape."""
    given = [n for n, v in (("stages", stages), ("arrival rate", arrival_rate),
                            ("shape", shape)) if v is not None]  # fmt: skip
    if len(given) > 1:
        raise ValueError(f"give only one of {' and '.join(given)}")
    if shape is not None:
        return _PROFILE.validate_python(shape)
    if stages is not None:
        return RampingUsers(stages=parse_stages(stages))
    if arrival_rate is not None:
        return arrival_profile(
            arrival_rate, duration_s=duration_s, max_users=max_users or max(users, 1000)
        )
    return ConstantUsers(users=users, duration_s=duration_s, ramp_up_s=ramp_up_s)


def load_shape(path: Path) -> dict[str, Any]:
    """A custom shape from a file: YAML/JSON holding a profile (``kind: stages``, ...), or a
    CSV with columns ``duration,users`` or ``duration,rate`` (one stage a row)."""
    text = path.read_text(encoding="utf-8")
    return parse_shape(text, is_csv=path.suffix.lower() == ".csv", source=str(path))


def parse_shape(text: str, *, is_csv: bool, source: str = "the shape") -> dict[str, Any]:
    """A shape file's text (CSV or YAML/JSON) as a profile mapping; the dashboard sends the
    text of a pasted or uploaded file here too."""
    if is_csv:
        return _csv_shape(text)
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a mapping with a 'kind' (stages, spike, ...)")
    _PROFILE.validate_python(data)  # fail now, with pydantic's message
    return data


def _csv_shape(text: str) -> dict[str, Any]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not rows[0]:
        raise ValueError("the shape CSV is empty; expected columns duration,users or duration,rate")
    columns = set(rows[0])
    if "duration" not in columns or not columns & {"users", "rate"}:
        raise ValueError("the shape CSV needs columns duration,users or duration,rate")
    column = "users" if "users" in columns else "rate"
    for number, row in enumerate(rows, start=2):
        if not row["duration"] or not row[column]:
            raise ValueError(
                f"line {number} of the shape CSV needs both a duration and a {column} value"
            )
    stages = [
        {"duration_s": parse_duration(row["duration"]), "target": float(row[column])}
        for row in rows
    ]
    kind = "stages" if column == "users" else "ramping_rate"
    return {"kind": kind, "stages": stages}


LOAD_KEYS = frozenset({
    "users", "duration_s", "ramp_up_s", "stages", "arrival_rate", "max_users", "shape",
    "think_time_min_s", "think_time_max_s", "think_time_distribution", "think_time_recorded",
    "pacing_s", "thresholds", "abort_on_fail", "workers", "fetch_assets", "request_timeout_s",
    "scope",
})  # fmt: skip


def make_plan(values: Mapping[str, Any]) -> LoadPlan:
    """A LoadPlan from run options (the keys of LOAD_KEYS; missing ones take defaults).

    ``workers`` None means one process per core, never more than there are users.
    """
    profile = build_profile(
        users=int(values.get("users", 1)),
        duration_s=float(values.get("duration_s", 60.0)),
        ramp_up_s=float(values.get("ramp_up_s", 0.0)),
        stages=values.get("stages"),
        arrival_rate=values.get("arrival_rate"),
        max_users=values.get("max_users"),
        shape=values.get("shape"),
    )
    workers = values.get("workers")
    if workers is None:
        workers = min(os.cpu_count() or 1, profile.users)
    think = ThinkTime(
        min_s=float(values.get("think_time_min_s", 0.5)),
        max_s=float(values.get("think_time_max_s", 1.5)),
        distribution=values.get("think_time_distribution", "uniform"),
        recorded=bool(values.get("think_time_recorded", True)),
    )
    return LoadPlan(
        profile=profile,
        think_time=think,
        request_timeout_s=float(values.get("request_timeout_s", 30.0)),
        workers=int(workers),
        pacing_s=float(values.get("pacing_s", 0.0)),
        thresholds=list(values.get("thresholds") or []),
        abort_on_fail=bool(values.get("abort_on_fail", False)),
        fetch_assets=bool(values.get("fetch_assets", False)),
        scope=values.get("scope"),
    )
