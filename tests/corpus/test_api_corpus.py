"""The malformed-input corpus, API side: every bad request is a 4xx with a reason, over real
HTTP, and never a 5xx. Load that slips through could only reach the closed port 9 on
127.0.0.1, which the server's allow-list also names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.serve import Served, call, fresh_database, serving

TARGET = "http://127.0.0.1:9/"
BAD_NUMBERS: list[Any] = ["abc", -1, 0, 1e308, "Infinity", "NaN", None, [], {}, True, "1; drop"]
BAD_TEXT: list[Any] = [123, [], {}, "x" * 5_000, "\u0000", True]
BAD_FLAGS: list[Any] = ["maybe", 2, [], {}, "x"]
_FIELDS: dict[str, list[Any]] = {
    "users": [*BAD_NUMBERS, 1.5, 10**30, 1_000_000],
    "duration_s": [*BAD_NUMBERS, 1e12],
    "ramp_up_s": ["abc", -1, "Infinity", 1e12, []],
    "think_time_min_s": ["abc", -1, "NaN", []],
    "think_time_max_s": ["abc", -1, "Infinity", {}],
    "max_pages": ["abc", -1, 0, 1.5, 10**30],
    "max_depth": ["abc", -1, 10**30, []],
    "max_discovery_s": ["abc", -1, "NaN", []],
    "allow_writes": BAD_FLAGS,
    "scope": [123, [], "(", "[a-", "x" * 5_000],
    "login_url": [123, [], "not a url", "ftp://127.0.0.1/"],
    "username": [123, [], {}],
    "password": [123, [], {}],
    "credentials_file": [123, [], "/no/such/file.yaml"],
    "storage_state_file": [123, "/no/such/state.json"],
    "data_file": [123, "/no/such/data.csv"],
    "har_file": [123, "/no/such/file.har"],
    "force": BAD_FLAGS,
    "ignore_robots": BAD_FLAGS,
    "journeys": BAD_FLAGS,
    "screenshots_dir": [123, []],
    "stages": [123, "abc", "3s:inf", "3s:-1", "inf:3", "1s:1,abc", "5s:20000", "", "0s:0"],
    "arrival_rate": [123, "abc", "nan", "inf/s", "-1/s", "5/x", ""],
    "max_users": ["abc", -1, 0, 10**30],
    "shape": ["abc", 123, [], {"kind": "nosuch"}, {"stages": "abc"}],
    "think_time_distribution": ["gaussian", 1, [], None],
    "think_time_recorded": BAD_FLAGS,
    "pacing_s": ["abc", -1, "Infinity", []],
    "thresholds": ["p95<", ["p95<"], ["nonsense"], ["p95<abc"], ["p95<inf"], [1], {}],
    "abort_on_fail": BAD_FLAGS,
    "workers": ["abc", -1, 0, 256, 10**30],
    "fetch_assets": BAD_FLAGS,
    "flowset": ["abc", 1, [], {}, {"target_url": TARGET}, {"flows": []}],
    "target_url": [
        None,
        123,
        "",
        "not a url",
        "ftp://127.0.0.1/",
        "http://",
        "javascript:1",
        "http://user:secret@127.0.0.1:9/",
    ],
    "no_such_option": [1],
}
RUN_CASES = [
    pytest.param(field, value, id=f"{field}={json.dumps(value)[:30]}")
    for field, values in _FIELDS.items()
    for value in values
]
BODIES = [
    pytest.param(b"", id="empty"),
    pytest.param(b"{", id="truncated"),
    pytest.param(b"null", id="null"),
    pytest.param(b"[]", id="array"),
    pytest.param(b'"run"', id="string"),
    pytest.param(b"\xff\xfe", id="not-utf8"),
    pytest.param(b'{"users": 1}', id="no-target"),
    pytest.param(b'{"target_url": "http://127.0.0.1:9/"}', id="no-users"),
]
OTHER_CASES: list[tuple[str, str, Any]] = [
    ("GET", "/runs?limit=abc", None),
    ("GET", "/runs?limit=-1", None),
    ("GET", "/runs?limit=100000000", None),
    ("GET", "/runs?offset=-5", None),
    ("GET", "/runs?status=nosuch", None),
    ("GET", "/runs/abc", None),
    ("GET", "/runs/-1", None),
    ("GET", "/runs/1e99", None),
    ("GET", "/runs/99999999999999999999999", None),
    ("GET", "/runs/999999/result", None),
    ("GET", "/runs/999999/flows", None),
    ("GET", "/runs/999999/events", None),
    ("GET", "/runs/999999/metrics", None),
    ("GET", "/runs/999999/report?format=html", None),
    ("GET", "/runs/1/report?format=exe", None),
    ("GET", "/runs/abc/report", None),
    ("POST", "/runs/999999/cancel", None),
    ("POST", "/runs/abc/cancel", None),
    ("POST", "/runs/999999/rerun", None),
    ("DELETE", "/runs/999999", None),
    ("DELETE", "/runs/abc", None),
    ("PUT", "/runs/999999/flows", {"target_url": TARGET, "flows": []}),
    ("PUT", "/runs/abc/flows", {}),
    ("POST", "/thresholds/check", {}),
    ("POST", "/thresholds/check", {"thresholds": ["p95<"]}),
    ("POST", "/thresholds/check", {"thresholds": "p95<100"}),
    ("POST", "/thresholds/check", {"thresholds": [1, 2]}),
    ("POST", "/profiles/preview", {}),
    ("POST", "/profiles/preview", {"stages": "3s:inf"}),
    ("POST", "/profiles/preview", {"users": -1}),
    ("POST", "/profiles/preview", {"arrival_rate": "nan"}),
    ("POST", "/shapes", {}),
    ("POST", "/shapes", {"kind": "nosuch"}),
    ("POST", "/shapes", []),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder: Path = tmp_path_factory.mktemp("corpus")
    with fresh_database("sqlite", folder) as url, serving(url, folder) as running:
        yield running


def _assert_refused(status: int, data: Any, case: str) -> None:
    assert 400 <= status < 500, (case, status, data)
    assert isinstance(data, dict) and data.get("detail"), (case, data)
    assert "Traceback" not in json.dumps(data), case


@pytest.mark.parametrize(("field", "value"), RUN_CASES)
def test_a_bad_run_option_is_a_4xx(served: Served, field: str, value: Any) -> None:
    body = {"target_url": TARGET, "users": 1, "duration_s": 1, field: value}
    status, data = call("POST", f"{served.api}/runs", body)
    _assert_refused(status, data, f"{field}={value!r}")


@pytest.mark.parametrize("raw", BODIES)
def test_a_bad_body_is_a_4xx(served: Served, raw: bytes) -> None:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        f"{served.api}/runs", data=raw, method="POST", headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, data = resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        status, data = err.code, json.loads(err.read())
    _assert_refused(status, data, repr(raw))


@pytest.mark.parametrize(("method", "path", "body"), OTHER_CASES)
def test_a_bad_request_elsewhere_is_a_4xx(
    served: Served, method: str, path: str, body: Any
) -> None:
    status, data = call(method, f"{served.api}{path}", body)
    _assert_refused(status, data, f"{method} {path}")


def test_the_corpus_is_large() -> None:
    assert len(RUN_CASES) + len(BODIES) + len(OTHER_CASES) >= 200
