"""``loadscout users`` and ``loadscout tokens``: accounts without a browser (the first admin
on a headless server, a token for CI), straight in the database the server uses."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console

from loadscout.cli.errors import user_errors
from loadscout.errors import BadInput
from loadscout.principals import Role
from loadscout.settings import Settings
from loadscout.store.accounts import AccountRepository
from loadscout.store.audit import AuditLog
from loadscout.store.database import open_database
from loadscout.store.teams import TeamRepository
from loadscout.store.time import utc_now
from loadscout.store.tokens import TokenRepository

users_app = typer.Typer(help="Accounts: create the first admin, add people.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for CI.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise BadInput("no terminal to ask the password on: pass it with --password-stdin")
    first: str = typer.prompt("Password", hide_input=True)
    if typer.prompt("Again", hide_input=True) != first:
        raise BadInput("the two passwords differ")
    return first


@users_app.command("create")
@user_errors
def create_user(
    email: Annotated[str, typer.Option(help="The account's email, used to sign in.")],
    admin: Annotated[bool, typer.Option("--admin", help="An instance admin.")] = False,
    team: Annotated[str, typer.Option(help="The team to join.")] = "default",
    role: Annotated[Role, typer.Option(help="The role in --team.")] = Role.ADMIN,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account (asks for its password) in a team; --admin for the first admin."""
    password = _password(password_stdin)
    asyncio.run(_create_user(Settings(), email, password, admin=admin, team=team, role=role))


async def _create_user(
    settings: Settings, email: str, password: str, *, admin: bool, team: str, role: Role
) -> None:
    async with open_database(settings.database_url) as sessions:
        found = await TeamRepository(sessions).by_name(team)
        if found is None:
            raise BadInput(f"no team named {team!r}")
        user = await AccountRepository(sessions).create_user(
            email, password, is_admin=admin, team_id=found.id, role=role
        )
        await AuditLog(sessions).add(
            "user.create", actor="command line", team_id=found.id, user=user.email, is_admin=admin
        )
    kind = "instance admin" if admin else "account"
    console.print(f"{kind} {user.email} created, {role} of team {team}: sign in at the dashboard")


@tokens_app.command("create")
@user_errors
def create_token(
    name: Annotated[str, typer.Option(help="What the token is for, e.g. github-actions.")],
    team: Annotated[str, typer.Option(help="The team it acts for.")] = "default",
    role: Annotated[Role, typer.Option(help="What it may do.")] = Role.RUNNER,
    expires_days: Annotated[
        float | None, typer.Option(help="Days until it stops working (default: never).", min=0.01)
    ] = None,
) -> None:
    """Create a team's API token and print it once (use it as LOADSCOUT_TOKEN)."""
    token = asyncio.run(_create_token(Settings(), name, team, role, expires_days))
    err_console.print("Store this token now; it is not shown again:")
    print(token)


async def _create_token(
    settings: Settings, name: str, team: str, role: Role, expires_days: float | None
) -> str:
    async with open_database(settings.database_url) as sessions:
        found = await TeamRepository(sessions).by_name(team)
        if found is None:
            raise BadInput(f"no team named {team!r}")
        expires = None if expires_days is None else utc_now() + timedelta(days=expires_days)
        token, record = await TokenRepository(sessions).create(
            team_id=found.id, name=name, role=role, created_by="command line", expires_at=expires
        )
        await AuditLog(sessions).add(
            "token.create", actor="command line", team_id=found.id, token=record.prefix, name=name
        )
    return token
