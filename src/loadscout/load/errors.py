"""Names for what went wrong with a request, so errors group by cause, not by message text."""

from __future__ import annotations

import errno
import re
import socket
import ssl

import aiohttp

from loadscout.load.client import TransportError

EXTRACTION_FAILED = "extraction_failed"
TIMEOUT = "timeout"
RETRIED = "connection_dropped"  # an attempt lost with a kept-alive connection, then sent again

_RESET_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})
_Kinds = tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...]
# checked before a connector error is unwrapped to its OS error; first match wins
_WRAPPED_KINDS: _Kinds = (
    (TimeoutError, TIMEOUT),
    ((socket.gaierror, aiohttp.ClientConnectorDNSError), "dns"),
    ((aiohttp.ClientSSLError, ssl.SSLError), "tls"),
)
_OS_KINDS: _Kinds = (
    (ConnectionRefusedError, "connection_refused"),
    (
        (
            ConnectionResetError,
            BrokenPipeError,
            aiohttp.ServerDisconnectedError,
            aiohttp.ClientPayloadError,
            aiohttp.ClientConnectionResetError,
        ),
        "connection_reset",
    ),
)


def classify(exc: BaseException) -> str:
    """Map an exception raised while sending a request to an error kind.

    Order matters: aiohttp's (streams') timeout and TLS errors are also connection errors.
    """
    if isinstance(exc, TransportError):  # the client's and the streams' own
        return exc.kind
    if isinstance(exc, aiohttp.WSServerHandshakeError):  # a WebSocket upgrade refused
        return f"http_{exc.status}"
    kind = _first_kind(exc, _WRAPPED_KINDS)
    if kind is not None:
        return kind
    if isinstance(exc, aiohttp.ClientConnectorError):
        exc = exc.os_error
    kind = _first_kind(exc, _OS_KINDS)
    if kind is not None:
        return kind
    if isinstance(exc, OSError) and exc.errno in _RESET_ERRNOS:
        return "connection_reset"
    return "other"


def _first_kind(exc: BaseException, kinds: _Kinds) -> str | None:
    return next((kind for types, kind in kinds if isinstance(exc, types)), None)


def status_error(status: int, expect_status: int | None) -> str | None:
    """``http_<code>`` when a response fails its check, else None.

    With a recorded status the class (2xx/3xx/4xx/5xx) must match; without one, >= 400 fails.
    """
    if expect_status is None:
        return f"http_{status}" if status >= 400 else None
    return None if status // 100 == expect_status // 100 else f"http_{status}"


_READABLE = {
    TIMEOUT: "no response within the request timeout",
    "dns": "the host name could not be resolved",
    "tls": "the TLS handshake failed",
    "connection_refused": "the connection was refused (is the server listening on that port?)",
    "connection_reset": "the server closed the connection",
}
_CLOSED = re.compile(r"transport (is )?closed|closed=True|connection (is )?closed", re.I)
_REPR = re.compile(r"<[^<>]*>")  # <TCPTransport closed=True ...>, <object at 0x...>


def describe(exc: BaseException) -> str:
    """A readable sentence for an error example: what happened, never a Python repr or type
    name (every transport's exceptions are mapped here, in one place)."""
    text = str(exc)
    kind = classify(exc)
    clean = " ".join(_REPR.sub("", text).split()).strip(" :,;")
    if kind == "tls" and clean:  # which certificate problem is worth saying
        return f"{_READABLE['tls']}: {clean}"
    readable = _READABLE.get(kind)
    if readable is None and _CLOSED.search(text):
        readable = _READABLE["connection_reset"]
    return readable or clean or "the request failed with an unexpected client error"
