"""The REST API over real HTTP: ``loadscout serve`` in a subprocess, the demo shop as target."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.utils.demo_server import DemoServer
from tests.utils.processes import serving


def _call(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("serve")) as base:
        yield base


@pytest.mark.browser
def test_run_moves_through_its_states(server: str, demo_shop: DemoServer) -> None:
    status, run = _call(
        "POST",
        f"{server}/api/v1/runs",
        {
            "target_url": demo_shop.url,
            "users": 5,
            "duration_s": 4,
            "think_time_min_s": 0.05,
            "think_time_max_s": 0.2,
            "max_pages": 12,
        },
    )
    assert status == 201, run
    assert run["status"] == "queued"
    seen = [run["status"]]
    deadline = time.monotonic() + 120
    detail: dict[str, Any] = {}
    while time.monotonic() < deadline:
        _, detail = _call("GET", f"{server}/api/v1/runs/{run['id']}")
        if detail["status"] != seen[-1]:
            seen.append(detail["status"])
        if detail["status"] in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.1)
    assert seen == ["queued", "discovering", "loading", "completed"], detail.get("reason")
    assert detail["summary"]["totals"]["requests"] > 0
    assert detail["requests"] == detail["summary"]["totals"]["requests"]
    assert detail["verdict"] == detail["summary"]["verdict"]  # stored with the run, and in the list
    assert detail["verdict"] in ("passed", "errors")

    status, result = _call("GET", f"{server}/api/v1/runs/{run['id']}/result")
    assert status == 200
    assert result["run_id"] == str(run["id"]) and result["status"] == "completed"
    status, listing = _call("GET", f"{server}/api/v1/runs?limit=10")
    assert status == 200 and listing["count"] >= 1
    assert run["id"] in [r["id"] for r in listing["data"]]
    assert [r["verdict"] for r in listing["data"] if r["id"] == run["id"]] == [detail["verdict"]]
    status, flows = _call("GET", f"{server}/api/v1/runs/{run['id']}/flows")
    assert status == 200 and flows["flows"]

    # run again: the same settings and the very flows discovery found, with no discovery
    status, again = _call("POST", f"{server}/api/v1/runs/{run['id']}/rerun")
    assert status == 201, again
    assert again["id"] != run["id"] and again["users"] == 5 and again["duration_s"] == 4
    done = _wait(server, again["id"])
    assert done["status"] == "completed", done["reason"]
    _, events = _call("GET", f"{server}/api/v1/runs/{again['id']}/events")
    assert "discovering" not in [e["status"] for e in events["data"]]
    assert _call("GET", f"{server}/api/v1/runs/{again['id']}/flows")[1] == flows
    assert done["summary"]["totals"]["requests"] > 0


def _wait(server: str, run_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, detail = _call("GET", f"{server}/api/v1/runs/{run_id}")
        if detail["status"] in ("completed", "failed", "cancelled"):
            return dict(detail)
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish")


def test_rerun_of_an_unknown_or_unfinished_run_is_refused(
    server: str, demo_shop: DemoServer
) -> None:
    assert _call("POST", f"{server}/api/v1/runs/999999/rerun")[0] == 404
    body = {"target_url": demo_shop.url, "users": 1, "duration_s": 30, "max_pages": 2}
    status, run = _call("POST", f"{server}/api/v1/runs", body)
    assert status == 201, run
    status, refused = _call("POST", f"{server}/api/v1/runs/{run['id']}/rerun")
    assert status == 409 and "once it has finished" in refused["detail"], refused
    _call("POST", f"{server}/api/v1/runs/{run['id']}/cancel")
    _wait(server, run["id"])
    status, refused = _call("POST", f"{server}/api/v1/runs/{run['id']}/rerun")
    if _call("GET", f"{server}/api/v1/runs/{run['id']}/flows")[0] == 409:  # no flows yet
        assert status == 409 and "no flows to replay" in refused["detail"], refused
    else:  # cancelled after discovery kept its flows: a cancelled run may run again
        assert status == 201, refused
        _call("POST", f"{server}/api/v1/runs/{refused['id']}/cancel")
        _wait(server, refused["id"])


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        ({"target_url": "not a url", "users": 1}, 400, "URL"),
        ({"target_url": "http://127.0.0.1:9/", "users": 1}, 400, "127.0.0.1:9"),
        ({"target_url": "http://127.0.0.1:9/", "users": 0}, 422, "users"),
        ({"users": 1}, 422, "target_url"),
    ],
)
def test_bad_requests_are_4xx_with_a_message(
    server: str, body: dict[str, Any], code: int, fragment: str
) -> None:
    status, payload = _call("POST", f"{server}/api/v1/runs", body)
    assert status == code
    assert fragment in json.dumps(payload)


def test_non_html_target_is_rejected(server: str, demo_shop: DemoServer) -> None:
    status, payload = _call(
        "POST", f"{server}/api/v1/runs", {"target_url": demo_shop.url_for("/api/deals"), "users": 1}
    )
    assert status == 400 and "HTML" in payload["detail"]


def test_unknown_run_is_404(server: str) -> None:
    for path in ("/api/v1/runs/999999", "/api/v1/runs/999999/result"):
        status, payload = _call("GET", server + path)
        assert status == 404 and "999999" in payload["detail"]


def test_openapi_is_published(server: str) -> None:
    status, spec = _call("GET", f"{server}/api/v1/openapi.json")
    assert status == 200 and "/api/v1/runs" in spec["paths"]
