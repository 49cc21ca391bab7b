"""The load options users set (:class:`LoadOptions`), and the profiles read from the short text
forms they type (``--stages 30s:10,1m:50``, ``--arrival-rate 100``) and from a shape file, so
the CLI, the API and the flows file share one reading of them."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from loadscout.plan.durations import parse_duration, parse_number
from loadscout.plan.profiles import (
    MAX_DURATION_S,
    MAX_USERS,
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
_THINK = ThinkTime()
MAX_SCOPE_CHARS = 2_000  # a scope regex is a few hosts; megabytes of it would stall the server
STAGES_HINT = "write stages as DURATION:TARGET pairs, e.g. 30s:10,1m:50,30s:0"


def parse_stages(text: str) -> list[Stage]:
    """``30s:10,1m:50`` to stages; ValueError with a hint on anything else."""
    stages = []
    for part in text.split(","):
        duration, sep, target = part.strip().partition(":")
        if not sep:
            raise ValueError(f"cannot read stage {part.strip()!r}; {STAGES_HINT}")
        try:
            stages.append(
                Stage(duration_s=parse_duration(duration), target=parse_number(target, "target"))
            )
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
            rate = parse_number(plain, "arrival rate")
        except ValueError as err:
            raise ValueError(
                f"{err}; give iterations per second like 100, or stages of rates ({STAGES_HINT})"
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
    given = [
        n
        for n, v in (("stages", stages), ("arrival rate", arrival_rate), ("shape", shape))
        if v is not None
    ]
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
        {"duration_s": parse_duration(row["duration"]), "target": parse_number(row[column], column)}
        for row in rows
    ]
    kind = "stages" if column == "users" else "ramping_rate"
    return {"kind": kind, "stages": stages}


class LoadOptions(BaseModel):
    """The load a user asks for: profile, think time, thresholds, engine. The CLI, the API and
    a flows file's ``load:`` section all give these; each default lives here only.

    ``model_fields_set`` is what the user actually gave, so :meth:`over` can let explicit
    values win over a flows file's while defaults never do.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    users: int = Field(default=10, gt=0, le=MAX_USERS, description="Concurrent virtual users")
    duration_s: float = Field(
        default=60.0, gt=0, le=MAX_DURATION_S, description="Load phase length"
    )
    ramp_up_s: float = Field(default=0.0, ge=0, description="Users start linearly over this time")
    stages: str | None = Field(default=None, description="Ramping users, e.g. 30s:10,1m:50,30s:0")
    arrival_rate: str | None = Field(
        default=None, description="Open model: iterations/s (100) or rate stages (30s:100,1m:100)"
    )
    max_users: int | None = Field(default=None, gt=0, le=MAX_USERS, description="Open model cap")
    shape: dict[str, Any] | None = Field(
        default=None, description="A profile object (kind: stages|spike|constant_rate|...)"
    )
    think_time_min_s: float = Field(default=_THINK.min_s, ge=0)
    think_time_max_s: float = Field(default=_THINK.max_s, ge=0)
    think_time_distribution: Literal["uniform", "exponential"] = _THINK.distribution
    think_time_recorded: bool = Field(
        default=_THINK.recorded, description="Use steps' recorded think time"
    )
    pacing_s: float = Field(default=0.0, ge=0, description="Least time per iteration")
    thresholds: list[str] = Field(default_factory=list, description="e.g. p95<500ms, rps>100")
    abort_on_fail: bool = Field(default=False, description="Stop when a threshold fails")
    workers: int | None = Field(
        default=None, ge=1, le=256, description="Load processes; default one per core"
    )
    fetch_assets: bool = Field(default=False, description="Fetch page assets (per-user cache)")
    request_timeout_s: float = Field(default=30.0, gt=0, description="Per request")
    body_kept_kb: int = Field(
        default=1024,
        ge=1,
        le=1024 * 1024,
        description="KiB of each response kept for checks and extractors; the rest is read, "
        "timed and dropped",
    )
    resend_dropped: bool = Field(
        default=True,
        description="Send a GET/HEAD/PUT/DELETE/OPTIONS again once when its kept-alive "
        "connection dropped before any answer, as browsers do (each attempt is counted)",
    )
    scope: str | None = Field(
        default=None,
        max_length=MAX_SCOPE_CHARS,
        description="Regex of extra URLs discovery may visit and assets come from",
    )

    def over(self, base: LoadOptions | None) -> LoadOptions:
        """These options on top of ``base`` (a flows file's ``load:``): a value given here
        wins, else one given in ``base``, else the default."""
        if base is None:
            return self
        given = {
            **base.model_dump(include=base.model_fields_set),
            **self.model_dump(include=self.model_fields_set),
        }
        return LoadOptions.model_validate(given)


def make_plan(options: LoadOptions) -> LoadPlan:
    """The LoadPlan these options describe.

    ``workers`` None means one process per core, never more than there are users.
    """
    profile = build_profile(
        users=options.users,
        duration_s=options.duration_s,
        ramp_up_s=options.ramp_up_s,
        stages=options.stages,
        arrival_rate=options.arrival_rate,
        max_users=options.max_users,
        shape=options.shape,
    )
    workers = options.workers
    if workers is None:
        workers = min(os.cpu_count() or 1, profile.users)
    think = ThinkTime(
        min_s=options.think_time_min_s,
        max_s=options.think_time_max_s,
        distribution=options.think_time_distribution,
        recorded=options.think_time_recorded,
    )
    return LoadPlan(
        profile=profile,
        think_time=think,
        request_timeout_s=options.request_timeout_s,
        body_kept_kb=options.body_kept_kb,
        resend_dropped=options.resend_dropped,
        workers=workers,
        pacing_s=options.pacing_s,
        thresholds=list(options.thresholds),
        abort_on_fail=options.abort_on_fail,
        fetch_assets=options.fetch_assets,
        scope=options.scope,
    )
