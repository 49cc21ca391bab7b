"""Secrets the store keeps only as digests: session ids, API tokens, set-up links.

They are long random strings, so a fast SHA-256 is enough at rest (a slow hash is for
passwords people choose); comparing digests from an index lookup leaks nothing usable.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

TOKEN_PREFIX = "lsk_"
_ALPHABET = string.ascii_letters + string.digits
_TOKEN_CHARS = 40  # 238 bits of base62


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_session_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    """``lsk_`` then 40 base62 characters: the prefix lets secret scanners spot a leaked one."""
    return TOKEN_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(_TOKEN_CHARS))


def shown_prefix(token: str) -> str:
    """What lists show to tell tokens apart: ``lsk_`` and 8 characters, never enough to use."""
    return token[: len(TOKEN_PREFIX) + 8]


def csrf_for(session_secret: str) -> str:
    """The session's CSRF token, derived rather than stored: a page that can read it is a page
    of this origin, which is what the check asks."""
    return hmac.new(session_secret.encode(), b"loadscout-csrf", hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
