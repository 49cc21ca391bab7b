"""POST /api/v1/profiles/preview over real HTTP: the form's load profile read by the server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.serve import Served, call


def preview(service: Served, body: dict[str, Any]) -> dict[str, Any]:
    status, answer = call("POST", f"{service.api}/profiles/preview", body)
    assert status == 200, answer
    assert isinstance(answer, dict)
    return answer


@pytest.mark.parametrize(
    ("duration", "seconds"), [("1h30m", 5400.0), ("90", 90.0), ("1m30s", 90.0), ("2m", 120.0)]
)
def test_durations_in_every_form_the_cli_takes(
    service: Served, duration: str, seconds: float
) -> None:
    answer = preview(
        service, {"kind": "constant", "users": "10", "duration": duration, "ramp_up": "30s"}
    )
    assert answer["errors"] == {}
    assert answer["fields"] == {
        "users": 10,
        "duration_s": seconds,
        "ramp_up_s": 30.0,
        "stages": None,
        "arrival_rate": None,
        "max_users": None,
    }
    assert answer["points"] == [
        {"t": 0.0, "value": 0.0},
        {"t": 30.0, "value": 10.0},
        {"t": seconds, "value": 10.0},
    ]
    assert (answer["unit"], answer["peak"], answer["duration_s"]) == ("users", 10.0, seconds)


def test_stages_become_the_text_the_run_reads_and_the_curve_to_draw(service: Served) -> None:
    rows = [{"duration": "30s", "target": "10"}, {"duration": "1m", "target": "50"}]
    rows.append({"duration": "15s", "target": "0"})
    answer = preview(service, {"kind": "stages", "stages": rows})
    assert answer["errors"] == {}
    assert answer["fields"]["stages"] == "30s:10,60s:50,15s:0"
    assert (answer["fields"]["users"], answer["fields"]["duration_s"]) == (50, 105.0)
    assert [(p["t"], p["value"]) for p in answer["points"]] == [
        (0.0, 0.0),
        (30.0, 10.0),
        (90.0, 50.0),
        (105.0, 0.0),
    ]


def test_an_arrival_rate_is_an_open_profile_capped_by_max_users(service: Served) -> None:
    body = {"kind": "arrival", "arrival_rate": "20/s", "duration": "1m", "max_users": "40"}
    answer = preview(service, body)
    assert answer["errors"] == {}
    assert answer["unit"] == "rate"
    assert answer["fields"]["arrival_rate"] == "20"
    assert (answer["fields"]["max_users"], answer["peak"], answer["duration_s"]) == (40, 20.0, 60.0)


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"kind": "constant", "users": "10", "duration": "soon"}, "duration", "like 30s, 2m"),
        ({"kind": "constant", "users": "ten", "duration": "1m"}, "users", "whole number"),
        ({"kind": "constant", "users": "0", "duration": "1m"}, "users", "at least 1"),
        ({"kind": "constant", "users": "5", "duration": "25h"}, "duration", "86400"),
        ({"kind": "constant", "users": "5", "duration": "1m", "ramp_up": "2m"}, "profile", "ramp"),
        (
            {"kind": "arrival", "arrival_rate": "fast", "duration": "1m", "max_users": "5"},
            "arrival_rate",
            "iterations per second",
        ),
        ({"kind": "stages", "stages": []}, "stages", "at least one stage"),
        (
            {"kind": "stages", "stages": [{"duration": "x", "target": "3"}]},
            "stages.0.duration",
            "like 30s",
        ),
        (
            {"kind": "stages", "stages": [{"duration": "10s", "target": "-1"}]},
            "stages.0.target",
            "at least 0",
        ),
    ],
)
def test_every_problem_is_named_by_its_field(
    service: Served, body: dict[str, Any], field: str, reason: str
) -> None:
    answer = preview(service, body)
    assert answer["fields"] is None
    assert reason in answer["errors"][field], answer["errors"]


def test_a_body_that_is_not_a_profile_is_a_422(service: Served) -> None:
    status, _ = call("POST", f"{service.api}/profiles/preview", {"kind": "sideways"})
    assert status == 422
