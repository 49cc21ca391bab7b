"""Users and their signed-in sessions.

A session's cookie value is never stored: only its SHA-256 (``store.secrets``), so neither
the database nor a log of it signs anybody in. Revoking is immediate: every request looks the
session up again.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from loadscout.errors import BadInput
from loadscout.principals import Principal, Role
from loadscout.store.account_records import TeamRole, UserRecord
from loadscout.store.database import write_session
from loadscout.store.passwords import hash_password, password_problem, verify_password
from loadscout.store.repository import Repository
from loadscout.store.secrets import digest, new_session_secret
from loadscout.store.tables import DEFAULT_TEAM_ID, MembershipRow, SessionRow, TeamRow, UserRow

SESSION_TTL = timedelta(days=7)


class AccountExists(BadInput):
    pass


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise BadInput(f"{email!r} is not an email address")
    return email


class AccountRepository(Repository):
    async def count_users(self) -> int:
        async with self._sessions() as session:
            return await session.scalar(select(func.count()).select_from(UserRow)) or 0

    async def create_user(
        self,
        email: str,
        password: str | None,
        *,
        is_admin: bool = False,
        team_id: int | None = DEFAULT_TEAM_ID,
        role: Role = Role.ADMIN,
    ) -> UserRecord:
        """A new user, member of ``team_id`` with ``role`` (no team: pass None)."""
        email = normal_email(email)
        if password is not None and (problem := password_problem(password)):
            raise BadInput(problem)
        hashed = None if password is None else hash_password(password)
        try:
            async with write_session(self._sessions) as session:
                user = UserRow(
                    email=email,
                    password_hash=hashed,
                    is_admin=is_admin,
                    disabled=False,
                    created_at=self._clock(),
                )
                session.add(user)
                await session.flush()
                if team_id is not None:
                    session.add(MembershipRow(team_id=team_id, user_id=user.id, role=role))
                return _user(user)
        except IntegrityError:
            raise AccountExists(f"an account for {email} already exists") from None

    async def set_password(self, user_id: int, password: str) -> None:
        if problem := password_problem(password):
            raise BadInput(problem)
        hashed = hash_password(password)
        async with write_session(self._sessions) as session:
            await session.execute(
                update(UserRow).where(UserRow.id == user_id).values(password_hash=hashed)
            )

    async def authenticate(self, email: str, password: str) -> UserRecord | None:
        """The user whose password this is; None otherwise, after the same work either way."""
        try:
            email = normal_email(email)
        except BadInput:
            email = ""
        async with self._sessions() as session:
            user = await session.scalar(select(UserRow).where(UserRow.email == email))
        hashed = None if user is None or user.disabled else user.password_hash
        if not verify_password(password, hashed) or user is None:
            return None
        return _user(user)

    async def user_by_email(self, email: str) -> UserRecord | None:
        async with self._sessions() as session:
            user = await session.scalar(select(UserRow).where(UserRow.email == normal_email(email)))
            return None if user is None else _user(user)

    async def sso_user(self, email: str) -> UserRecord:
        """The user with this email, made (with no password and in no team) on first sign-in
        through single sign-on."""
        email = normal_email(email)
        for _ in range(2):  # a concurrent first sign-in may create it between look and insert
            found = await self.user_by_email(email)
            if found is not None:
                return found
            try:
                return await self.create_user(email, None, team_id=None)
            except AccountExists:
                continue
        raise BadInput(f"the account for {email} could not be created: try again")

    async def set_instance_admin(self, user_id: int, is_admin: bool) -> None:
        async with write_session(self._sessions) as session:
            await session.execute(
                update(UserRow).where(UserRow.id == user_id).values(is_admin=is_admin)
            )

    async def sync_memberships(
        self, user_id: int, *, roles: dict[int, Role], managed: set[int]
    ) -> list[str]:
        """Make the user's membership in each ``managed`` team what ``roles`` says (absent:
        not a member); other teams stay as they are. Returns what changed, for the audit."""
        changes: list[str] = []
        async with write_session(self._sessions) as session:
            rows = await session.scalars(
                select(MembershipRow).where(
                    MembershipRow.user_id == user_id, MembershipRow.team_id.in_(managed)
                )
            )
            held = {row.team_id: row for row in rows}
            for team_id in sorted(managed):
                row, role = held.get(team_id), roles.get(team_id)
                if row is not None and role is None:
                    await session.delete(row)
                    changes.append(f"team {team_id}: left")
                elif row is None and role is not None:
                    session.add(MembershipRow(team_id=team_id, user_id=user_id, role=role))
                    changes.append(f"team {team_id}: joined as {role}")
                elif row is not None and role is not None and row.role != role:
                    changes.append(f"team {team_id}: {row.role} -> {role}")
                    row.role = role
        return changes

    async def list_users(self) -> list[UserRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(select(UserRow).order_by(UserRow.id))
            return [_user(u) for u in rows]

    async def teams_of(self, user_id: int) -> list[TeamRole]:
        query = (
            select(TeamRow.id, TeamRow.name, MembershipRow.role)
            .join(MembershipRow, MembershipRow.team_id == TeamRow.id)
            .where(MembershipRow.user_id == user_id)
            .order_by(TeamRow.name)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [TeamRole(team_id=t, name=n, role=Role(r)) for t, n, r in rows]

    async def open_session(self, user_id: int) -> str:
        """A new session's secret, for the cookie; only its digest is stored."""
        secret = new_session_secret()
        now = self._clock()
        teams = await self.teams_of(user_id)
        async with write_session(self._sessions) as session:
            session.add(
                SessionRow(
                    secret_hash=digest(secret),
                    user_id=user_id,
                    team_id=teams[0].team_id if teams else None,
                    created_at=now,
                    expires_at=now + SESSION_TTL,
                )
            )
        return secret

    async def session_principal(self, secret: str) -> Principal | None:
        """Who a session cookie signs in, acting in the session's team; None when the session
        is unknown, revoked, expired, or its user disabled or in no team."""
        now = self._clock()
        query = (
            select(SessionRow, UserRow)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(SessionRow.secret_hash == digest(secret))
        )
        async with self._sessions() as session:
            found = (await session.execute(query)).first()
        if found is None:
            return None
        row, user = found
        if row.revoked_at is not None or row.expires_at <= now or user.disabled:
            return None
        teams = {t.team_id: t for t in await self.teams_of(user.id)}
        team = teams.get(row.team_id) if row.team_id is not None else None
        if team is None:
            team = next(iter(teams.values()), None)
        return Principal(
            via="session",
            team_id=team.team_id if team else 0,
            role=team.role if team else Role.VIEWER,
            label=user.email,
            user_id=user.id,
            session_id=row.id,
            is_instance_admin=user.is_admin,
            in_team=team is not None,
        )

    async def switch_team(self, session_id: int, user_id: int, team_id: int) -> bool:
        """Act in another of the user's teams; False when the user is not a member."""
        if team_id not in {t.team_id for t in await self.teams_of(user_id)}:
            return False
        async with write_session(self._sessions) as session:
            await session.execute(
                update(SessionRow).where(SessionRow.id == session_id).values(team_id=team_id)
            )
        return True

    async def revoke_session(self, session_id: int) -> None:
        async with write_session(self._sessions) as session:
            await session.execute(
                update(SessionRow)
                .where(SessionRow.id == session_id, SessionRow.revoked_at.is_(None))
                .values(revoked_at=self._clock())
            )

    async def revoke_sessions_of(self, user_id: int) -> None:
        async with write_session(self._sessions) as session:
            await session.execute(
                update(SessionRow)
                .where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
                .values(revoked_at=self._clock())
            )


def _user(row: UserRow) -> UserRecord:
    return UserRecord(
        id=row.id,
        email=row.email,
        is_admin=row.is_admin,
        disabled=row.disabled,
        created_at=row.created_at,
        has_password=row.password_hash is not None,
    )
