"""Credentials CSV, --data files, and how they become user_data rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadscout.discovery.engine import merge_data_columns, user_rows
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.userdata import login_columns, read_csv_rows, read_data_file
from loadscout.errors import BadInput

URL = "http://127.0.0.1:8000/"


def test_credentials_csv_gives_rows_and_templates(tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("email,pass,team\nuser1,password1,a\n user2 ,password2,b\n")
    options = DiscoveryConfig(start_url=URL, login_url=URL + "login", credentials_file=str(path))
    rows, creds = user_rows(options)
    assert rows == [
        {"email": "user1", "pass": "password1", "team": "a"},
        {"email": "user2", "pass": "password2", "team": "b"},
    ]
    assert creds is not None
    assert (creds.username, creds.password) == ("user1", "password1")
    assert (creds.username_template, creds.password_template) == ("${user.email}", "${user.pass}")


def test_credentials_need_recognisable_columns(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="username and a password column"):
        login_columns(["name", "secret_word"])
    empty = tmp_path / "empty.csv"
    empty.write_text("username,password\n")
    with pytest.raises(BadInput, match="no data rows"):
        read_csv_rows(empty)


def test_login_options_are_checked_together() -> None:
    with pytest.raises(BadInput, match="give both --username and --password"):
        DiscoveryConfig(start_url=URL, login_url=URL, username="a")
    with pytest.raises(BadInput, match="need --login-url"):
        DiscoveryConfig(start_url=URL, username="a", password="b")


def test_data_file_lists_become_per_user_columns(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text("email: [a@x.org, b@x.org, c@x.org]\n/checkout.postcode: '10115'\n")
    data = read_data_file(path)
    assert data == {"email": ["a@x.org", "b@x.org", "c@x.org"], "/checkout.postcode": "10115"}
    rows = merge_data_columns([{"username": "u1"}, {"username": "u2"}], data)
    assert rows == [
        {"username": "u1", "data_email": "a@x.org"},
        {"username": "u2", "data_email": "b@x.org"},
        {"username": "u1", "data_email": "c@x.org"},
    ]
    csv = tmp_path / "data.csv"
    csv.write_text("quantity\n2\n3\n")
    assert read_data_file(csv) == {"quantity": ["2", "3"]}
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(BadInput, match="must map field names"):
        read_data_file(bad)
