"""Teams, their members and their quotas."""

from __future__ import annotations

import builtins

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from loadscout.errors import BadInput
from loadscout.principals import Role
from loadscout.store.account_records import MemberRecord, Quotas, TeamRecord
from loadscout.store.database import write_session
from loadscout.store.repository import Repository
from loadscout.store.tables import MembershipRow, TeamRow, UserRow


class TeamRepository(Repository):
    async def create(self, name: str, quotas: Quotas | None = None) -> TeamRecord:
        name = name.strip()
        if not name or len(name) > 100:
            raise BadInput("a team's name must have 1 to 100 characters")
        try:
            async with write_session(self._sessions) as session:
                row = TeamRow(
                    name=name, created_at=self._clock(), **(quotas or Quotas()).model_dump()
                )
                session.add(row)
                await session.flush()
                return team_record(row)
        except IntegrityError:
            raise BadInput(f"a team named {name!r} already exists") from None

    async def get(self, team_id: int) -> TeamRecord | None:
        async with self._sessions() as session:
            row = await session.get(TeamRow, team_id)
            return None if row is None else team_record(row)

    async def by_name(self, name: str) -> TeamRecord | None:
        async with self._sessions() as session:
            row = await session.scalar(select(TeamRow).where(TeamRow.name == name))
            return None if row is None else team_record(row)

    async def list(self) -> builtins.list[TeamRecord]:
        async with self._sessions() as session:
            return [team_record(r) for r in await session.scalars(select(TeamRow).order_by("id"))]

    async def set_quotas(self, team_id: int, quotas: Quotas) -> TeamRecord | None:
        async with write_session(self._sessions) as session:
            row = await session.get(TeamRow, team_id)
            if row is None:
                return None
            for key, value in quotas.model_dump().items():
                setattr(row, key, value)
            return team_record(row)

    async def members(self, team_id: int) -> builtins.list[MemberRecord]:
        query = (
            select(MembershipRow.user_id, UserRow.email, MembershipRow.role)
            .join(UserRow, UserRow.id == MembershipRow.user_id)
            .where(MembershipRow.team_id == team_id)
            .order_by(UserRow.email)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [MemberRecord(team_id=team_id, user_id=u, email=e, role=Role(r)) for u, e, r in rows]

    async def set_member(self, team_id: int, user_id: int, role: Role) -> MemberRecord:
        """Add the user to the team, or change the role they hold there."""
        async with write_session(self._sessions) as session:
            row = await session.scalar(
                select(MembershipRow).where(
                    MembershipRow.team_id == team_id, MembershipRow.user_id == user_id
                )
            )
            if row is None:
                session.add(MembershipRow(team_id=team_id, user_id=user_id, role=role))
            else:
                row.role = role
            email = await session.scalar(select(UserRow.email).where(UserRow.id == user_id))
        return MemberRecord(team_id=team_id, user_id=user_id, email=email or "", role=role)

    async def remove_member(self, team_id: int, user_id: int) -> bool:
        async with write_session(self._sessions) as session:
            result = await session.execute(
                delete(MembershipRow).where(
                    MembershipRow.team_id == team_id, MembershipRow.user_id == user_id
                )
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def admins_left(self, team_id: int, without: int) -> int:
        """How many admins the team keeps if ``without`` leaves or loses the role."""
        return sum(
            1 for m in await self.members(team_id) if m.role is Role.ADMIN and m.user_id != without
        )


def team_record(row: TeamRow) -> TeamRecord:
    return TeamRecord(
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        quotas=Quotas(
            max_concurrent_runs=row.max_concurrent_runs,
            max_users_per_run=row.max_users_per_run,
            max_duration_s=row.max_duration_s,
            max_runs_per_day=row.max_runs_per_day,
        ),
    )
