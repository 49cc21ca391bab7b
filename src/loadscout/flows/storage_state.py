"""The cookies of a Playwright storage state that belong to one target host.

Read at run time, never copied into a flows file: they are a logged-in session (the file is
read by :mod:`loadscout.files.storage_state`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from loadscout.flows.model import SetupCookie


def _for_host(domain: str, host: str) -> bool:
    domain = domain.lstrip(".").lower()
    return host == domain or host.endswith("." + domain)


def cookies_for(document: dict[str, Any], target_url: str) -> list[SetupCookie]:
    """The storage state's cookies the browser would send to ``target_url``'s host."""
    host = (urlsplit(target_url).hostname or "").lower()
    return [
        SetupCookie(name=c["name"], value=str(c.get("value", "")), path=c.get("path") or "/")
        for c in document.get("cookies", [])
        if isinstance(c, dict) and c.get("name") and _for_host(str(c.get("domain", "")), host)
    ]
