"""The malformed-input corpus, command-line side: a bad flag value or a bad flows file is
exit 2 with one ``error:`` line, never a traceback. A case that slipped through would replay
one second of load against the test's own target on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from loadscout.cli.commands import app
from tests.orchestrator.tiny_target import TinyTarget, tiny_target

RUN_FLAGS: dict[str, list[str]] = {
    "--users": ["0", "-3", "abc", "1.5", "inf", "nan", "99999999999999999999", "1000000"],
    "--duration": ["abc", "-1s", "inf", "nan", "1x", "", "1e400s"],
    "--ramp-up": ["abc", "-1s", "inf", "5s"],
    "--think-time": ["abc", "2-1", "-1", "inf", "nan", "1-inf"],
    "--stages": ["abc", "3s:inf", "3s:-1", "inf:3", "1s:1,abc", "", "5s:1000000"],
    "--arrival-rate": ["abc", "nan", "inf/s", "-1/s", "5/x", ""],
    "--max-users": ["0", "-1", "abc"],
    "--shape": ["nosuch", "{", "/no/such/shape.py"],
    "--threshold": ["p95<", "nonsense", "p95<abc", "p95<inf", "errors<nan"],
    "--workers": ["0", "-1", "abc", "100000"],
    "--pacing": ["-1s", "abc", "inf"],
    "--flows": ["/no/such/flows.yaml", "/"],
}
DISCOVER_FLAGS: dict[str, list[str]] = {
    "--max-pages": ["0", "-1", "abc"],
    "--max-depth": ["-1", "abc"],
    "--max-time": ["abc", "-1s", "inf"],
    "--scope": ["(", "[a-", "x" * 5_000],
    "--har": ["/no/such/file.har"],
    "--login-url": ["not a url", "ftp://127.0.0.1/"],
    "--credentials": ["/no/such/credentials.yaml"],
    "--storage-state": ["/no/such/state.json"],
    "--data": ["/no/such/data.csv"],
}
OTHER_COMMANDS = [
    ["report", "abc"],
    ["report", "-1"],
    ["report", "999999"],
    ["report", "1", "--format", "exe"],
    ["discover", "not a url"],
    ["discover", "ftp://127.0.0.1/"],
    ["run"],
    ["run", "http://127.0.0.1:9/", "--flows", "/no/such.yaml"],
    ["demo-target", "--port", "0"],
    ["demo-target", "--port", "70000"],
    ["serve", "--port", "abc"],
    ["nosuch-command"],
]
# flows-file fields, each replaced in a valid file by a bad value
FLOWS_FIELDS: dict[str, list[object]] = {
    "version": [0, 99, "abc", None],
    "target_url": [None, "", "not a url", 123, "ftp://127.0.0.1/"],
    "flows": ["abc", [{}], [{"name": "f"}], [{"name": "f", "steps": []}]],
    "flows.0.weight": [0, -1, float("inf"), float("nan"), "abc"],
    "flows.0.name": ["", None, []],
    "flows.0.steps.0.method": ["FETCH", "", 1],
    "flows.0.steps.0.url": ["", None, "http://a b\r\nX: 1"],
    "flows.0.steps.0.headers": ["abc", {"X": "a\r\nInjected: 1"}, {"X\nY": "1"}, {"X": []}],
    "flows.0.steps.0.expect_status": [99, 600, "abc", float("inf")],
    "flows.0.steps.0.think_time_s": [-1, float("inf"), float("nan"), "abc"],
    "flows.0.steps.0.extract": [
        "abc",
        [{"name": "1bad", "source": "css", "expression": "a"}],
        [{"name": "x", "source": "nosuch", "expression": "a"}],
        [{"name": "x", "source": "regex", "expression": "("}],
    ],
    "flows.0.steps.0.kind": ["nosuch", 1],
    "flows.0.steps.0.form": ["abc", [["only-a-name"]], 5],
    "flows.0.steps.0.no_such_field": [1],
    "load": [
        "abc",
        {"users": 0},
        {"users": float("inf")},
        {"stages": "3s:inf"},
        {"no_such_option": 1},
        {"workers": 100000},
    ],
    "user_data": ["abc", [1, 2]],
    "pools": ["abc", {"terms": "abc"}],
    "journeys": [
        "abc",
        [{"name": "j", "entry": "nosuch", "states": [{"name": "a", "pattern": "/"}]}],
        [
            {
                "name": "j",
                "entry": "a",
                "states": [
                    {"name": "a", "pattern": "/", "transitions": [{"to": "a", "probability": 1.5}]}
                ],
            }
        ],
        [{"name": "j", "entry": "a", "max_pages": 0, "states": [{"name": "a", "pattern": "/"}]}],
    ],
}


@pytest.fixture(scope="module")
def tiny() -> Iterator[TinyTarget]:
    with tiny_target() as target:
        yield target


@pytest.fixture(scope="module")
def valid_flows(tiny: TinyTarget) -> dict[str, object]:
    document: dict[str, object] = tiny.flowset().model_dump(mode="json", exclude_defaults=True)
    return document


def _invoke(args: list[str], tmp_path: Path) -> tuple[int, str]:
    env = {
        "LOADSCOUT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        "LOADSCOUT_ALLOWED_TARGETS": "127.0.0.1",
        "LOADSCOUT_LOAD_WORKERS": "0",
        "LOADSCOUT_CHROMIUM_PATH": str(tmp_path / "no-browser-here"),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(app, args, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: uncaught {result.exception!r}") from result.exception
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def _assert_refused(args: list[str], tmp_path: Path) -> None:
    code, output = _invoke(args, tmp_path)
    assert code == 2, (args, code, output)
    assert "Traceback" not in output, output


def _cases(flags: dict[str, list[str]]) -> list[object]:
    return [
        pytest.param(flag, value, id=f"{flag}={value[:20]}")
        for flag, values in flags.items()
        for value in values
    ]


@pytest.mark.parametrize(("flag", "value"), _cases(RUN_FLAGS))
def test_a_bad_run_flag_is_exit_2(
    flag: str, value: str, tiny: TinyTarget, valid_flows: dict[str, object], tmp_path: Path
) -> None:
    flows = tmp_path / "flows.yaml"
    flows.write_text(yaml.safe_dump(valid_flows))
    base = ["run", "--flows", str(flows), "--users", "1", "--duration", "1s"]
    _assert_refused([*base, flag, value] if flag != "--flows" else ["run", flag, value], tmp_path)


@pytest.mark.parametrize(("flag", "value"), _cases(DISCOVER_FLAGS))
def test_a_bad_discover_flag_is_exit_2(
    flag: str, value: str, tiny: TinyTarget, tmp_path: Path
) -> None:
    _assert_refused(
        ["discover", tiny.url, "--out", str(tmp_path / "f.yaml"), flag, value], tmp_path
    )


@pytest.mark.parametrize("args", OTHER_COMMANDS, ids=" ".join)
def test_a_bad_command_line_is_exit_2(args: list[str], tmp_path: Path) -> None:
    _assert_refused(args, tmp_path)


def _replaced(document: dict[str, object], path: str, value: object) -> dict[str, object]:
    copy = yaml.safe_load(yaml.safe_dump(document))
    *parents, last = path.split(".")
    node = copy
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    replaced: dict[str, object] = copy
    return replaced


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param(p, v, id=f"{p}={str(v)[:20]}")
        for p, values in FLOWS_FIELDS.items()
        for v in values
    ],
)
def test_a_bad_flows_file_field_is_exit_2(
    path: str, value: object, valid_flows: dict[str, object], tmp_path: Path
) -> None:
    flows = tmp_path / "flows.yaml"
    flows.write_text(yaml.safe_dump(_replaced(valid_flows, path, value)))
    _assert_refused(["run", "--flows", str(flows), "--users", "1", "--duration", "1s"], tmp_path)


def test_the_valid_flows_file_runs(valid_flows: dict[str, object], tmp_path: Path) -> None:
    """The corpus's base is sound: only the replaced field makes a case fail."""
    flows = tmp_path / "flows.yaml"
    flows.write_text(yaml.safe_dump(valid_flows))
    code, output = _invoke(
        ["run", "--flows", str(flows), "--users", "1", "--duration", "1s"], tmp_path
    )
    assert code == 0, output
