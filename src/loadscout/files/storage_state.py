"""A Playwright storage-state file read for the cookies it holds for one target host."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from loadscout.errors import BadInput
from loadscout.flows.model import SetupCookie
from loadscout.flows.storage_state import cookies_for


def read_storage_state(path: str) -> dict[str, Any]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise BadInput(f"cannot read --storage-state {path}: {err}") from None
    except ValueError as err:
        raise BadInput(f"--storage-state {path} is not JSON: {err}") from None
    if not isinstance(document, dict) or not isinstance(document.get("cookies", []), list):
        raise BadInput(f"--storage-state {path} is not a Playwright storage state (no cookies)")
    return document


def target_cookies(path: str, target_url: str) -> list[SetupCookie]:
    """The storage state's cookies the browser would send to ``target_url``'s host."""
    return cookies_for(read_storage_state(path), target_url)
