"""The cookies a Playwright storage-state file holds for one target host.

Read at run time, never copied into a flows file: they are a logged-in session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from loadscout.errors import BadInput
from loadscout.flows.model import SetupCookie


def _read(path: str) -> dict[str, Any]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise BadInput(f"cannot read --storage-state {path}: {err}") from None
    except ValueError as err:
        raise BadInput(f"--storage-state {path} is not JSON: {err}") from None
    if not isinstance(document, dict) or not isinstance(document.get("cookies", []), list):
        raise BadInput(f"--storage-state {path} is not a Playwright storage state (no cookies)")
    return document


def _for_host(domain: str, host: str) -> bool:
    domain = domain.lstrip(".").lower()
    return host == domain or host.endswith("." + domain)


def target_cookies(path: str, target_url: str) -> list[SetupCookie]:
    """The storage state's cookies the browser would send to ``target_url``'s host."""
    host = (urlsplit(target_url).hostname or "").lower()
    return [
        SetupCookie(name=c["name"], value=str(c.get("value", "")), path=c.get("path") or "/")
        for c in _read(path).get("cookies", [])
        if isinstance(c, dict) and c.get("name") and _for_host(str(c.get("domain", "")), host)
    ]
