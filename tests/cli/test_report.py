"""``loadscout report``: a stored run's result from a real SQLite database, in each format."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from loadscout.metrics.summary import RunSummary
from loadscout.store.database import open_database
from loadscout.store.runs import RunRepository
from tests.utils.factories import make_run_summary
from tests.utils.processes import loadscout


async def _store(db: Path, summary: RunSummary | None) -> int:
    """A run in the database; finished with ``summary``, or still queued without one."""
    async with open_database(f"sqlite+aiosqlite:///{db}") as sessions:
        repo = RunRepository(sessions)
        record = await repo.create(
            target_url=summary.target_url if summary else "http://127.0.0.1:8001/",
            users=20,
            duration_s=60,
            options={},
        )
        if summary is not None:
            await repo.save_result(record.id, summary.model_copy(update={"run_id": str(record.id)}))
        return record.id


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "db.sqlite"
    return db, asyncio.run(_store(db, make_run_summary()))


def test_json_to_stdout_is_the_result(stored: tuple[Path, int]) -> None:
    db, run_id = stored
    proc = loadscout("report", str(run_id), db=db, timeout_s=60)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["run_id"] == str(run_id) and result["totals"]["requests"] == 1000


def test_csv_to_a_file(stored: tuple[Path, int], tmp_path: Path) -> None:
    db, run_id = stored
    out = tmp_path / "r.csv"
    proc = loadscout("report", str(run_id), "--format", "csv", "--out", str(out), db=db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and f"wrote {out}" in proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode().split("\r\n\r\n")[0])))
    assert [r["flow"] for r in rows] == ["browse", "buy", "TOTAL"]


def test_html(stored: tuple[Path, int]) -> None:
    db, run_id = stored
    proc = loadscout("report", str(run_id), "-f", "html", db=db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("<!doctype html>") and f"Run #{run_id}" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "99"], "error: run 99 does not exist"),
        (["report", "1", "--format", "xml"], "xml"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    stored: tuple[Path, int], args: list[str], message: str
) -> None:
    proc = loadscout(*args, db=stored[0])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert message in proc.stderr


def test_an_unfinished_run_has_no_report(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    run_id = asyncio.run(_store(db, None))
    proc = loadscout("report", str(run_id), db=db)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"error: run {run_id} is queued; its report exists once it finishes"
    )


def test_an_unwritable_out_is_bad_input(stored: tuple[Path, int], tmp_path: Path) -> None:
    db, run_id = stored
    proc = loadscout("report", str(run_id), "--out", str(tmp_path / "no" / "r.json"), db=db)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --out ")
