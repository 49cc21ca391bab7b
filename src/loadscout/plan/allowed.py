"""A server's allow-list of targets (``LOADSCOUT_ALLOWED_TARGETS``): ``host`` or ``host:port``
entries, empty for any. One rule for run admission, the load engine and the browser."""

from __future__ import annotations

from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}


def host_allowed(allowed: frozenset[str], host: str, port: int | None) -> bool:
    host = host.lower()
    return host in allowed or f"{host}:{port}" in allowed


def url_allowed(allowed: frozenset[str], url: str) -> bool:
    """True when ``allowed`` is empty, or names the URL's host (on its port, or on any)."""
    if not allowed:
        return True
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return False
    return host_allowed(allowed, parts.hostname or "", port)


def allowed_host_names(allowed: frozenset[str]) -> list[str]:
    """The hosts the entries name, ports dropped."""
    return sorted({urlsplit(f"//{entry}").hostname or entry for entry in allowed})
