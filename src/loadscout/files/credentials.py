"""Secrets filled in again before a run, from the files and the environment that hold them.

Before a run, :func:`resolve_secrets` fills each ``${secret.COLUMN}`` reference from the
credentials CSV (``--credentials`` again, else the flows file's ``user_data_file``), then from
``--password`` or the environment (``LOADSCOUT_PASSWORD``, generally ``LOADSCOUT_<COLUMN>``);
a reference nothing fills stops the run before it starts, naming the option to give. The values
of ``setup_cookies`` are read again from the storage-state file (``--storage-state`` again,
else ``storage_state_file``).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping
from pathlib import Path

from loadscout.errors import BadInput
from loadscout.files.storage_state import target_cookies
from loadscout.flows.model import FlowSet, SetupCookie
from loadscout.flows.secrets import (
    PASSWORD_COLUMN,
    REFERENCE,
    STORAGE_STATE_REFERENCE,
    needed_secrets,
)


def read_csv_rows(path: str | Path) -> list[dict[str, str]]:
    """Rows of a CSV with a header line; BadInput names what is wrong."""
    try:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            rows = [dict(r) for r in csv.DictReader(handle)]
    except OSError as err:
        raise BadInput(f"cannot read {path}: {err.strerror or err}") from None
    except (csv.Error, UnicodeDecodeError) as err:
        raise BadInput(f"{path} is not a readable CSV file: {err}") from None
    rows = [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in rows]
    if not rows:
        raise BadInput(f"{path} has no data rows (expected a header line, then one row per user)")
    return rows


def _env_name(column: str) -> str:
    return "LOADSCOUT_" + re.sub(r"[^A-Za-z0-9]", "_", column).upper()


def _given(column: str, password: str | None, environ: Mapping[str, str]) -> str | None:
    if password is not None and PASSWORD_COLUMN.search(column):
        return password
    return environ.get(_env_name(column))


def _file_rows(flowset: FlowSet, credentials_file: str | Path | None) -> list[dict[str, str]]:
    if credentials_file is not None:
        return read_csv_rows(credentials_file)
    if flowset.user_data_file is not None and Path(flowset.user_data_file).is_file():
        return read_csv_rows(flowset.user_data_file)
    return []


def _missing(column: str, flowset: FlowSet) -> BadInput:
    options = f"set {_env_name(column)}"
    if PASSWORD_COLUMN.search(column):
        options = f"--password or {options}"
    if flowset.user_data_file is not None:
        where = f"{flowset.user_data_file}, which is missing or lacks that column"
        options = f"--credentials CSV (the flows file names {where}), {options}"
    return BadInput(
        f"the flows need a secret for user_data column {column!r}, which flows files never "
        f"hold: give {options} (API: the 'password' or 'credentials_file' option)"
    )


def resolve_secrets(
    flowset: FlowSet,
    *,
    password: str | None = None,
    credentials_file: str | Path | None = None,
    storage_state_file: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> FlowSet:
    """``flowset`` with every ``${secret.COLUMN}`` filled: row N from row N mod len of the
    credentials CSV, else ``password`` / the environment, and its set-up cookies from the
    storage state; BadInput names what is missing."""
    flowset = _resolve_cookies(flowset, storage_state_file)
    needed = needed_secrets(flowset)
    if not needed:
        return flowset
    env = os.environ if environ is None else environ
    file_rows = _file_rows(flowset, credentials_file)
    rows = []
    for index, row in enumerate(flowset.user_data):
        filled = dict(row)
        source = file_rows[index % len(file_rows)] if file_rows else {}
        for column, value in row.items():
            match = REFERENCE.match(value)
            if match is None:
                continue
            secret = source.get(column) or _given(column, password, env)
            if secret is None:
                raise _missing(column, flowset)
            filled[column] = secret
        rows.append(filled)
    return flowset.model_copy(update={"user_data": rows})


def _resolve_cookies(flowset: FlowSet, storage_state_file: str | None) -> FlowSet:
    redacted = [c for c in flowset.setup_cookies if c.value == STORAGE_STATE_REFERENCE]
    if not redacted:
        return flowset
    path = storage_state_file or flowset.storage_state_file
    if path is None or not Path(path).is_file():
        named = f" (the flows file names {path}, which is missing)" if path else ""
        raise BadInput(
            "the flows start every user with the cookies of a browser storage state, which "
            f"flows files never hold{named}: give --storage-state FILE again "
            "(API: the 'storage_state_file' option)"
        )
    fresh = {c.name: c for c in target_cookies(path, flowset.target_url)}
    cookies: list[SetupCookie] = []
    for cookie in flowset.setup_cookies:
        if cookie.value != STORAGE_STATE_REFERENCE:
            cookies.append(cookie)
        elif cookie.name in fresh:
            cookies.append(fresh[cookie.name])
        else:
            raise BadInput(f"--storage-state {path} has no cookie {cookie.name!r} for the target")
    return flowset.model_copy(update={"setup_cookies": cookies})
