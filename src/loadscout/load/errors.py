"""Names for what went wrong with a request, so errors group by cause, not by message text."""

from __future__ import annotations

import errno
import socket
import ssl

import aiohttp

from loadscout.load.client import TransportError

EXTRACTION_FAILED = "extraction_failed"
TIMEOUT = "timeout"

_RESET_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})


def classify(exc: BaseException) -> str:
    """Map an exception raised while sending a request to an error kind.

    Order matters: aiohttp's (streams') timeout and TLS errors are also connection errors.
    """
    if isinstance(exc, TransportError):  # the client's and the streams' own
        return exc.kind
    if isinstance(exc, aiohttp.WSServerHandshakeError):  # a WebSocket upgrade refused
        return f"http_{exc.status}"
    if isinstance(exc, TimeoutError):
        return TIMEOUT
    if isinstance(exc, socket.gaierror):
        return "dns"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "dns"
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
        return "tls"
    if isinstance(exc, aiohttp.ClientConnectorError):
        exc = exc.os_error
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | aiohttp.ServerDisconnectedError):
        return "connection_reset"
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientConnectionResetError):
        return "connection_reset"
    if isinstance(exc, OSError) and exc.errno in _RESET_ERRNOS:
        return "connection_reset"
    return "other"


def status_error(status: int, expect_status: int | None) -> str | None:
    """``http_<code>`` when a response fails its check, else None.

    With a recorded status the class (2xx/3xx/4xx/5xx) must match; without one, >= 400 fails.
    """
    if expect_status is None:
        return f"http_{status}" if status >= 400 else None
    return None if status // 100 == expect_status // 100 else f"http_{status}"


def describe(exc: BaseException) -> str:
    """``Type: message`` (just the type when the message is empty), for error examples."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
