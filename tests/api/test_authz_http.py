"""The authorization matrix over real HTTP: every route, every kind of caller, and another
team's objects answering 404 on every id-bearing route."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from loadscout.api.app import create_app
from loadscout.settings import Settings
from tests.api.authz_matrix import MATRIX, Need, allowed
from tests.api.people import (
    PASSWORD,
    Caller,
    add_person,
    instance_admin,
    new_team,
    sign_in,
    token_of,
)
from tests.api.serve import Served, fresh_database, serving
from tests.orchestrator.tiny_target import TinyTarget

_ids = itertools.count(1)


@dataclass
class Actor:
    name: str
    role: str | None  # None: anonymous; "none": signed in, in no team
    instance_admin: bool
    email: str | None
    caller: Caller


@dataclass
class World:
    served: Served
    root: Caller
    actors: list[Actor]
    team2: int
    run_id: int
    token_id: int
    target_id: int
    member_id: int
    outsiders: list[Caller]  # team 2's admin, as a session and as a token
    tiny: TinyTarget

    def actor(self, name: str) -> Actor:
        return next(a for a in self.actors if a.name == name)


def _finished_run(root: Caller, tiny: TinyTarget) -> int:
    status, run = root("POST", "/runs", tiny.run_body())
    assert status == 201, run
    _wait_final(root, run["id"])
    run_id: int = run["id"]
    return run_id


def _wait_final(root: Caller, run_id: int) -> None:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, detail = root("GET", f"/runs/{run_id}")
        if detail["status"] in ("completed", "failed", "cancelled"):
            return
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish")


@pytest.fixture(scope="module")
def world(tiny: TinyTarget, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("authz")
    with fresh_database("sqlite", folder) as url, serving(url, folder) as served:
        root = instance_admin(served)
        team2 = new_team(root, "two")
        people = {
            role: add_person(root, f"{role}@one.test", team_id=1, role=role)
            for role in ("viewer", "runner", "admin")
        }
        status, _ = root("POST", "/users", {"email": "nobody@one.test", "password": PASSWORD})
        assert status == 201
        admin2 = add_person(root, "admin@two.test", team_id=team2, role="admin")
        token2, _ = token_of(admin2, "admin")
        actors = [
            Actor("anonymous", None, False, None, Caller(served)),
            Actor("no team", "none", False, "nobody@one.test", sign_in(served, "nobody@one.test")),
            *(
                Actor(role, role, False, f"{role}@one.test", people[role])
                for role in ("viewer", "runner", "admin")
            ),
            Actor("instance admin", "admin", True, root.label, root),
        ]
        _, members = root("GET", "/team/members")
        viewer_id = next(m["user_id"] for m in members["data"] if m["role"] == "viewer")
        yield World(
            served=served,
            root=root,
            actors=actors,
            team2=team2,
            run_id=_finished_run(root, tiny),
            token_id=token_of(root, "viewer", "matrix")[1],
            target_id=_new_target(root, tiny),
            member_id=viewer_id,
            outsiders=[admin2, Caller(served, token=token2, label="team 2 token")],
            tiny=tiny,
        )


def _new_target(root: Caller, tiny: TinyTarget) -> int:
    status, target = root("POST", "/targets", {"url": f"http://host{next(_ids)}.test/"})
    assert status == 201, target
    target_id: int = target["id"]
    return target_id


def _fresh_member(world: World) -> int:
    email = f"member{next(_ids)}@one.test"
    add_person(world.root, email, team_id=1, role="viewer")
    _, members = world.root("GET", "/team/members")
    return next(m["user_id"] for m in members["data"] if m["email"] == email)


# What a DELETE consumes, made anew before each caller that may delete it.
_FRESH: dict[str, Callable[[World], int]] = {
    "run_id": lambda w: _finished_run(w.root, w.tiny),
    "token_id": lambda w: token_of(w.root, "viewer", f"t{next(_ids)}")[1],
    "target_id": lambda w: _new_target(w.root, w.tiny),
    "user_id": _fresh_member,
}


def _path(world: World, template: str, fresh: dict[str, int] | None = None) -> str:
    values: dict[str, Any] = {
        "run_id": world.run_id,
        "token_id": world.token_id,
        "target_id": world.target_id,
        "user_id": world.member_id,
        "team_id": 1,
        "name": "x.png",
        "fmt": "html",
        **(fresh or {}),
    }
    return world.served.base + template.format(**values)


def _ids_in(template: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", template)


def test_every_route_has_a_row() -> None:
    spec = create_app(Settings()).openapi()
    routes = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    assert routes - MATRIX.keys() == set(), "routes without a row in tests/api/authz_matrix.py"
    assert MATRIX.keys() - routes == set(), "rows for routes that no longer exist"


@pytest.mark.parametrize(("method", "template"), list(MATRIX), ids=lambda v: str(v))
def test_each_caller_gets_what_the_matrix_says(world: World, method: str, template: str) -> None:
    need: Need = MATRIX[(method, template)]
    for actor in world.actors:
        may = allowed(need, role=actor.role, instance_admin=actor.instance_admin)
        caller = actor.caller
        if template.endswith("/logout") and actor.email is not None:
            password = "correct horse battery" if actor.instance_admin else PASSWORD
            caller = sign_in(world.served, actor.email, password)  # its own session to end
        fresh = {}
        if method == "DELETE" and may:
            fresh = {key: _FRESH[key](world) for key in _ids_in(template) if key in _FRESH}
        body = None if method in ("GET", "DELETE") else {}
        status, answer = caller(method, _path(world, template, fresh), body)
        if may:
            assert status not in (401, 403), (actor.name, status, answer)
        else:
            assert status == (401 if actor.role is None else 403), (actor.name, status, answer)


ID_ROUTES = [
    key
    for key in MATRIX
    if any(name in _FRESH for name in _ids_in(key[1])) and MATRIX[key] != "instance_admin"
]


@pytest.mark.parametrize(("method", "template"), ID_ROUTES, ids=lambda v: str(v))
def test_another_teams_objects_are_404(world: World, method: str, template: str) -> None:
    for outsider in world.outsiders:
        body = None if method in ("GET", "DELETE") else {"name": "x", "role": "viewer"}
        status, answer = outsider(method, _path(world, template), body)
        assert status == 404, (outsider.label, status, answer)
    # ...and the objects are all still there for their own team
    assert world.root("GET", f"/runs/{world.run_id}")[0] == 200
    assert any(t["id"] == world.token_id for t in world.root("GET", "/tokens")[1]["data"])


def test_lists_show_only_the_callers_team(world: World) -> None:
    for outsider in world.outsiders:
        _, runs = outsider("GET", "/runs")
        assert runs["count"] == 0, runs
        _, tokens = outsider("GET", "/tokens")
        assert {t["team_id"] for t in tokens["data"]} == {world.team2}
        _, targets = outsider("GET", "/targets")
        assert targets["count"] == 0
        _, members = outsider("GET", "/team/members")
        assert [m["email"] for m in members["data"]] == ["admin@two.test"]
        _, audit = outsider("GET", "/audit")
        assert {e["team_id"] for e in audit["data"]} <= {world.team2, None}
        status, metrics = outsider("GET", f"{world.served.base}/metrics")
        assert status == 200
        assert f'run_id="{world.run_id}"' not in metrics
    _, own = world.root("GET", "/runs")
    assert own["count"] >= 1
