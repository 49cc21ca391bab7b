"""Sign-in, sessions, tokens, quotas and the audit log over real HTTP, against a real server
and its SQLite file."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.api.people import PASSWORD, Caller, add_person, instance_admin, sign_in, token_of
from tests.api.serve import Served, fresh_database, serving, start_serve
from tests.orchestrator.tiny_target import TinyTarget
from tests.utils.accounts import ADMIN_EMAIL, ADMIN_PASSWORD


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder: Path = tmp_path_factory.mktemp("accounts")
    with (
        fresh_database("sqlite", folder) as url,
        serving(url, folder, LOADSCOUT_MAX_CONCURRENT_RUNS="1") as server,
    ):
        yield server


def test_cookie_writes_need_the_csrf_token_token_writes_do_not(served: Served) -> None:
    root = instance_admin(served)
    body = {"name": "csrf", "role": "viewer"}
    status, answer = root("POST", "/tokens", body, csrf=False)
    assert status == 403
    assert "CSRF" in answer["detail"]
    wrong = Caller(served, cookie=root.cookie, csrf="0" * 64)
    assert wrong("POST", "/tokens", body)[0] == 403
    assert root("POST", "/tokens", body)[0] == 201
    assert Caller(served, token=served.token)("POST", "/tokens", body)[0] == 201


def test_the_session_cookie_is_host_bound_httponly_and_lax(served: Served) -> None:
    caller = Caller(served)
    status, _ = caller("POST", "/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert status == 200
    cookie = caller.set_cookies[0].lower()
    assert cookie.startswith("__host-loadscout_session=")
    for part in ("httponly", "secure", "samesite=lax", "path=/"):
        assert part in cookie
    assert "domain=" not in cookie


def test_signing_out_ends_the_session_at_once(served: Served) -> None:
    add_person(instance_admin(served), "leaver@one.test", team_id=1, role="viewer")
    first = sign_in(served, "leaver@one.test")
    second = sign_in(served, "leaver@one.test")
    assert first("POST", "/auth/logout")[0] == 204
    assert first("GET", "/runs")[0] == 401
    assert second("GET", "/runs")[0] == 200  # another browser's session lives on


def test_a_revoked_token_stops_at_once_and_an_expired_one_never_works(served: Served) -> None:
    root = instance_admin(served)
    token, token_id = token_of(root, "viewer", "to-revoke")
    assert token.startswith("lsk_")
    assert len(token) == 44
    ci = Caller(served, token=token)
    assert ci("GET", "/runs")[0] == 200
    status, revoked = root("DELETE", f"/tokens/{token_id}")
    assert status == 200
    assert revoked["revoked_at"] is not None
    status, answer = ci("GET", "/runs")
    assert status == 401
    assert "revoked" in answer["detail"]
    listed = {t["id"]: t for t in root("GET", "/tokens")[1]["data"]}
    assert listed[token_id]["last_used_at"] is not None
    assert listed[token_id]["prefix"] == token[:12]
    assert "token" not in listed[token_id]  # only ever shown once
    assert Caller(served, token="lsk_" + "x" * 40)("GET", "/runs")[0] == 401


def test_a_token_cannot_grant_more_than_its_maker_holds(served: Served) -> None:
    root = instance_admin(served)
    runner_token, _ = token_of(root, "runner", "runner")
    status, _ = Caller(served, token=runner_token)("POST", "/tokens", {"name": "x"})
    assert status == 403


def test_wrong_password_and_unknown_account_answer_the_same_and_take_as_long(
    served: Served,
) -> None:
    caller = Caller(served)
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    answers = set()
    for i in range(5):
        for kind, email in (("known", ADMIN_EMAIL), ("unknown", f"ghost{i}@one.test")):
            started = time.perf_counter()
            status, answer = caller("POST", "/auth/login", {"email": email, "password": "nope!"})
            timings[kind].append(time.perf_counter() - started)
            answers.add((status, answer["detail"]))
    assert answers == {(401, "wrong email or password")}
    known, unknown = (statistics.median(timings[k]) for k in ("known", "unknown"))
    # both verify one argon2id hash (a dummy one for the ghost): within a factor of two
    assert 0.5 < unknown / known < 2, timings


def test_guessing_a_password_is_slowed_even_the_right_one(served: Served) -> None:
    add_person(instance_admin(served), "target@one.test", team_id=1, role="viewer")
    caller = Caller(served)
    wrong = {"email": "target@one.test", "password": "guess guess"}
    statuses = [caller("POST", "/auth/login", wrong)[0] for _ in range(10)]
    assert statuses == [401] * 10
    status, answer = caller("POST", "/auth/login", {**wrong, "password": PASSWORD})
    assert status == 429
    assert "try again" in answer["detail"]
    assert caller.set_cookies == []  # no session was handed out
    # other accounts from the same address still sign in (the per-address limit is higher)
    assert sign_in(served, ADMIN_EMAIL, ADMIN_PASSWORD).cookie


@pytest.fixture(scope="module")
def any_backend(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server on SQLite, then on PostgreSQL: quotas lock differently on each."""
    folder: Path = tmp_path_factory.mktemp(f"quota-{backend}")
    with (
        fresh_database(backend, folder) as url,
        serving(url, folder, LOADSCOUT_MAX_CONCURRENT_RUNS="1") as server,
    ):
        yield server


def test_twenty_concurrent_creates_respect_the_concurrent_runs_quota(
    any_backend: Served, tiny: TinyTarget
) -> None:
    served = any_backend
    root = instance_admin(served)
    status, team = root("POST", "/teams", {"name": "quota", "quotas": {}})
    assert status == 201
    status, _ = root(
        "PUT", f"/teams/{team['id']}/quotas", {"max_concurrent_runs": 3, "max_runs_per_day": 5}
    )
    assert status == 200
    add_person(root, "quota@one.test", team_id=team["id"], role="admin")
    token, _ = token_of(sign_in(served, "quota@one.test"), "runner")
    ci = Caller(served, token=token)
    body = tiny.run_body(duration_s=30)
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda _: ci("POST", "/runs", body), range(20)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] * 3 + [429] * 17, answers
    assert "3 runs queued or running" in next(a for s, a in answers if s == 429)["detail"]
    created = [a["id"] for s, a in answers if s == 201]
    for run_id in created:
        assert ci("POST", f"/runs/{run_id}/cancel")[0] in (200, 409)
    for run_id in created:
        _wait(ci, run_id)
    # slots free again, but the day's quota (5) is now what stops the sixth
    assert ci("POST", "/runs", tiny.run_body())[0] == 201
    assert ci("POST", "/runs", tiny.run_body())[0] == 201
    status, answer = ci("POST", "/runs", tiny.run_body())
    assert status == 429
    assert "per day" in answer["detail"]


def _wait(caller: Caller, run_id: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if caller("GET", f"/runs/{run_id}")[1]["status"] in ("completed", "failed", "cancelled"):
            return
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not end")


def test_the_audit_log_tells_who_did_what_to_which_host(served: Served, tiny: TinyTarget) -> None:
    add_person(instance_admin(served), "auditor@one.test", team_id=1, role="runner")
    Caller(served)("POST", "/auth/login", {"email": "auditor@one.test", "password": "wrong!"})
    token_of(instance_admin(served), "viewer", "audited")
    runner = sign_in(served, "auditor@one.test")
    status, run = runner("POST", "/runs", tiny.run_body(users=2))
    assert status == 201
    _wait(runner, run["id"])  # a run cancelled while queued has no report to show
    assert runner("POST", f"/runs/{run['id']}/cancel")[0] == 409
    status, detail = runner("GET", f"/runs/{run['id']}")
    assert detail["created_by"] == "auditor@one.test"
    assert [e["action"] for e in detail["audit"]][:1] == ["run.create"]
    root = instance_admin(served)
    _, log = root("GET", "/audit?limit=500&instance=true")
    mine = [e for e in log["data"] if e["run_id"] == run["id"]]
    created = next(e for e in mine if e["action"] == "run.create")
    assert created["actor"] == "auditor@one.test"
    assert created["host"] == tiny.url.split("/")[2]
    assert created["details"] == {"users": 2, "duration_s": pytest.approx(0.3)}
    status, html = runner("GET", f"/runs/{run['id']}/report.html")
    assert status == 200
    assert "Started by auditor@one.test at " in html
    actions = {e["action"] for e in log["data"]}
    assert {"auth.signin", "auth.signin_failed", "token.create", "member.set"} <= actions


def test_no_secret_is_kept_or_logged_in_clear(served: Served) -> None:
    root = instance_admin(served)
    token, _ = token_of(root, "viewer", "secret-check")
    session = root.cookie.split("=", 1)[1] if root.cookie else ""
    Caller(served, token=token)("GET", "/runs")
    served_db = Path(served.log).parent
    stored = b"".join(p.read_bytes() for p in served_db.glob("*.db*"))
    logged = served.log.read_bytes()
    for secret in (token, session, PASSWORD, ADMIN_PASSWORD, root.csrf or "x" * 64):
        assert secret.encode() not in stored
        assert secret.encode() not in logged


def test_first_admin_through_the_set_up_link(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    served = start_serve(url, tmp_path, bootstrap_admin=False)
    try:
        link = _setup_link(served.log)
        token = link.split("#token=", 1)[1]
        anonymous = Caller(served)
        assert anonymous("GET", "/auth/setup") == (200, {"needed": True})
        body = {"token": "wrong", "email": "first@one.test", "password": "first password!"}
        assert anonymous("POST", "/auth/setup", body)[0] == 403
        status, me = anonymous("POST", "/auth/setup", {**body, "token": token})
        assert status == 201, me
        assert me["is_instance_admin"] is True
        assert me["role"] == "admin"
        admin = Caller(served, cookie=anonymous.set_cookies[0].split(";")[0], csrf=me["csrf_token"])
        assert admin("GET", "/runs")[0] == 200
        assert anonymous("POST", "/auth/setup", {**body, "token": token})[0] == 409
        assert anonymous("GET", "/auth/setup") == (200, {"needed": False})
    finally:
        served.stop()


def _setup_link(log: Path) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if "/setup#token=" in line:
                return line.strip()
        time.sleep(0.1)
    raise AssertionError(f"no set-up link in {log.read_text()}")


def _users_create(url: str, email: str, password: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "loadscout", "users", "create", "--admin"]
    return subprocess.run(
        [*command, "--email", email, "--password-stdin"],
        input=f"{password}\n",
        capture_output=True,
        text=True,
        env={"LOADSCOUT_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_users_create_admin_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    made = _users_create(url, "ops@one.test", "ops password 123")
    assert made.returncode == 0, made.stderr
    assert "instance admin ops@one.test created" in made.stdout
    again = _users_create(url, "ops@one.test", "ops password 123")
    assert again.returncode == 2
    assert "already exists" in again.stderr + again.stdout
    short = _users_create(url, "two@one.test", "short")
    assert short.returncode == 2
    assert "at least 10 characters" in short.stderr + short.stdout
    served = start_serve(url, tmp_path, bootstrap_admin=False)
    try:
        assert "/setup#token=" not in served.log.read_text()
        assert sign_in(served, "ops@one.test", "ops password 123")("GET", "/users")[0] == 200
    finally:
        served.stop()
