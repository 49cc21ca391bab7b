"""Passwords never leave memory: flows written to disk or stored carry references instead.

A secret column of ``user_data`` (its name contains pass, pwd, secret or token) is written as
``${secret.COLUMN}``; the values of ``setup_cookies`` (a storage state's logged-in session) are
secrets too. This module decides what is secret and redacts it; filling the references again
before a run reads files and the environment, so it lives in :mod:`loadscout.files.credentials`.
"""

from __future__ import annotations

import re

from loadscout.flows.model import FlowSet

_SECRET_COLUMN = re.compile(r"pass|pwd|secret|token", re.I)
PASSWORD_COLUMN = re.compile(r"pass|pwd", re.I)  # what --password fills
REFERENCE = re.compile(r"^\$\{secret\.([A-Za-z0-9_]+)\}$")
STORAGE_STATE_REFERENCE = "${secret.storage_state}"


def is_secret_column(name: str) -> bool:
    return bool(_SECRET_COLUMN.search(name))


def secret_reference(column: str) -> str:
    return "${secret." + re.sub(r"[^A-Za-z0-9_]", "_", column) + "}"


def redact_secrets(flowset: FlowSet) -> FlowSet:
    """``flowset`` with every secret cell of ``user_data`` replaced by its reference: what
    may be written to a file, stored in the database or returned by the API."""
    rows = [
        {k: secret_reference(k) if is_secret_column(k) else v for k, v in row.items()}
        for row in flowset.user_data
    ]
    cookies = [
        c.model_copy(update={"value": STORAGE_STATE_REFERENCE}) for c in flowset.setup_cookies
    ]
    if rows == flowset.user_data and cookies == flowset.setup_cookies:
        return flowset
    return flowset.model_copy(update={"user_data": rows, "setup_cookies": cookies})


def needed_secrets(flowset: FlowSet) -> list[str]:
    """The columns whose cells are secret references still to resolve."""
    return sorted(
        {col for row in flowset.user_data for col, v in row.items() if REFERENCE.match(v)}
    )
