"""Report downloads over real HTTP: JSON, CSV and HTML of a finished run, 404s and 409s."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from tests.api.serve import Served, call
from tests.orchestrator.tiny_target import TinyTarget

FINAL = ("completed", "failed", "cancelled")


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


@pytest.fixture(scope="module")
def finished(service: Served, tiny: TinyTarget) -> int:
    """One completed run the tests read reports of."""
    status, run = call("POST", f"{service.api}/runs", tiny.run_body(duration_s=1.5))
    assert status == 201, run
    done = service.wait_for(run["id"], FINAL)
    assert done["status"] == "completed", done["reason"]
    return int(run["id"])


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("html", "text/html"),
        ("xml", "application/xml"),
    ],
)
def test_each_format_downloads_as_an_attachment(
    service: Served, finished: int, fmt: str, media: str
) -> None:
    status, headers, body = _get(f"{service.api}/runs/{finished}/report.{fmt}")
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == media
    assert headers["content-disposition"] == (
        f'attachment; filename="loadscout-run-{finished}.{fmt}"'
    )
    text = body.decode("utf-8")
    if fmt == "json":
        assert json.loads(text)["totals"]["requests"] > 0
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text.split("\r\n\r\n")[0])))
        assert [(r["flow"], r["step"]) for r in rows] == [
            ("browse", "GET /"),
            ("browse", "GET /item"),
            ("TOTAL", ""),
        ]
        assert int(rows[-1]["requests"]) == int(rows[0]["requests"]) + int(rows[1]["requests"])
    elif fmt == "xml":  # JUnit, for CI
        suite = ET.fromstring(text).find("testsuite")
        assert suite is not None and suite.get("failures") == "0"
        assert [c.get("name") for c in suite.iter("testcase")] == ["browse"]
    else:
        assert text.startswith("<!doctype html>") and f"Run #{finished}" in text


def test_the_json_report_is_the_result(service: Served, finished: int) -> None:
    _, _, body = _get(f"{service.api}/runs/{finished}/report.json")
    _, result = call("GET", f"{service.api}/runs/{finished}/result")
    assert json.loads(body) == result


def test_unknown_run_and_format(service: Served, finished: int) -> None:
    status, _, body = _get(f"{service.api}/runs/987654/report.csv")
    assert status == 404 and json.loads(body)["detail"] == "run 987654 does not exist"
    status, _, _ = _get(f"{service.api}/runs/{finished}/report.pdf")
    assert status == 422


def test_a_run_without_a_result_is_409(service: Served, tiny: TinyTarget) -> None:
    status, run = call("POST", f"{service.api}/runs", tiny.run_body(duration_s=60))
    assert status == 201, run
    try:
        service.wait_for(run["id"], ("loading",))
        status, _, body = _get(f"{service.api}/runs/{run['id']}/report.html")
        assert status == 409
        assert json.loads(body)["detail"] == (
            f"run {run['id']} is loading; its report exists once it finishes"
        )
    finally:
        call("POST", f"{service.api}/runs/{run['id']}/cancel")
        service.wait_for(run["id"], FINAL, timeout_s=10)
