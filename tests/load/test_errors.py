import ssl

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey

from loadscout.load.errors import classify, describe, status_error

KEY = ConnectionKey("example.test", 443, True, True, None, None, None)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (TimeoutError(), "timeout"),
        (aiohttp.ServerTimeoutError("read"), "timeout"),
        (aiohttp.ClientConnectorDNSError(KEY, OSError(-2, "Name or service not known")), "dns"),
        (
            aiohttp.ClientConnectorError(KEY, ConnectionRefusedError(111, "refused")),
            "connection_refused",
        ),
        (aiohttp.ClientConnectorCertificateError(KEY, ssl.SSLCertVerificationError()), "tls"),
        (aiohttp.ServerDisconnectedError(), "connection_reset"),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), "connection_reset"),
        (aiohttp.ClientPayloadError("truncated"), "connection_reset"),
        (aiohttp.TooManyRedirects(None, ()), "other"),  # type: ignore[arg-type]
        (ValueError("bad url"), "other"),
    ],
)
def test_classify(exc: BaseException, kind: str) -> None:
    assert classify(exc) == kind


def test_status_checks_compare_classes() -> None:
    assert status_error(200, None) is None
    assert status_error(302, None) is None
    assert status_error(404, None) == "http_404"
    assert status_error(201, 200) is None
    assert status_error(200, 302) == "http_200"
    assert status_error(404, 404) is None  # a recorded 4xx is what the step expects
    assert status_error(503, 200) == "http_503"


@pytest.mark.parametrize(
    ("exc", "text"),
    [
        (
            RuntimeError(
                "unable to perform operation on <TCPTransport closed=True reading=False "
                "0x7f3c>; the handler is closed"
            ),
            "the server closed the connection",
        ),
        (TimeoutError(), "no response within the request timeout"),
        (
            aiohttp.ClientConnectorError(KEY, ConnectionRefusedError(111, "refused")),
            "the connection was refused (is the server listening on that port?)",
        ),
        (ValueError("bad url <object at 0x1>"), "bad url"),
        (RuntimeError(), "the request failed with an unexpected client error"),
    ],
)
def test_describe_is_readable(exc: BaseException, text: str) -> None:
    described = describe(exc)
    assert described == text
    assert "<" not in described and "Error:" not in described
