"""``run --server``: the options as the API's body, the server's refusals as ``run``'s exit
codes, and whole runs on a real ``loadscout serve`` against a real target."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from loadscout.api.schemas import RunCreate
from loadscout.cli import commands
from loadscout.cli.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, EXIT_THRESHOLDS
from loadscout.cli.load_options import load_options
from loadscout.cli.remote import detail_text, refusal, server_base
from loadscout.cli.remote_body import LOCAL_FILE_OPTIONS, run_body
from loadscout.errors import BadInput, RunFailed
from loadscout.files.flows_file import save_flowset
from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.orchestrator.options import DiscoveryOptions, LoadOptions, RunOptions
from tests.api.serve import Served, fresh_database, serving
from tests.orchestrator.tiny_target import TinyTarget, tiny_target
from tests.utils.processes import free_port

TARGET = "http://127.0.0.1:9/"


def _flowset(target: str = TARGET, **load: Any) -> FlowSet:
    steps = [Step(name="GET /item", url="/item")]
    return FlowSet(
        target_url=target,
        flows=[Flow(name="item", steps=steps)],
        load=LoadOptions.model_validate(load) if load else None,
    )


def _cli_load(**given: Any) -> LoadOptions:
    """LoadOptions as ``run``'s command line makes them: only what was given is set."""
    fields: dict[str, Any] = {
        "users": None,
        "duration": None,
        "ramp_up": None,
        "think": None,
        "stages": None,
        "arrival_rate": None,
        "max_users": None,
        "shape": None,
        "thresholds": None,
        "abort_on_fail": False,
        "workers": None,
        "pacing": None,
        "assets": False,
        "scope": None,
    }
    return load_options(**{**fields, **given})


# ---- the body ------------------------------------------------------------------------------


def test_body_holds_what_was_given_and_the_flowset() -> None:
    flowset = _flowset(users=7, duration_s=30)
    options = RunOptions(
        target_url=TARGET,
        load=_cli_load(duration="5s", thresholds=["p95<500"], think="0.1s-0.2s"),
        flowset=flowset,
    )
    body = run_body(options)
    assert body["users"] == 7  # the flows file's, as a run here would have
    assert body["duration_s"] == 5  # the command line wins over the flows file
    assert body["thresholds"] == ["p95<500"]
    assert (body["think_time_min_s"], body["think_time_max_s"]) == (0.1, 0.2)
    assert "stages" not in body
    assert "arrival_rate" not in body
    assert FlowSet.model_validate(body["flowset"]) == flowset
    # the server reads the very run this command would run here
    assert RunCreate.model_validate(body).to_options().plan() == options.plan()


def test_body_users_from_the_command_line_win() -> None:
    options = RunOptions(
        target_url=TARGET, load=_cli_load(users=3), flowset=_flowset(users=7, duration_s=30)
    )
    body = run_body(options)
    assert body["users"] == 3
    assert "duration_s" not in body  # not given: the flows file's still applies on the server
    on_server = RunCreate.model_validate(body).to_options().plan()
    assert on_server == options.plan()
    assert on_server.profile.duration_s == 30


def test_body_for_a_discovery_sends_its_options_and_the_password() -> None:
    discovery = DiscoveryOptions(
        max_pages=12,
        max_time_s=40,
        login_url=f"{TARGET}login",
        username="ann",
        password=SecretStr("s3cret"),
    )
    options = RunOptions(target_url=TARGET, load=_cli_load(stages="5s:2,5s:0"), discovery=discovery)
    body = run_body(options)
    assert "flowset" not in body
    assert body["max_pages"] == 12
    assert body["max_discovery_s"] == 40  # the API's name for --max-time
    assert body["password"] == "s3cret"  # in clear: the server needs it to log in
    assert body["stages"] == "5s:2,5s:0"
    assert RunCreate.model_validate(body).to_options().plan() == options.plan()


@pytest.mark.parametrize(("field", "flag"), sorted(LOCAL_FILE_OPTIONS.items()))
def test_body_refuses_files_on_this_machine(field: str, flag: str) -> None:
    options = RunOptions(
        target_url=TARGET, discovery=DiscoveryOptions.model_validate({field: "users.csv"})
    )
    with pytest.raises(BadInput, match=f"^{flag} names a file on this machine"):
        run_body(options)


def test_a_file_option_is_refused_before_any_request(tmp_path: Path) -> None:
    flows = tmp_path / "flows.yaml"
    save_flowset(_flowset(), flows)
    nowhere = f"http://127.0.0.1:{free_port()}"
    args = ["run", "--flows", str(flows), "--server", nowhere, "--credentials", "users.csv"]
    outcome = CliRunner().invoke(commands.app, args, env={"COLUMNS": "200"})
    assert outcome.exit_code == EXIT_BAD_INPUT
    assert "--credentials names a file on this machine" in outcome.output


# ---- the server's answers ------------------------------------------------------------------


def test_server_base() -> None:
    assert server_base("https://ls.example.com/") == "https://ls.example.com"
    assert server_base(" http://127.0.0.1:8000/api/v1 ") == "http://127.0.0.1:8000"
    assert server_base("https://example.com/loadscout") == "https://example.com/loadscout"
    with pytest.raises(BadInput, match=r"^--server 'ls\.example\.com' is not a server address"):
        server_base("ls.example.com")


def test_detail_text() -> None:
    assert detail_text({"detail": "run 3 does not exist"}) == "run 3 does not exist"
    issues = [{"field": "users", "reason": "at most 50 users", "loc": ["body", "users"]}]
    assert detail_text({"detail": issues}) == "users: at most 50 users"
    assert detail_text("<html>\n  Bad   gateway</html>") == "<html> Bad gateway</html>"


@pytest.mark.parametrize(
    ("status", "token_sent", "kind", "message"),
    [
        (401, True, BadInput, "the server refused the token (expired, revoked or wrong): nope"),
        (401, False, BadInput, "https://ls needs an API token: set LOADSCOUT_TOKEN"),
        (403, True, BadInput, "the server does not let this token start the run: nope"),
        (404, True, BadInput, "https://ls answered 404 Not Found when asked to start the run"),
        (302, True, BadInput, "https://ls redirects to nope; give that address as --server"),
        (422, True, BadInput, "the server refused to start the run: nope"),
        (429, True, RunFailed, "the server will not start the run now: nope"),
        (502, True, RunFailed, "the server failed to start the run: HTTP 502 nope"),
    ],
)
def test_refusal(status: int, token_sent: bool, kind: type[Exception], message: str) -> None:
    err = refusal(status, "nope", what="start the run", server="https://ls", token_sent=token_sent)
    assert type(err) is kind
    assert str(err).startswith(message), str(err)


# ---- whole runs on a real server -----------------------------------------------------------


@pytest.fixture(scope="module")
def target() -> Iterator[TinyTarget]:
    with tiny_target() as tiny:
        yield tiny


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("remote")
    with fresh_database("sqlite", folder) as url, serving(url, folder) as served:
        yield served
        print(served.log.read_text())  # shown when a test of the module failed


@pytest.fixture
def flows(target: TinyTarget, tmp_path: Path) -> Path:
    path = tmp_path / "flows.yaml"
    save_flowset(_flowset(target.url), path)
    return path


def _command(server: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "loadscout", "run", "--server", server, *args]


def remote_run(
    server: str, *args: str, token: str, timeout_s: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(server, *args),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env={**os.environ, "LOADSCOUT_TOKEN": token, "COLUMNS": "200"},
        check=False,
    )


LIGHT = ("--users", "2", "--think-time", "0.05s")


def test_a_run_on_the_server_passes(
    server: Served, target: TinyTarget, flows: Path, tmp_path: Path
) -> None:
    before = target.hits["/item"]
    json_out, junit_out = tmp_path / "result.json", tmp_path / "junit.xml"
    done = remote_run(
        server.base,
        *("--flows", str(flows), *LIGHT, "--duration", "3s", "--threshold", "p95<5000"),
        *("--json-out", str(json_out), "--junit-out", str(junit_out)),
        token=server.token,
    )
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    result = json.loads(json_out.read_text())
    assert result["status"] == "completed"
    assert result["verdict"] == "passed"
    assert result["totals"]["requests"] > 10
    assert target.hits["/item"] - before == result["totals"]["requests"]
    assert 'failures="0"' in junit_out.read_text()
    assert f"on {server.base} against {target.url}" in done.stdout
    assert "loading" in done.stdout
    assert "completed" in done.stdout


def test_a_failed_threshold_exits_1(server: Served, flows: Path, tmp_path: Path) -> None:
    junit_out = tmp_path / "junit.xml"
    done = remote_run(
        server.base,
        *("--flows", str(flows), *LIGHT, "--duration", "1s", "--threshold", "rps>100000"),
        *("--junit-out", str(junit_out)),
        token=server.token,
    )
    assert done.returncode == EXIT_THRESHOLDS, done.stdout + done.stderr
    junit = junit_out.read_text()
    assert 'failures="1"' in junit
    assert "rps&gt;100000" in junit


def test_ctrl_c_cancels_the_run_on_the_server(server: Served, flows: Path) -> None:
    with subprocess.Popen(
        _command(server.base, "--flows", str(flows), *LIGHT, "--duration", "60s"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LOADSCOUT_TOKEN": server.token, "COLUMNS": "200"},
    ) as proc:
        try:
            run = _wait_for_loading(server)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == EXIT_RUN_FAILED, out + err
    assert f"cancelling run {run['id']} on the server" in out
    assert _get(server, f"/runs/{run['id']}")["status"] == "cancelled"


def test_an_unreachable_server_exits_3(flows: Path) -> None:
    done = remote_run(f"http://127.0.0.1:{free_port()}", "--flows", str(flows), token="")
    assert done.returncode == EXIT_RUN_FAILED, done.stdout + done.stderr
    assert "cannot reach the loadscout server at http://127.0.0.1:" in done.stderr


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("wrong", "the server refused the token (expired, revoked or wrong)"),
        ("", "needs an API token: set LOADSCOUT_TOKEN"),
    ],
)
def test_a_refused_token_exits_2(server: Served, flows: Path, token: str, message: str) -> None:
    if server.token == "":
        pytest.skip("this server takes requests without a token")
    done = remote_run(server.base, "--flows", str(flows), *LIGHT, "--duration", "1s", token=token)
    assert done.returncode == EXIT_BAD_INPUT, done.stdout + done.stderr
    assert message in done.stderr


def _get(server: Served, path: str) -> Any:
    headers = {"authorization": f"Bearer {server.token}"} if server.token else {}
    request = urllib.request.Request(f"{server.api}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as resp:
        return json.loads(resp.read())


def _wait_for_loading(server: Served, timeout_s: float = 60) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for run in _get(server, "/runs?status=loading")["data"]:
            if _get(server, f"/runs/{run['id']}").get("live"):
                return run
        time.sleep(0.1)
    raise AssertionError("no run is loading")
