"""A team's API tokens for CI: created once and shown once, kept as a digest, revocable."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta

from sqlalchemy import select, update

from loadscout.errors import BadInput
from loadscout.principals import Principal, Role
from loadscout.store.account_records import TokenRecord
from loadscout.store.database import write_session
from loadscout.store.repository import Repository
from loadscout.store.secrets import TOKEN_PREFIX, digest, new_api_token, shown_prefix
from loadscout.store.tables import ApiTokenRow

# Writing "last used" on every request would make each API call a write; once a minute is
# precise enough to tell a live token from a forgotten one.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenRepository(Repository):
    async def create(
        self,
        *,
        team_id: int,
        name: str,
        role: Role,
        created_by: str,
        expires_at: datetime | None = None,
    ) -> tuple[str, TokenRecord]:
        """The token itself (shown once, never again) and its record."""
        name = name.strip()
        if not name or len(name) > 100:
            raise BadInput("a token's name must have 1 to 100 characters")
        if expires_at is not None and expires_at <= self._clock():
            raise BadInput("a token's expiry must be in the future")
        token = new_api_token()
        async with write_session(self._sessions) as session:
            row = ApiTokenRow(
                team_id=team_id,
                name=name,
                prefix=shown_prefix(token),
                secret_hash=digest(token),
                role=role,
                created_by=created_by,
                created_at=self._clock(),
                expires_at=expires_at,
            )
            session.add(row)
            await session.flush()
            return token, _token(row)

    async def list(self, team_id: int) -> builtins.list[TokenRecord]:
        query = select(ApiTokenRow).where(ApiTokenRow.team_id == team_id).order_by("id")
        async with self._sessions() as session:
            return [_token(r) for r in await session.scalars(query)]

    async def revoke(self, team_id: int, token_id: int) -> TokenRecord | None:
        """None when the team has no such token."""
        async with write_session(self._sessions) as session:
            row = await session.get(ApiTokenRow, token_id)
            if row is None or row.team_id != team_id:
                return None
            if row.revoked_at is None:
                row.revoked_at = self._clock()
            return _token(row)

    async def principal(self, token: str) -> Principal | None:
        """Who the token acts as; None when unknown, revoked or expired."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        now = self._clock()
        async with self._sessions() as session:
            row = await session.scalar(
                select(ApiTokenRow).where(ApiTokenRow.secret_hash == digest(token))
            )
        if row is None or row.revoked_at is not None:
            return None
        if row.expires_at is not None and row.expires_at <= now:
            return None
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
            async with write_session(self._sessions) as session:
                await session.execute(
                    update(ApiTokenRow).where(ApiTokenRow.id == row.id).values(last_used_at=now)
                )
        return Principal(
            via="token",
            team_id=row.team_id,
            role=Role(row.role),
            label=f"token {row.prefix}… ({row.name})",
            token_id=row.id,
        )


def _token(row: ApiTokenRow) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        team_id=row.team_id,
        name=row.name,
        prefix=row.prefix,
        role=Role(row.role),
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
