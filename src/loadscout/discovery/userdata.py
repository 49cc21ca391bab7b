"""User-supplied data: a credentials CSV (one account per virtual user) and a ``--data`` file.

Both end up in the FlowSet as plain values or ``${user.COLUMN}`` references, never as secrets
discovery picked up from the target; passwords stay in memory (flows/secrets.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from loadscout.errors import BadInput
from loadscout.files.credentials import read_csv_rows

_USER_COLUMNS = re.compile(r"^(user(name)?|login|e-?mail|account)$", re.I)
_PASS_COLUMNS = re.compile(r"^(pass(word)?|pwd|secret)$", re.I)

__all__ = ["login_columns", "read_csv_rows", "read_data_file"]


def login_columns(columns: list[str]) -> tuple[str, str]:
    """The username and password columns of a credentials file, by their header names."""
    user = next((c for c in columns if _USER_COLUMNS.match(c)), None)
    password = next((c for c in columns if _PASS_COLUMNS.match(c)), None)
    if user is None or password is None:
        raise BadInput(
            f"credentials file needs a username and a password column (got {', '.join(columns)}); "
            "name them e.g. username,password"
        )
    return user, password


DataValue = str | list[str]


def read_data_file(path: str | Path) -> dict[str, DataValue]:
    """``--data``: a JSON/YAML mapping (field name or form signature -> value or list of values),
    or a CSV whose columns are field names (each row a set of values)."""
    file = Path(path)
    if file.suffix.lower() == ".csv":
        rows = read_csv_rows(file)
        return {column: [r[column] for r in rows] for column in rows[0]}
    try:
        text = file.read_text(encoding="utf-8")
        loaded = json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
    except OSError as err:
        raise BadInput(f"cannot read {path}: {err.strerror or err}") from None
    except (ValueError, yaml.YAMLError) as err:
        raise BadInput(f"{path} is not valid JSON/YAML: {err}") from None
    if not isinstance(loaded, Mapping):
        raise BadInput(f"{path} must map field names to values")
    return {str(k): _value(k, v, path) for k, v in loaded.items()}


def _value(key: object, value: object, path: str | Path) -> DataValue:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str | int | float | bool):
        return str(value)
    raise BadInput(f"{path}: value of {key!r} must be a string or a list of strings")
