"""The REST surface over real HTTP, on SQLite and PostgreSQL: runs, events, live metrics,
flow edits, filters, validation, probes and the OpenAPI document."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.serve import Served, call
from tests.orchestrator.tiny_target import TinyTarget

FINAL = ("completed", "failed", "cancelled")


@pytest.fixture(autouse=True)
def _stop_leftovers(service: Served) -> Iterator[None]:
    """A failed test must not leave a long run holding the server's only slot."""
    yield
    for status in ("loading", "discovering", "queued"):
        _, page = call("GET", f"{service.api}/runs?status={status}&limit=500")
        for run in page["data"]:
            call("POST", f"{service.api}/runs/{run['id']}/cancel")
            service.wait_for(run["id"], FINAL, timeout_s=10)


def _create(service: Served, body: dict[str, Any]) -> dict[str, Any]:
    status, run = call("POST", f"{service.api}/runs", body)
    assert status == 201, run
    return dict(run)


def test_a_flowset_run_completes_with_events_metrics_and_result(
    service: Served, tiny: TinyTarget
) -> None:
    run = _create(service, tiny.run_body(duration_s=1.5))
    done = service.wait_for(run["id"], FINAL)
    assert done["status"] == "completed", done["reason"]
    assert done["summary"]["totals"]["requests"] > 0

    status, events = call("GET", f"{service.api}/runs/{run['id']}/events")
    assert status == 200
    assert [e["status"] for e in events["data"]] == ["queued", "queued", "loading", "completed"]
    assert events["data"][1]["reason"].startswith("claimed by ")
    times = [e["at"] for e in events["data"]]
    assert times == sorted(times) and events["count"] == 4

    status, metrics = call("GET", f"{service.api}/runs/{run['id']}/metrics")
    assert status == 200 and metrics["status"] == "completed"
    assert [p["t"] for p in metrics["data"]] == [0, 1]
    assert all(p["p99_ms"] is not None for p in metrics["data"])  # the exact series
    _, later = call("GET", f"{service.api}/runs/{run['id']}/metrics?since=0")
    assert [p["t"] for p in later["data"]] == [1]

    status, result = call("GET", f"{service.api}/runs/{run['id']}/result")
    assert status == 200 and result["status"] == "completed"
    assert len(result["timeseries"]) == 2


def test_metrics_are_live_while_loading_and_cancel_keeps_them(
    service: Served, tiny: TinyTarget
) -> None:
    run = _create(service, tiny.run_body(duration_s=60))
    service.wait_for(run["id"], ("loading",))
    live: dict[str, Any] = {}
    for _ in range(100):  # up to 10 s: the series is written every 0.5 s
        _, live = call("GET", f"{service.api}/runs/{run['id']}/metrics")
        if live["data"]:
            break
        time.sleep(0.1)
    assert live["status"] == "loading" and live["data"][0]["t"] >= 0
    assert live["live"] is not None and live["live"]["requests"] > 0

    asked = time.monotonic()
    status, _ = call("POST", f"{service.api}/runs/{run['id']}/cancel")
    assert status == 200
    done = service.wait_for(run["id"], FINAL, timeout_s=10)
    assert time.monotonic() - asked < 2.5  # 2 s in the server, plus HTTP polling
    assert done["status"] == "cancelled" and done["requests"] > 0
    _, kept = call("GET", f"{service.api}/runs/{run['id']}/metrics")
    assert len(kept["data"]) >= len(live["data"])
    assert call("POST", f"{service.api}/runs/{run['id']}/cancel")[0] == 409


def test_flows_are_edited_while_queued_and_then_replayed(service: Served, tiny: TinyTarget) -> None:
    busy = _create(service, tiny.run_body(duration_s=60))
    body = tiny.run_body()
    del body["flowset"]  # would discover; the edit below replaces discovery
    waiting = _create(service, body)
    service.wait_for(busy["id"], ("loading",))
    assert call("GET", f"{service.api}/runs/{waiting['id']}")[1]["status"] == "queued"

    flows = tiny.flowset().model_dump(mode="json")
    status, saved = call("PUT", f"{service.api}/runs/{waiting['id']}/flows", flows)
    assert status == 200 and saved["flows"][0]["name"] == "browse"
    assert call("PUT", f"{service.api}/runs/{busy['id']}/flows", flows)[0] == 409
    call("POST", f"{service.api}/runs/{busy['id']}/cancel")

    done = service.wait_for(waiting["id"], FINAL)
    assert done["status"] == "completed", done["reason"]
    _, events = call("GET", f"{service.api}/runs/{waiting['id']}/events")
    statuses = [e["status"] for e in events["data"]]
    assert "discovering" not in statuses and "flows edited" in [e["reason"] for e in events["data"]]
    assert call("GET", f"{service.api}/runs/{waiting['id']}/flows")[1] == flows


def test_list_filters_and_sorts(service: Served, tiny: TinyTarget) -> None:
    ids = [_create(service, tiny.run_body(duration_s=0.2))["id"] for _ in range(3)]
    for run_id in ids:
        service.wait_for(run_id, FINAL)
    _, first = call("GET", f"{service.api}/runs/{ids[0]}")
    port = tiny.url.split(":")[2].rstrip("/")

    _, page = call("GET", f"{service.api}/runs?target=:{port}/&status=completed&sort=id&limit=500")
    listed = [r["id"] for r in page["data"]]
    assert listed == sorted(listed) and set(ids) <= set(listed)
    assert page["count"] == len(listed)
    after = first["created_at"].replace("+00:00", "Z")
    _, recent = call("GET", f"{service.api}/runs?created_after={after}&sort=-id")
    assert [r["id"] for r in recent["data"]][-3:] == ids[::-1]
    _, none = call("GET", f"{service.api}/runs?created_before=2000-01-01T00:00:00")
    assert none == {"data": [], "count": 0}
    _, other = call("GET", f"{service.api}/runs?target=nowhere.example")
    assert other["count"] == 0


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "reason"),
    [
        ("POST", "/runs", {"target_url": "http://127.0.0.1:9/", "users": 0}, "users", "greater"),
        ("POST", "/runs", {"users": 1}, "target_url", "required"),
        ("POST", "/runs", {"target_url": "http://127.0.0.1:9/", "users": 51}, "users", "limit"),
        (
            "POST",
            "/runs",
            {"target_url": "http://localhost:9/", "users": 1},
            "target_url",
            "allowed",
        ),
        ("GET", "/runs?limit=0", None, "limit", "greater"),
        ("GET", "/runs?sort=options", None, "sort", "Input should be"),
        ("GET", "/runs/0", None, "run_id", "greater"),
        ("GET", "/runs/1/metrics?since=x", None, "since", "integer"),
    ],
)
def test_invalid_requests_are_422_with_field_and_reason(
    service: Served, method: str, path: str, body: Any, field: str, reason: str
) -> None:
    status, payload = call(method, service.api + path, body)
    assert status == 422, payload
    assert any(d["field"] == field and reason in d["reason"] for d in payload["detail"]), payload


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", ""),
        ("GET", "/result"),
        ("GET", "/flows"),
        ("PUT", "/flows"),
        ("GET", "/events"),
        ("GET", "/metrics"),
        ("POST", "/cancel"),
        ("DELETE", ""),
    ],
)
def test_unknown_runs_are_404(service: Served, tiny: TinyTarget, method: str, suffix: str) -> None:
    body = tiny.flowset().model_dump(mode="json") if method == "PUT" else None
    status, payload = call(method, f"{service.api}/runs/2000000000{suffix}", body)
    assert status == 404 and "2000000000" in payload["detail"]


def test_probes_and_prometheus_metrics(service: Served) -> None:
    assert call("GET", f"{service.base}/healthz") == (
        200,
        call("GET", f"{service.base}/healthz")[1],
    )
    status, ready = call("GET", f"{service.base}/readyz")
    assert status == 200 and ready["checks"] == {"database": "ok", "queue": "ok"}
    status, text = call("GET", f"{service.base}/metrics")
    assert status == 200 and isinstance(text, str)
    assert "# TYPE loadscout_runs gauge" in text
    assert 'loadscout_runs{status="completed"}' in text
    assert "loadscout_active_runs " in text


def test_openapi_has_examples_and_docs_are_served(service: Served) -> None:
    status, spec = call("GET", f"{service.api}/openapi.json")
    assert status == 200
    paths = spec["paths"]
    for path in ("/api/v1/runs/{run_id}/events", "/api/v1/runs/{run_id}/metrics", "/metrics"):
        assert path in paths
    assert "put" in paths["/api/v1/runs/{run_id}/flows"]
    schemas = spec["components"]["schemas"]
    assert schemas["RunCreate"]["examples"] and schemas["MetricPoint"]["examples"]
    assert {"field", "reason"} <= set(schemas["ValidationIssue"]["properties"])
    status, page = call("GET", f"{service.base}/api/docs")
    assert status == 200 and "swagger" in page.lower()
