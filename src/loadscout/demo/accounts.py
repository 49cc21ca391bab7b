"""Who may log in: two named users, and ``userN``/``passwordN`` for load tests."""

from __future__ import annotations

import re
import secrets

_NAMED = {"alice": "wonderland", "bob": "builder"}
_NUMBERED = re.compile(r"user([0-9]{1,9})")


def expected_password(username: str) -> str | None:
    """The password of ``username``, or None when no such account exists."""
    if username in _NAMED:
        return _NAMED[username]
    match = _NUMBERED.fullmatch(username)
    return f"password{match.group(1)}" if match else None


def check_credentials(username: str, password: str, *, deleted: set[str]) -> bool:
    """True when the pair is valid and the account was not deleted in this shop's lifetime."""
    expected = expected_password(username)
    if expected is None or username in deleted:
        return False
    return secrets.compare_digest(password.encode(), expected.encode())
