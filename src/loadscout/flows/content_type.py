"""What a ``Content-Type`` header says about decoding a body; shared by the load engine and
discovery's plain-HTTP lane so both read a page's text the same way."""

from __future__ import annotations


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter, if any (``text/html; charset="utf-8"`` → ``utf-8``)."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip().strip('"') or None
    return None
