"""The CSV report: a per-step table with a totals row, then the thresholds, parseable by csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loadscout.metrics.summary import StepSummary
from loadscout.reports.csv_report import STEP_COLUMNS, THRESHOLD_COLUMNS, csv_text, write_csv
from tests.utils.factories import make_run_summary


def _sections(text: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    steps_part, thresholds_part = text.split("\r\n\r\n")
    return (
        list(csv.DictReader(io.StringIO(steps_part))),
        list(csv.DictReader(io.StringIO(thresholds_part))),
    )


def test_one_row_per_step_then_totals() -> None:
    text = csv_text(make_run_summary())
    assert text.splitlines()[0] == ",".join(STEP_COLUMNS)
    steps, _ = _sections(text)
    assert [(r["flow"], r["step"]) for r in steps] == [
        ("browse", "GET /"),
        ("buy", "POST /cart"),
        ("TOTAL", ""),
    ]
    buy = steps[1]
    assert buy["method"] == "POST" and buy["url"] == "/cart"
    assert (buy["requests"], buy["errors"], buy["error_rate"]) == ("400", "12", "0.03")
    assert buy["rps"] == "6.667"  # 400 requests over the 60 s run
    assert [buy[c] for c in ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms")] == [
        "3",
        "8.5",
        "12",
        "24.25",
        "80",
    ]
    total = steps[2]
    assert (total["requests"], total["error_rate"], total["rps"]) == ("1000", "0.012", "16.5")
    assert total["p99_ms"] == "18.188"


def test_thresholds_follow_with_their_verdicts() -> None:
    text = csv_text(make_run_summary())
    _, thresholds = _sections(text)
    assert list(thresholds[0]) == list(THRESHOLD_COLUMNS)
    assert [(r["threshold"], r["passed"], r["observed"]) for r in thresholds] == [
        ("p95 < 500", "pass", "9"),
        ("error_rate < 0.01", "fail", "0.012"),
    ]


def test_commas_and_quotes_in_names_are_quoted() -> None:
    step = StepSummary(flow="a,b", name='GET /q?x="1",y', method="GET", url="/q", requests=1)
    steps, _ = _sections(csv_text(make_run_summary(steps=[step], thresholds=[])))
    assert (steps[0]["flow"], steps[0]["step"]) == ("a,b", 'GET /q?x="1",y')


def test_a_run_without_load_time_has_zero_rates() -> None:
    step = StepSummary(flow="f", name="s", method="GET", url="/", requests=0)
    steps, _ = _sections(csv_text(make_run_summary(steps=[step], duration_s=0.0)))
    assert (steps[0]["rps"], steps[0]["error_rate"]) == ("0", "0")


def test_write_csv_keeps_the_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    write_csv(make_run_summary(), path)
    assert path.read_bytes() == csv_text(make_run_summary()).encode()
    assert b"\r\n" in path.read_bytes()
