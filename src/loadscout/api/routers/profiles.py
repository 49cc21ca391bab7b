"""/api/v1/profiles/preview: the new-run form's load profile, read by the server's own rules.

The dashboard sends what the user typed (durations as text: ``30s``, ``2m``, ``1h30m``); the
answer is what is wrong, per field, or the RunCreate values to send and the planned curve to
draw. So the browser has no second duration grammar or profile arithmetic to drift.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field, ValidationError

from loadscout.api.routers.shapes import ShapePoint, corner_points
from loadscout.plan.durations import parse_duration
from loadscout.plan.options import LoadOptions, make_plan

router = APIRouter(prefix="/profiles", tags=["shapes"])

_TEXT = Field(default="", max_length=64)


class StageText(BaseModel):
    duration: str = _TEXT
    target: str = _TEXT


class ProfileText(BaseModel):
    """The load card's fields as typed; only those of ``kind`` are read."""

    kind: Literal["constant", "stages", "arrival"]
    users: str = _TEXT
    duration: str = _TEXT
    ramp_up: str = _TEXT
    stages: list[StageText] = Field(default_factory=list, max_length=200)
    arrival_rate: str = _TEXT
    max_users: str = _TEXT


class ProfileFields(BaseModel):
    """The RunCreate fields this profile becomes."""

    users: int
    duration_s: float
    ramp_up_s: float
    stages: str | None = None
    arrival_rate: str | None = None
    max_users: int | None = None


class ProfilePreview(BaseModel):
    errors: dict[str, str] = Field(
        description="Field ('duration', 'stages.2.target', 'profile' for the whole) -> what is "
        "wrong; empty when the profile is fine"
    )
    fields: ProfileFields | None = Field(description="What to send; null while errors remain")
    unit: Literal["users", "rate"] = "users"
    peak: float = 0.0
    duration_s: float = 0.0
    points: list[ShapePoint] = Field(default_factory=list)


class _Reader:
    """Collects every problem at once, like the API's own validation."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def seconds(self, field: str, text: str, *, label: str) -> float:
        try:
            value = parse_duration(text) if text.strip() else None
        except ValueError:
            value = None
        if value is None:
            self.errors[field] = f"Enter {label} like 30s, 2m or 1h30m"
            return 0.0
        return value

    def whole(self, field: str, text: str, *, label: str, least: int) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            self.errors[field] = f"Enter {label} as a whole number"
            return least
        if value < least:
            self.errors[field] = f"{label.capitalize()} must be at least {least}"
        return value

    def rate(self, field: str, text: str) -> str:
        value = text.strip().removesuffix("/s").strip()
        try:
            ok = float(value) > 0
        except ValueError:
            ok = False
        if not ok:
            self.errors[field] = "Enter the arrival rate as iterations per second, above 0"
        return value


def _fields(body: ProfileText, read: _Reader) -> dict[str, object]:
    if body.kind == "stages":
        if not body.stages:
            read.errors["stages"] = "Add at least one stage"
        rows = [
            (
                read.seconds(f"stages.{i}.duration", row.duration, label="the stage's length"),
                read.whole(f"stages.{i}.target", row.target, label="users", least=0),
            )
            for i, row in enumerate(body.stages)
        ]
        text = ",".join(f"{d:g}s:{t}" for d, t in rows)
        peak = max((t for _, t in rows), default=0)
        return {"users": max(1, peak), "duration_s": sum(d for d, _ in rows), "stages": text}
    duration = read.seconds("duration", body.duration, label="the duration")
    if body.kind == "arrival":
        cap = read.whole("max_users", body.max_users, label="max users", least=1)
        rate = read.rate("arrival_rate", body.arrival_rate)
        return {"users": cap, "duration_s": duration, "arrival_rate": rate, "max_users": cap}
    users = read.whole("users", body.users, label="users", least=1)
    ramp = read.seconds("ramp_up", body.ramp_up, label="the ramp-up") if body.ramp_up else 0.0
    return {"users": users, "duration_s": duration, "ramp_up_s": ramp}


_FIELD_OF = {"duration_s": "duration", "ramp_up_s": "ramp_up"}


@router.post("/preview", response_model=ProfilePreview)
async def preview_profile(
    body: Annotated[
        ProfileText, Body(examples=[{"kind": "constant", "users": "10", "duration": "2m"}])
    ],
) -> ProfilePreview:
    """Read the profile as ``loadscout run`` would; problems come back per field (200)."""
    read = _Reader()
    given = _fields(body, read)
    if read.errors:
        return ProfilePreview(errors=read.errors, fields=None)
    try:
        options = LoadOptions.model_validate(given)
        profile = make_plan(options).profile
    except ValidationError as err:
        first = err.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else "profile"
        where = "stages" if body.kind == "stages" else _FIELD_OF.get(key, key)
        reason = first["msg"].removeprefix("Value error, ")
        return ProfilePreview(errors={where: reason}, fields=None)
    except ValueError as err:
        return ProfilePreview(errors={"profile": str(err).splitlines()[0]}, fields=None)
    points = corner_points(profile)
    fields = ProfileFields.model_validate({"ramp_up_s": 0.0, **given})
    return ProfilePreview(
        errors={},
        fields=fields,  # what the form sends: the same text `loadscout run` would read
        unit="rate" if profile.is_open else "users",
        peak=max((v for _, v in points), default=0.0),
        duration_s=points[-1][0] if points else 0.0,
        points=[ShapePoint(t=t, value=v) for t, v in points],
    )
