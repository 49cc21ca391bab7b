"""How risky a request is, from its URL, visible text and method: the one classification
discovery's safety policy and the load engine's link choices (journeys) both apply."""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import unquote, urlsplit

_LOGOUT = {"logout", "logoff", "signout"}
_LOGOUT_PHRASES = ("log out", "log off", "sign out")
_DESTRUCTIVE = {
    "delete",
    "remove",
    "destroy",
    "unsubscribe",
    "deactivate",
    "drop",
    "purge",
    "reset",
}
_DESTRUCTIVE_PHRASES = ("cancel account", "cancel my account", "close account", "close my account")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Risk(StrEnum):
    SAFE = "safe"
    WRITE = "write"
    LOGOUT = "logout"
    DESTRUCTIVE = "destructive"


def _words(text: str) -> str:
    """Lower-case words separated by single spaces; splits camelCase, paths and punctuation."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", unquote(text))
    return " ".join(re.split(r"[^a-z0-9]+", spaced.lower())).strip()


def classify(*, url: str = "", text: str = "", method: str = "GET") -> Risk:
    """The most severe risk any of URL, visible text and method indicate."""
    parts = urlsplit(url)
    words = f" {_words(parts.path + ' ' + parts.query)} {_words(text)} "
    tokens = set(words.split())
    if tokens & _LOGOUT or any(f" {p} " in words for p in _LOGOUT_PHRASES):
        return Risk.LOGOUT
    if tokens & _DESTRUCTIVE or any(f" {p} " in words for p in _DESTRUCTIVE_PHRASES):
        return Risk.DESTRUCTIVE
    if method.upper() not in _SAFE_METHODS:
        return Risk.WRITE
    return Risk.SAFE
