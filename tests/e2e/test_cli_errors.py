"""Bad input gets one clear line on stderr and exit code 2 — never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.utils.demo_server import DemoServer
from tests.utils.processes import free_port, loadscout


def _assert_bad_input(args: list[str], db: Path, *fragments: str) -> None:
    proc = loadscout(*args, db=db, timeout_s=60)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    message = proc.stderr.strip()
    assert message.startswith("error:"), message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    "url", ["not a url", "ftp://127.0.0.1/", "http://", "http://user:secret@127.0.0.1:9/"]
)
def test_malformed_url(url: str, tmp_path: Path) -> None:
    _assert_bad_input(["run", url, "--users", "1", "--duration", "1s"], tmp_path / "db.sqlite")


def test_unreachable_host(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    _assert_bad_input(["run", url, "--users", "1", "--duration", "1s"], tmp_path / "db.sqlite", url)


def test_non_html_start_page(demo_shop: DemoServer, tmp_path: Path) -> None:
    _assert_bad_input(["discover", demo_shop.url_for("/api/deals")], tmp_path / "db.sqlite", "HTML")


@pytest.mark.parametrize("users", ["0", "-3"])
def test_users_must_be_positive(users: str, demo_shop: DemoServer, tmp_path: Path) -> None:
    _assert_bad_input(["run", demo_shop.url, "--users", users], tmp_path / "db.sqlite", "--users")


def test_unreadable_flows_file(tmp_path: Path) -> None:
    _assert_bad_input(
        ["run", "--flows", str(tmp_path / "nope.yaml"), "--users", "1"],
        tmp_path / "db.sqlite",
        "nope.yaml",
    )


def test_invalid_flows_file(tmp_path: Path) -> None:
    bad = tmp_path / "flows.yaml"
    bad.write_text("version: 1\ntarget_url: http://127.0.0.1:1/\nflows: []\n")
    _assert_bad_input(["run", "--flows", str(bad), "--users", "1"], tmp_path / "db.sqlite", "flows")


def test_bad_duration(demo_shop: DemoServer, tmp_path: Path) -> None:
    _assert_bad_input(
        ["run", demo_shop.url, "--users", "1", "--duration", "soon"],
        tmp_path / "db.sqlite",
        "--duration",
    )


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [("--stages", "3s:inf", "finite"), ("--arrival-rate", "nan", "finite")],
)
def test_infinite_users_or_rates(
    option: str, value: str, fragment: str, demo_shop: DemoServer, tmp_path: Path
) -> None:
    args = ["run", demo_shop.url, "--users", "1", option, value]
    _assert_bad_input(args, tmp_path / "db.sqlite", fragment)


def test_db_upgrade_against_an_unreachable_database(tmp_path: Path) -> None:
    env_db = f"postgresql+asyncpg://u:secret-pw@127.0.0.1:{free_port()}/nowhere"
    proc = subprocess.run(
        [sys.executable, "-m", "loadscout", "db", "upgrade"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LOADSCOUT_DATABASE_URL": env_db},
        check=False,
    )
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip().startswith("error:") and "\n" not in proc.stderr.strip()
    assert "secret-pw" not in proc.stderr + proc.stdout  # the password is never printed
