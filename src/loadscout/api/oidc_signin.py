"""What one sign-in through the provider does to the account: find or make the user by email,
set their roles in the mapped teams from their groups (every sign-in: joined, changed, left),
and their instance admin flag from the admin group when one is configured."""

from __future__ import annotations

from loadscout.api.oidc import Identity, SignInRefused
from loadscout.api.oidc_config import OidcConfig, team_roles
from loadscout.errors import BadInput
from loadscout.principals import Role
from loadscout.store.account_records import UserRecord
from loadscout.store.accounts import AccountRepository
from loadscout.store.audit import AuditLog
from loadscout.store.teams import TeamRepository


async def apply_sign_in(
    identity: Identity,
    config: OidcConfig,
    *,
    accounts: AccountRepository,
    teams: TeamRepository,
    audit: AuditLog,
    ip: str,
) -> UserRecord:
    """The user this identity signs in, their memberships brought up to date."""
    try:
        user = await accounts.sso_user(identity.email)
    except BadInput as err:
        raise SignInRefused(str(err)) from None
    if user.disabled:
        raise SignInRefused(f"the account {user.email} is disabled: ask an admin")
    ids = {name: await _team_id(name, teams, audit, ip) for name in sorted(config.mapped_teams)}
    roles: dict[int, Role] = {
        ids[name]: role for name, role in team_roles(config.grants, identity.groups).items()
    }
    changes = await accounts.sync_memberships(user.id, roles=roles, managed=set(ids.values()))
    if config.admin_group is not None:
        wanted = config.admin_group in identity.groups
        if wanted != user.is_admin:
            await accounts.set_instance_admin(user.id, wanted)
            changes.append("instance admin" if wanted else "no longer instance admin")
    if changes:
        await audit.add("auth.sso_roles", actor=user.email, ip=ip, changes=changes)
    return user


async def _team_id(name: str, teams: TeamRepository, audit: AuditLog, ip: str) -> int:
    """A mapped team's id; a team named in the role map but missing is created."""
    team = await teams.by_name(name)
    if team is None:
        try:
            team = await teams.create(name)
            await audit.add("team.create", actor="sso role map", team_id=team.id, ip=ip)
        except BadInput:  # created meanwhile by a concurrent sign-in
            team = await teams.by_name(name)
    if team is None:
        raise SignInRefused(f"the team {name!r} of the role map could not be created")
    return team.id
