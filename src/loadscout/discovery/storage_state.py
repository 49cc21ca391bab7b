"""A Playwright storage-state file as a replay set-up: the target origin's cookies.

With ``--storage-state`` and no login to record, the only way flows replay logged in is to
start every virtual user with (its own copy of) the same cookies — one server session shared
by all users, which :data:`SHARED_SESSION` warns about.
"""

from __future__ import annotations

SHARED_SESSION = (
    "--storage-state without a login: every virtual user starts with the same cookies and so "
    "shares one server session; give --login-url with --credentials so each logs in as its own"
)
