from pathlib import Path

import pytest

from loadscout.errors import FlowsFileError
from loadscout.files.flows_file import load_flowset, save_flowset
from loadscout.flows.io import dumps_flowset, loads_flowset, parse_flowset
from loadscout.flows.model import Extractor, Flow, FlowSet, Step


def _flowset() -> FlowSet:
    login_page = Step(
        name="GET /login",
        url="/login",
        extract=[
            Extractor(
                name="csrf", source="css", expression='form[action="/login"] input[name=csrf_token]'
            )
        ],
    )
    login = Step(
        name="POST /login",
        method="POST",
        url="/login",
        kind="form",
        form={"csrf_token": "${csrf}", "username": "alice"},
        expect_status=303,
    )
    return FlowSet(
        target_url="http://127.0.0.1:1/", flows=[Flow(name="login", steps=[login_page, login])]
    )


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    save_flowset(_flowset(), path)
    assert load_flowset(path) == _flowset()
    assert "${csrf}" in path.read_text()


def test_unreadable_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FlowsFileError, match=r"cannot read flows file .*missing\.yaml"):
        load_flowset(tmp_path / "missing.yaml")


def test_bad_yaml_is_one_line() -> None:
    with pytest.raises(FlowsFileError, match="not valid YAML") as info:
        loads_flowset("flows: [unclosed")
    assert "\n" not in str(info.value)


def test_validation_error_points_at_field() -> None:
    text = dumps_flowset(_flowset()).replace("method: POST", "method: FETCH")
    with pytest.raises(FlowsFileError, match=r"flows\.0\.steps\.1\.method"):
        loads_flowset(text)


def test_unknown_version_rejected() -> None:
    text = dumps_flowset(_flowset()).replace("version: 2", "version: 9")
    with pytest.raises(FlowsFileError, match="unsupported flows format version 9"):
        loads_flowset(text)


def test_not_a_mapping() -> None:
    with pytest.raises(FlowsFileError, match="expected a mapping"):
        loads_flowset("- just a list")


def test_duplicate_flow_names_rejected() -> None:
    data = _flowset().model_dump(mode="json")
    data["flows"].append(data["flows"][0])
    with pytest.raises(FlowsFileError, match="repeated: login"):
        parse_flowset(data)


def test_yaml_aliases_are_refused_before_they_can_expand() -> None:
    bomb = (
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "version: 2\ntarget_url: http://127.0.0.1:9/\n"
        "flows: [{name: f, steps: [{name: s, url: /, method: POST, json_body: *b}]}]\n"
    )
    with pytest.raises(FlowsFileError, match=r"YAML aliases \(\*a\) are not allowed"):
        loads_flowset(bomb)


def test_an_oversized_flows_file_is_refused_unread(tmp_path: Path) -> None:
    from loadscout.files.flows_file import MAX_FLOWS_FILE_BYTES, load_flowset

    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_FLOWS_FILE_BYTES + 1)
    with pytest.raises(FlowsFileError, match="the limit is"):
        load_flowset(big)
