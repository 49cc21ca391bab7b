"""Page thumbnails over real HTTP: a server run writes them under its artifacts folder, the API
serves only the ones its discovery report lists, and deleting the run removes them."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loadscout.orchestrator.options import RunOptions, run_artifacts_dir
from loadscout.settings import Settings
from tests.api.test_runs_http import _call
from tests.utils.demo_server import DemoServer
from tests.utils.processes import serving


def _get_raw(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.headers.get("content-type", ""), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("content-type", ""), err.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``loadscout serve`` with its own database and artifacts folder: (base URL, artifacts)."""
    folder = tmp_path_factory.mktemp("shots")
    artifacts = folder / "artifacts"
    with serving(folder, LOADSCOUT_ARTIFACTS_DIR=str(artifacts)) as base:
        yield base, artifacts


def _finished_run(base: str, target: str) -> dict[str, Any]:
    status, run = _call(
        "POST",
        f"{base}/api/v1/runs",
        {"target_url": target, "users": 1, "duration_s": 1, "max_pages": 4, "max_depth": 1},
    )
    assert status == 201, run
    deadline = time.monotonic() + 90
    detail: dict[str, Any] = {}
    while time.monotonic() < deadline:
        _, detail = _call("GET", f"{base}/api/v1/runs/{run['id']}")
        if detail["status"] in ("completed", "failed", "cancelled") and detail["summary"]:
            return detail
        time.sleep(0.2)
    raise AssertionError(f"run {run['id']} did not finish: {detail}")


@pytest.mark.browser
def test_screenshots_are_served_and_only_listed_names(
    served: tuple[str, Path], demo_shop: DemoServer
) -> None:
    base, artifacts = served
    run = _finished_run(base, demo_shop.url)
    shots = run["summary"]["discovery"]["screenshots"]
    assert shots, run["summary"]["discovery"]
    folder = artifacts / "runs" / str(run["id"]) / "screenshots"
    assert all(Path(p).parent == folder for p in shots)

    name = Path(shots[0]).name
    status, kind, body = _get_raw(f"{base}/api/v1/runs/{run['id']}/screenshots/{name}")
    assert status == 200 and kind == "image/png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n") and body == Path(shots[0]).read_bytes()

    (artifacts / "runs" / str(run["id"]) / "secret.png").write_bytes(b"\x89PNG not listed")
    for bad in (
        "nope.png",
        "secret.png",
        "..%2Fsecret.png",
        "..%2F..%2F..%2Fl.db",
        "%2Fetc%2Fpasswd",
    ):
        status, _, body = _get_raw(f"{base}/api/v1/runs/{run['id']}/screenshots/{bad}")
        assert status == 404, (bad, body[:200])
        assert b"PNG" not in body
    status, _, _ = _get_raw(f"{base}/api/v1/runs/999999/screenshots/{name}")
    assert status == 404

    status, _ = _call("DELETE", f"{base}/api/v1/runs/{run['id']}")
    assert status == 204
    assert not folder.parent.exists()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"database_url": "sqlite+aiosqlite:////srv/ls/l.db"}, Path("/srv/ls/artifacts")),
        (
            {"database_url": "sqlite+aiosqlite:////srv/ls/l.db", "artifacts_dir": "/data/a"},
            Path("/data/a"),
        ),
        (
            {"database_url": "postgresql+asyncpg://u@127.0.0.1/ls"},
            Path.home() / ".local/share/loadscout/artifacts",
        ),
    ],
)
def test_artifacts_root_defaults_beside_the_sqlite_database(
    env: dict[str, str], expected: Path
) -> None:
    assert Settings(**env).artifacts_root() == expected  # type: ignore[arg-type]


def test_server_chosen_screenshots_dir_wins_over_the_option() -> None:
    options = RunOptions.from_document(
        {"target_url": "http://127.0.0.1:1/", "users": 1, "screenshots_dir": "/etc"}
    )
    folder = run_artifacts_dir(Path("/srv/a"), 7) / "screenshots"
    spec = options.spec("7", chromium_path=None, screenshots_dir=folder)
    assert spec.discovery is not None
    assert spec.discovery.screenshots_dir == "/srv/a/runs/7/screenshots"
    plain = options.spec("7", chromium_path=None)
    assert plain.discovery is not None and plain.discovery.screenshots_dir == "/etc"
