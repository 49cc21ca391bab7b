import json
from pathlib import Path

from loadscout.metrics.summary import RunSummary
from loadscout.reports.json_report import write_json
from tests.utils.contract import RESULT_KEYS
from tests.utils.factories import make_run_summary


def test_result_json_round_trips_with_the_contract_keys(tmp_path: Path) -> None:
    summary = make_run_summary()
    write_json(summary, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text())
    assert set(data) >= RESULT_KEYS
    assert set(data["totals"]["latency_ms"]) == {"p50", "p90", "p95", "p99", "max", "mean"}
    assert RunSummary.model_validate(data) == summary
