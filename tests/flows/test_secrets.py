"""Passwords stay in memory: flows files and stored flows hold ``${secret.*}`` references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loadscout.errors import BadInput
from loadscout.files.credentials import resolve_secrets
from loadscout.flows.io import dumps_flowset, loads_flowset
from loadscout.flows.model import Flow, FlowSet, SetupCookie, Step
from loadscout.flows.secrets import needed_secrets, redact_secrets

SECRET = "Tr0ub4dor&3-unique"


def _flowset(rows: list[dict[str, str]], user_data_file: str | None = None) -> FlowSet:
    return FlowSet(
        target_url="http://127.0.0.1:1/",
        user_data=rows,
        user_data_file=user_data_file,
        flows=[Flow(name="f", steps=[Step(name="s", url="/")])],
    )


def test_secret_columns_are_redacted_and_others_kept() -> None:
    rows = [{"username": "ann", "password": SECRET, "api_token": "t0k", "city": "Paris"}]
    redacted = redact_secrets(_flowset(rows))
    assert redacted.user_data == [
        {
            "username": "ann",
            "password": "${secret.password}",
            "api_token": "${secret.api_token}",
            "city": "Paris",
        }
    ]
    assert needed_secrets(redacted) == ["api_token", "password"]


def test_a_written_flows_file_never_holds_the_password() -> None:
    text = dumps_flowset(_flowset([{"username": "ann", "password": SECRET}]))
    assert SECRET not in text and "${secret.password}" in text


def test_password_option_or_environment_fills_the_reference() -> None:
    loaded = loads_flowset(dumps_flowset(_flowset([{"username": "ann", "password": SECRET}])))
    assert resolve_secrets(loaded, password=SECRET, environ={}).user_data[0]["password"] == SECRET
    env = {"LOADSCOUT_PASSWORD": SECRET}
    assert resolve_secrets(loaded, environ=env).user_data[0]["password"] == SECRET


def test_each_row_takes_its_own_password_from_the_credentials_file(tmp_path: Path) -> None:
    csv = tmp_path / "users.csv"
    csv.write_text("username,pwd\nann,pw-ann\nbob,pw-bob\n")
    rows = [{"username": "ann", "pwd": "pw-ann"}, {"username": "bob", "pwd": "pw-bob"}]
    stored = redact_secrets(_flowset(rows, user_data_file=str(csv)))
    resolved = resolve_secrets(stored, environ={})  # the file the flows name
    assert [r["pwd"] for r in resolved.user_data] == ["pw-ann", "pw-bob"]
    moved = tmp_path / "moved.csv"
    csv.rename(moved)
    again = resolve_secrets(stored, credentials_file=moved, environ={})  # given again
    assert [r["pwd"] for r in again.user_data] == ["pw-ann", "pw-bob"]


def test_a_missing_secret_names_the_options_to_give(tmp_path: Path) -> None:
    stored = redact_secrets(_flowset([{"username": "ann", "password": SECRET}]))
    with pytest.raises(BadInput, match=r"--password or set LOADSCOUT_PASSWORD"):
        resolve_secrets(stored, environ={})
    gone = str(tmp_path / "gone.csv")
    stored = redact_secrets(_flowset([{"username": "ann", "password": SECRET}], gone))
    with pytest.raises(BadInput, match=r"give --credentials CSV \(the flows file names .*gone"):
        resolve_secrets(stored, environ={})


def test_flows_without_references_are_returned_as_they_are() -> None:
    plain = _flowset([{"username": "ann", "password": SECRET}])
    assert resolve_secrets(plain, environ={}) is plain


def _state_file(folder: Path, value: str) -> Path:
    path = folder / "state.json"
    cookie = {"name": "sid", "value": value, "domain": "127.0.0.1", "path": "/"}
    path.write_text(json.dumps({"cookies": [cookie], "origins": []}))
    return path


def test_storage_state_cookies_are_read_again_at_run_time(tmp_path: Path) -> None:
    state = _state_file(tmp_path, SECRET)
    flowset = _flowset([]).model_copy(
        update={
            "setup_cookies": [SetupCookie(name="sid", value=SECRET)],
            "storage_state_file": str(state),
        }
    )
    written = dumps_flowset(flowset)
    assert SECRET not in written
    restored = loads_flowset(written)
    assert resolve_secrets(restored).setup_cookies == [SetupCookie(name="sid", value=SECRET)]
    fresher = _state_file(tmp_path / "..", "renewed")  # --storage-state given again wins
    again = resolve_secrets(restored, storage_state_file=str(fresher))
    assert again.setup_cookies[0].value == "renewed"


def test_a_missing_storage_state_stops_the_run_naming_the_option(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.json")
    flowset = _flowset([]).model_copy(
        update={"setup_cookies": [SetupCookie(name="sid", value="x")], "storage_state_file": gone}
    )
    with pytest.raises(BadInput, match="--storage-state FILE again"):
        resolve_secrets(redact_secrets(flowset))
