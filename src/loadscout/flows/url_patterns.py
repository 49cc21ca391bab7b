"""URL patterns: ``/products/17?page=2`` is ``/products/{num}?page={}``.

Discovery groups the pages it crawls by them; results group requests by them (the
per-endpoint view), so one function serves both.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SEGMENT_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I), "{uuid}"),
    (re.compile(r"^\d{4}-\d{2}(-\d{2})?$"), "{date}"),
    (re.compile(r"^\d{8}$"), "{date}"),
    (re.compile(r"^\d+$"), "{num}"),
    (re.compile(r"^(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}$", re.I), "{hex}"),
]
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|_ga)$")
# a word closed by a number names a record too: Roundup's issue270, user12 (a word of 3 letters
# or more, so v2 or h1 stay literal)
_NUMBERED = re.compile(r"^([A-Za-z][A-Za-z_-]{2,})(\d+)$")


def generalise(value: str) -> str:
    """The placeholder for one path segment or query value, or the value itself if ordinary."""
    for regex, placeholder in _SEGMENT_RULES:
        if regex.match(value):
            return placeholder
    numbered = _NUMBERED.match(value)
    return f"{numbered[1]}{{num}}" if numbered else value


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return sorted(
        (k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.match(k)
    )


def canonical_url(url: str) -> str:
    """The URL as a dedup key: no fragment, no tracking parameters, sorted query."""
    parts = urlsplit(url)
    query = urlencode(_query_pairs(parts.query))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def path_pattern(url: str) -> str:
    segments = urlsplit(url).path.split("/")
    return "/".join(generalise(s) if s else s for s in segments) or "/"


def url_pattern(url: str) -> str:
    """Path with typed placeholders plus sorted query keys with generalised values."""
    pairs = _query_pairs(urlsplit(url).query)
    keys = sorted({k for k, _ in pairs})
    query = "&".join(f"{k}={{}}" for k in keys)
    return path_pattern(url) + (f"?{query}" if query else "")


_TEMPLATE = re.compile(r"\$\{([^}]+)\}")


_PLACEHOLDER = re.compile(r"\{[^}/]*\}")


def endpoint_key(method: str, url: str) -> tuple[str, str]:
    """(``GET``, ``/products/{id}``): a request's method and URL pattern, whether a step
    recorded ``/products/17`` or extracts ``/products/${product}`` at replay: every variable
    path segment is ``{id}``. A URL that is not one (the catalog's ``(scripts, styles,
    images)``) is its own pattern."""
    if "/" not in url:
        return method.upper(), url
    parts = urlsplit(_TEMPLATE.sub("0", url))
    path = _PLACEHOLDER.sub("{id}", path_pattern(parts.path or "/"))
    pattern = url_pattern(path + (f"?{parts.query}" if parts.query else ""))
    return method.upper(), pattern
