"""/api/v1/shapes/preview: read a custom load shape (CSV or YAML text) the way ``--shape`` does.

The dashboard sends a pasted or uploaded shape here, so the browser never has its own parser:
it gets back the profile object to send as ``shape`` and the corner points to draw.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import yaml
from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from loadscout.api.errors import issue, unprocessable
from loadscout.api.schemas import ValidationFailed
from loadscout.plan.options import parse_shape
from loadscout.plan.profiles import (
    ConstantUsers,
    OpenProfile,
    Profile,
    RampingUsers,
    Spike,
)
from loadscout.plan.schedule import Point, ramp_points

router = APIRouter(prefix="/shapes", tags=["shapes"])
_PROFILE: TypeAdapter[Profile] = TypeAdapter(Profile)


class ShapeText(BaseModel):
    text: str = Field(min_length=1, max_length=100_000, description="A shape file's content")
    format: Literal["csv", "yaml"] | None = Field(
        default=None, description="csv (duration,users|rate rows) or yaml; guessed if null"
    )


class ShapePoint(BaseModel):
    t: float
    value: float


class ShapePreview(BaseModel):
    shape: dict[str, Any] = Field(description="The profile object to send as RunCreate.shape")
    kind: str
    unit: Literal["users", "rate"] = Field(description="users (closed) or iterations/s (open)")
    duration_s: float
    peak: float
    users: int = Field(description="Most users at once (the cap, for an arrival rate)")
    points: list[ShapePoint] = Field(description="Corner points of the planned curve")


def looks_like_csv(text: str) -> bool:
    """A CSV shape starts with its header row: ``duration,users`` or ``duration,rate``."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "," in first and first.split(",")[0].strip().lower() == "duration"


def corner_points(profile: Profile) -> list[Point]:
    if isinstance(profile, OpenProfile):
        return profile.rate_points()
    if isinstance(profile, Spike):
        profile = profile.as_stages()
    if isinstance(profile, RampingUsers):
        stages = [(s.duration_s, s.target) for s in profile.stages]
        return ramp_points(profile.start_users, stages)
    assert isinstance(profile, ConstantUsers)
    ramp = profile.ramp_up_s
    start = 0.0 if ramp > 0 else float(profile.users)
    hold = profile.duration_s - ramp
    return ramp_points(start, [(ramp, profile.users), (hold, profile.users)][0 if ramp else 1 :])


def _unreadable(reason: str) -> JSONResponse:
    return unprocessable([issue(["body", "text"], reason, "shape")])


@router.post(
    "/preview",
    response_model=ShapePreview,
    responses={422: {"model": ValidationFailed, "description": "The shape cannot be read"}},
)
async def preview_shape(
    body: Annotated[ShapeText, Body(examples=[{"text": "duration,users\n30s,10\n1m,10\n"}])],
) -> ShapePreview | JSONResponse:
    """Read a custom shape as ``loadscout run --shape`` does; 422 says what is wrong in it."""
    is_csv = body.format == "csv" if body.format else looks_like_csv(body.text)
    try:
        shape = parse_shape(body.text, is_csv=is_csv)
        profile = _PROFILE.validate_python(shape)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:])  # [0] is the profile kind
        reason = first["msg"].removeprefix("Value error, ")
        return _unreadable(f"{where}: {reason}" if where else reason)
    except yaml.YAMLError as err:
        return _unreadable(f"not valid YAML: {str(err).splitlines()[0]}")
    except (ValueError, KeyError) as err:
        return _unreadable(str(err).splitlines()[0] if str(err) else "cannot read the shape")
    points = corner_points(profile)
    return ShapePreview(
        shape=shape,
        kind=profile.kind,
        unit="rate" if profile.is_open else "users",
        duration_s=points[-1][0],
        peak=max(v for _, v in points),
        users=profile.users,
        points=[ShapePoint(t=t, value=v) for t, v in points],
    )
