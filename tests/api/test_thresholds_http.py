"""POST /api/v1/thresholds/check over real HTTP: the threshold grammar for the dashboard."""

from __future__ import annotations

import pytest

from tests.api.serve import Served, call


@pytest.mark.parametrize(
    "expression",
    ["p75<200ms", "p99.9<1s", "requests>10", "p95<2m", "error_rate[step=login]<1%", "rps >= 50"],
)
def test_what_a_run_accepts_is_ok(service: Served, expression: str) -> None:
    status, body = call("POST", f"{service.api}/thresholds/check", {"expressions": [expression]})
    assert status == 200, body
    assert body == {"data": [{"expression": expression, "ok": True, "error": None}], "count": 1}


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("p95 under 1s", "cannot read threshold 'p95 under 1s'; write it like p95<500ms"),
        ("latency<1s", "unknown metric 'latency'"),
        ("p95<5%", "a latency takes ms, s or m, not %"),
        ("error_rate<5", "write error_rate as 1% or 0.01, not 5"),
    ],
)
def test_garbage_is_refused_with_the_reason(service: Served, expression: str, reason: str) -> None:
    status, body = call("POST", f"{service.api}/thresholds/check", {"expressions": [expression]})
    assert status == 200, body
    (answer,) = body["data"]
    assert answer["ok"] is False
    assert reason in answer["error"]


def test_one_answer_per_row_in_order_and_blank_rows_are_fine(service: Served) -> None:
    rows = ["p95<500ms", "", "nonsense", "  "]
    status, body = call("POST", f"{service.api}/thresholds/check", {"expressions": rows})
    assert status == 200, body
    assert [(a["expression"], a["ok"]) for a in body["data"]] == [
        ("p95<500ms", True),
        ("", True),
        ("nonsense", False),
        ("  ", True),
    ]
    assert body["count"] == 4


def test_the_body_must_be_a_list_of_expressions(service: Served) -> None:
    status, body = call("POST", f"{service.api}/thresholds/check", {"expressions": "p95<1s"})
    assert status == 422, body
