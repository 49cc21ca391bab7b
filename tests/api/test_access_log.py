"""The access-log filter: the OIDC callback's query is dropped, other lines stay as they are."""

from __future__ import annotations

import logging

from loadscout.api.access_log import DropSecretQueries


def _line(path: str) -> str:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "x",
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", path, "1.1", 302),
        None,
    )
    assert DropSecretQueries().filter(record)
    return record.getMessage()


def test_the_callbacks_code_and_state_are_not_logged() -> None:
    line = _line("/api/v1/auth/oidc/callback?code=SECRET&state=ALSO")
    assert "SECRET" not in line
    assert "ALSO" not in line
    assert "/api/v1/auth/oidc/callback?…" in line


def test_other_requests_are_logged_whole() -> None:
    assert "/api/v1/runs?limit=5" in _line("/api/v1/runs?limit=5")
