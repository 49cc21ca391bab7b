"""Password hashing: argon2id through pwdlib, with a dummy verification for unknown accounts
so that a wrong email and a wrong password cost the same time."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024


@cache
def _hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


@cache
def _dummy_hash() -> str:
    return _hasher().hash("loadscout dummy password, never anyone's")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    """True when ``password`` matches; an account without a hash (or none at all: pass None)
    is checked against a dummy hash, so the answer takes as long as a real one."""
    if hashed is None:
        _hasher().verify(password, _dummy_hash())
        return False
    return _hasher().verify(password, hashed)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password must have at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"the password must have at most {MAX_PASSWORD_CHARS} characters"
    return None
