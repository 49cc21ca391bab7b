"""A team's run quotas, checked and reserved in the transaction that creates the run: twenty
simultaneous creates cannot all see "one slot left"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from loadscout.errors import BadInput
from loadscout.status import FINAL_STATUSES
from loadscout.store.account_records import Quotas
from loadscout.store.tables import TeamRow, TestRun


class QuotaExceeded(BadInput):
    """A team is at one of its run quotas (the API answers 429)."""


def check_size(quotas: Quotas, *, users: int, duration_s: float) -> None:
    """Users per run and duration: known before anything is written."""
    if quotas.max_users_per_run is not None and users > quotas.max_users_per_run:
        raise QuotaExceeded(
            f"{users} users is over your team's quota of {quotas.max_users_per_run} per run"
        )
    if quotas.max_duration_s is not None and duration_s > quotas.max_duration_s:
        raise QuotaExceeded(
            f"a {duration_s:g} s run is over your team's quota of {quotas.max_duration_s:g} s"
        )


async def reserve(session: AsyncSession, team_id: int, quotas: Quotas, now: datetime) -> None:
    """Raise QuotaExceeded when one more run would break a count quota. Call it inside the
    creating write transaction: on SQLite that transaction already holds the write lock; on
    PostgreSQL the team's row is locked here until it commits."""
    if quotas.max_concurrent_runs is None and quotas.max_runs_per_day is None:
        return
    await session.execute(select(TeamRow.id).where(TeamRow.id == team_id).with_for_update())
    mine = TestRun.team_id == team_id
    if (most := quotas.max_concurrent_runs) is not None:
        active = await session.scalar(
            select(func.count()).where(mine, TestRun.status.not_in(list(FINAL_STATUSES)))
        )
        if (active or 0) >= most:
            raise QuotaExceeded(
                f"your team already has {active} runs queued or running, its quota; "
                "wait for one to finish or cancel one"
            )
    if (most := quotas.max_runs_per_day) is not None:
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        today = await session.scalar(select(func.count()).where(mine, TestRun.created_at >= day))
        if (today or 0) >= most:
            raise QuotaExceeded(
                f"your team has started {today} runs today (UTC), its quota of {most} per day"
            )
