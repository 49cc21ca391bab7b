"""Which URLs belong to the target: its origin, or whatever the user's scope regex widens it to.

One rule for every layer that sends traffic: discovery visits only these URLs and the load
engine fetches page assets only from them (load goes only where the user pointed it).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from loadscout.errors import BadInput


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def compile_scope(pattern: str | None) -> re.Pattern[str] | None:
    """The scope regex, or BadInput naming the option when it does not compile."""
    try:
        return re.compile(pattern) if pattern else None
    except re.error as err:
        raise BadInput(f"invalid --scope regex {pattern!r}: {err}") from None


class Scope:
    """Same-origin by default; a regex (searched in the full URL) admits more."""

    def __init__(self, start_url: str, pattern: str | None = None) -> None:
        self.origin = origin_of(start_url)
        self._regex = compile_scope(pattern)

    def contains(self, url: str) -> bool:
        if not url.startswith(("http://", "https://")):
            return False
        if origin_of(url) == self.origin:
            return True
        return bool(self._regex and self._regex.search(url))
