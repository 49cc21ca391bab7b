"""The JUnit report parses as XML, with a case per threshold and per flow."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from loadscout.metrics.summary import StepSummary
from loadscout.reports.formats import REPORTS, format_of, report_filename
from loadscout.reports.junit import junit_text
from tests.utils.factories import make_run_summary


def test_a_case_per_threshold_and_flow_failures_for_what_failed() -> None:
    root = ET.fromstring(junit_text(make_run_summary()))
    (suite,) = root.findall("testsuite")
    cases = {(c.get("classname"), c.get("name")): c for c in suite.findall("testcase")}
    assert set(cases) == {
        ("loadscout.thresholds", "p95 < 500"),
        ("loadscout.thresholds", "error_rate < 0.01"),
        ("loadscout.flows", "browse"),
        ("loadscout.flows", "buy"),
    }
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "0")
    assert cases[("loadscout.thresholds", "p95 < 500")].find("failure") is None
    failed = cases[("loadscout.thresholds", "error_rate < 0.01")].find("failure")
    assert failed is not None and failed.get("message") == "error_rate < 0.01: observed 1.20%"
    assert cases[("loadscout.flows", "browse")].find("failure") is None
    buy = cases[("loadscout.flows", "buy")].find("failure")
    assert buy is not None and buy.get("message") == "12 of 400 requests failed"
    assert "POST /cart: http_500 x10: HTTP 500 (expected 2xx) (/cart)" in (buy.text or "")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["verdict"] == "thresholds_failed"


def test_a_failed_run_is_an_error_and_text_is_escaped() -> None:
    evil = '<x a="&">'
    summary = make_run_summary(
        status="failed",
        reason=evil,
        thresholds=[],
        steps=[StepSummary(flow=evil, name="s", method="GET", url="/", requests=1)],
    )
    root = ET.fromstring(junit_text(summary))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("errors") == "1"
    names = [c.get("name") for c in suite.iter("testcase")]
    assert names == [evil, "run finished"]
    error = suite.find("testcase/error")
    assert error is not None and error.get("message") == evil


def test_registered_as_a_format_with_an_xml_file() -> None:
    assert format_of("xml") == "junit" and format_of("csv") == "csv"
    assert report_filename(3, "junit") == "loadscout-run-3.xml"
    assert REPORTS["junit"].media_type == "application/xml"
