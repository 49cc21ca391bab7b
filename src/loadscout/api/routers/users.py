"""/api/v1/users: accounts, created and listed by instance admins."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from loadscout.api.account_schemas import UserCreate, UserPublic, UsersPublic
from loadscout.api.auth import InstanceAdmin, client_ip
from loadscout.api.deps import AccountsDep, AuditDep
from loadscout.errors import BadInput
from loadscout.store.account_records import UserRecord
from loadscout.store.accounts import AccountExists

router = APIRouter(prefix="/users", tags=["users"])


def _public(user: UserRecord) -> UserPublic:
    return UserPublic(id=user.id, email=user.email, is_admin=user.is_admin, disabled=user.disabled)


@router.get("", response_model=UsersPublic)
async def list_users(_: InstanceAdmin, accounts: AccountsDep) -> UsersPublic:
    users = await accounts.list_users()
    return UsersPublic(data=[_public(u) for u in users], count=len(users))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserPublic)
async def create_user(
    body: UserCreate,
    principal: InstanceAdmin,
    request: Request,
    accounts: AccountsDep,
    audit: AuditDep,
) -> UserPublic:
    """A new account in no team yet; a team admin then adds it with a role."""
    try:
        user = await accounts.create_user(
            body.email, body.password.get_secret_value(), is_admin=body.is_admin, team_id=None
        )
    except AccountExists as err:
        raise HTTPException(status.HTTP_409_CONFLICT, str(err)) from None
    except BadInput as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from None
    await audit.add(
        "user.create",
        actor=principal.label,
        ip=client_ip(request),
        user=user.email,
        is_admin=user.is_admin,
    )
    return _public(user)
