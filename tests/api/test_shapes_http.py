"""POST /api/v1/shapes/preview over real HTTP: the --shape parser for the dashboard."""

from __future__ import annotations

import pytest

from tests.api.serve import Served, call


def test_a_csv_shape_previews_as_stages(service: Served) -> None:
    text = "duration,users\n30s,10\n1m,10\n15s,0\n"
    status, preview = call("POST", f"{service.api}/shapes/preview", {"text": text})
    assert status == 200, preview
    assert preview["shape"] == {
        "kind": "stages",
        "stages": [
            {"duration_s": 30.0, "target": 10.0},
            {"duration_s": 60.0, "target": 10.0},
            {"duration_s": 15.0, "target": 0.0},
        ],
    }
    assert (preview["unit"], preview["duration_s"], preview["peak"]) == ("users", 105.0, 10.0)
    assert preview["users"] == 10
    assert [(p["t"], p["value"]) for p in preview["points"]] == [
        (0, 0),
        (30, 10),
        (90, 10),
        (105, 0),
    ]


def test_a_yaml_shape_previews_its_schedule(service: Served) -> None:
    text = "kind: ramping_rate\nstart_rate: 2\nstages:\n  - {duration_s: 10, target: 8}\n"
    status, preview = call("POST", f"{service.api}/shapes/preview", {"text": text})
    assert status == 200, preview
    assert (preview["kind"], preview["unit"], preview["peak"]) == ("ramping_rate", "rate", 8)
    assert preview["users"] == 1000  # the open model's default cap
    assert [(p["t"], p["value"]) for p in preview["points"]] == [(0, 2), (10, 8)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("duration,users\nsoon,3\n", "cannot read duration 'soon'"),
        ("kind: stages\nstages: []\n", "stages: List should have at least 1 item"),
        ("kind: [\n", "not valid YAML"),
        ("just words", "expected a mapping with a 'kind'"),
        ("duration,users\n30s\n", "line 2 of the shape CSV needs both a duration and a users"),
    ],
)
def test_an_unreadable_shape_is_422_naming_the_problem(
    service: Served, text: str, reason: str
) -> None:
    status, body = call("POST", f"{service.api}/shapes/preview", {"text": text})
    assert status == 422
    assert body["detail"][0]["field"] == "text"
    assert reason in body["detail"][0]["reason"]
