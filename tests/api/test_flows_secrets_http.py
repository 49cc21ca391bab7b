"""Flows the API stores and returns never hold a password; a run that needs one it was not
given is refused up front (400) instead of failing later."""

from __future__ import annotations

import json

import pytest

from tests.api.serve import Served, call
from tests.orchestrator.tiny_target import TinyTarget

SECRET = "s3cret-in-flows-7Qx"


def _body_with_password(tiny: TinyTarget, **overrides: object) -> dict[str, object]:
    body = tiny.run_body(duration_s=0.3)
    flowset = dict(body["flowset"])
    flowset["user_data"] = [{"username": "ann", "password": SECRET}]
    return {**body, "flowset": flowset, **overrides}


def test_stored_flows_hold_a_reference_not_the_password(service: Served, tiny: TinyTarget) -> None:
    status, run = call("POST", f"{service.api}/runs", _body_with_password(tiny, password=SECRET))
    assert status == 201, run
    done = service.wait_for(run["id"], ("completed", "failed", "cancelled"))
    assert done["status"] == "completed", done["reason"]
    status, flows = call("GET", f"{service.api}/runs/{run['id']}/flows")
    assert status == 200
    assert SECRET not in json.dumps(flows)
    assert flows["user_data"] == [{"username": "ann", "password": "${secret.password}"}]


def test_a_run_needing_a_password_it_was_not_given_is_refused(
    service: Served, tiny: TinyTarget
) -> None:
    status, answer = call("POST", f"{service.api}/runs", _body_with_password(tiny))
    assert status == 400, answer
    assert "password" in answer["detail"] and "credentials_file" in answer["detail"]


def test_the_password_never_reaches_the_database_files(service: Served, tiny: TinyTarget) -> None:
    """Not in a column, and not in the SQLite journal (WAL) a cleared column leaves behind."""
    status, run = call("POST", f"{service.api}/runs", _body_with_password(tiny, password=SECRET))
    assert status == 201, run
    done = service.wait_for(run["id"], ("completed", "failed", "cancelled"))
    assert done["status"] == "completed", done["reason"]
    files = [p for p in service.log.parent.rglob("*") if p.is_file() and ".db" in p.name]
    if not files:
        pytest.skip("the database is not a SQLite file here")
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path
