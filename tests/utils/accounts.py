"""Accounts for test servers: an instance admin and an admin API token, made straight in the
database before the server starts (what ``loadscout users create`` / ``tokens create`` do)."""

from __future__ import annotations

import asyncio
import urllib.request
from dataclasses import dataclass

from loadscout.principals import Role
from loadscout.store.accounts import AccountRepository
from loadscout.store.database import open_database
from loadscout.store.tables import DEFAULT_TEAM_ID
from loadscout.store.tokens import TokenRepository

ADMIN_EMAIL = "admin@example.test"
ADMIN_PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Admin:
    email: str
    password: str
    token: str


_made: dict[str, Admin] = {}


def admin_for(database_url: str) -> Admin:
    """The database's test admin and token, made on first use (a restarted server on the
    same database gets the same)."""
    if database_url not in _made:
        _made[database_url] = asyncio.run(_make(database_url))
    return _made[database_url]


async def _make(database_url: str) -> Admin:
    async with open_database(database_url) as sessions:
        accounts = AccountRepository(sessions)
        if await accounts.user_by_email(ADMIN_EMAIL) is None:
            await accounts.create_user(ADMIN_EMAIL, ADMIN_PASSWORD, is_admin=True)
        token, _ = await TokenRepository(sessions).create(
            team_id=DEFAULT_TEAM_ID, name="tests", role=Role.ADMIN, created_by="tests"
        )
    return Admin(ADMIN_EMAIL, ADMIN_PASSWORD, token)


# Test servers' base URLs and their admin tokens: every urllib request a test sends to one of
# them is signed with its token (unless it carries ANONYMOUS), so tests written before accounts
# existed still speak as a signed-in admin.
_TOKENS: dict[str, str] = {}
ANONYMOUS = "X-Test-Anonymous"


class _SignRequests(urllib.request.BaseHandler):
    handler_order = 100

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if req.has_header(ANONYMOUS.capitalize()):
            req.remove_header(ANONYMOUS.capitalize())
            return req
        token = token_for(req.full_url)
        if token and not req.has_header("Authorization"):
            req.add_unredirected_header("Authorization", f"Bearer {token}")
        return req

    https_request = http_request


def token_for(url: str) -> str | None:
    return next((t for base, t in _TOKENS.items() if url.startswith(base + "/")), None)


def sign_requests_to(base: str, token: str) -> None:
    if not _TOKENS:
        urllib.request.install_opener(urllib.request.build_opener(_SignRequests()))
    _TOKENS[base] = token
