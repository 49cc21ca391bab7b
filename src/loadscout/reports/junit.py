"""The result as JUnit XML, the test-report format every CI system renders (GitHub Actions
via a reporter action, GitLab CI via ``artifacts:reports:junit``).

One test suite per run; one test case per threshold (failed when it failed) and one per flow
(failed when any of its requests failed), so a CI page lists exactly what went wrong.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from loadscout.metrics.summary import RunSummary
from loadscout.status import RunStatus

SUITE = "loadscout"


def junit_text(summary: RunSummary) -> str:
    """The whole XML document (UTF-8, with declaration)."""
    cases = _threshold_cases(summary) + _flow_cases(summary)
    failures = sum(1 for c in cases if c.find("failure") is not None)
    suites = ET.Element("testsuites", name=SUITE)
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"{SUITE} run {summary.run_id}: {summary.target_url}",
        tests=str(len(cases)),
        failures=str(failures),
        errors="0" if summary.status == RunStatus.COMPLETED else "1",
        time=f"{summary.duration_s:.3f}",
    )
    if summary.finished_at is not None:
        suite.set("timestamp", summary.finished_at.isoformat())
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("status", summary.status),
        ("verdict", "" if summary.verdict is None else str(summary.verdict)),
        ("requests", str(summary.totals.requests)),
        ("rps", f"{summary.totals.rps:g}"),
    ):
        ET.SubElement(props, "property", name=name, value=value)
    suite.extend(cases)
    if summary.status != RunStatus.COMPLETED:
        case = ET.SubElement(suite, "testcase", classname=f"{SUITE}.run", name="run finished")
        ET.SubElement(case, "error", message=summary.reason or summary.status)
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _threshold_cases(summary: RunSummary) -> list[ET.Element]:
    cases = []
    for th in summary.thresholds:
        case = ET.Element("testcase", classname=f"{SUITE}.thresholds", name=th.expression)
        if not th.passed:
            failure = ET.SubElement(
                case, "failure", message=f"{th.expression}: observed {th.observed_text}"
            )
            failure.text = f"threshold {th.expression} failed; observed {th.observed_text}"
        cases.append(case)
    return cases


def _flow_cases(summary: RunSummary) -> list[ET.Element]:
    flows: dict[str, tuple[int, int]] = {}
    for step in summary.steps:
        requests, errors = flows.get(step.flow, (0, 0))
        flows[step.flow] = (requests + step.requests, errors + step.errors)
    cases = []
    for flow, (requests, errors) in flows.items():
        case = ET.Element("testcase", classname=f"{SUITE}.flows", name=flow)
        if errors:
            lines = [
                f"{e.step}: {e.kind} x{e.count}: {e.message or e.example}"
                + (f" ({e.url})" if e.url else "")
                for e in summary.errors
                if e.flow == flow
            ]
            failure = ET.SubElement(
                case, "failure", message=f"{errors:,} of {requests:,} requests failed"
            )
            failure.text = "\n".join(lines)
        cases.append(case)
    return cases


def write_junit(summary: RunSummary, path: Path) -> None:
    path.write_text(junit_text(summary), encoding="utf-8")
