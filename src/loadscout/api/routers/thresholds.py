"""/api/v1/thresholds/check: read pass/fail criteria the way a run will, one answer per line.

The dashboard's threshold rows are checked here as they are typed, so the browser has no copy of
the grammar in plan/thresholds.py to drift from it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from loadscout.plan.thresholds import parse_threshold

router = APIRouter(prefix="/thresholds", tags=["thresholds"])


class ThresholdTexts(BaseModel):
    expressions: list[Annotated[str, Field(max_length=500)]] = Field(
        max_length=200, description="Criteria such as p95<500ms, as typed (blank lines are fine)"
    )


class ThresholdCheck(BaseModel):
    expression: str
    ok: bool
    error: str | None = Field(None, description="Why the expression cannot be read, if it cannot")


class ThresholdChecks(BaseModel):
    data: list[ThresholdCheck] = Field(description="One answer per expression, in the same order")
    count: int


def check(expression: str) -> ThresholdCheck:
    """Blank rows are not criteria: they are skipped when a run is created, so they are ok."""
    if not expression.strip():
        return ThresholdCheck(expression=expression, ok=True)
    try:
        parse_threshold(expression)
    except ValueError as err:
        return ThresholdCheck(expression=expression, ok=False, error=str(err))
    return ThresholdCheck(expression=expression, ok=True)


@router.post("/check", response_model=ThresholdChecks)
async def check_thresholds(
    body: Annotated[
        ThresholdTexts, Body(examples=[{"expressions": ["p95<500ms", "error_rate<1%", "p95"]}])
    ],
) -> ThresholdChecks:
    """Whether each criterion would be accepted by a run, and if not, what is wrong with it."""
    data = [check(expression) for expression in body.expressions]
    return ThresholdChecks(data=data, count=len(data))
