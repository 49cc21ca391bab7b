from __future__ import annotations

import socket

import pytest

from loadscout.discovery.probe import probe_target
from loadscout.errors import TargetError
from tests.discovery.site import Site


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("127.0.0.1:8000", "must start with http:// or https://"),
        ("ftp://127.0.0.1/", "must start with http:// or https://"),
        ("http:///path", "has no host name"),
        ("http://127.0.0.1:99999/", "invalid port"),
    ],
)
async def test_malformed_urls(url: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        await probe_target(url)


async def test_refused_connection_names_url_and_cause() -> None:
    url = f"http://127.0.0.1:{_free_port()}/"
    with pytest.raises(TargetError) as info:
        await probe_target(url, timeout_s=3)
    text = str(info.value)
    assert url in text
    assert "refused" in text
    assert "\n" not in text


async def test_unknown_host_is_reported() -> None:
    with pytest.raises(TargetError, match=r"cannot reach http://no-such-host\.invalid/"):
        await probe_target("http://no-such-host.invalid/", timeout_s=3)


async def test_html_page_passes(site: Site) -> None:
    await probe_target(site.url)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/json", "not an HTML page .*application/json"),
        ("/image.png", "image/png"),
        ("/missing", "HTTP 404"),
        ("/broken", "HTTP 500"),
    ],
)
async def test_non_html_and_error_pages(site: Site, path: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        await probe_target(site.url_for(path))


async def test_silent_server_times_out() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        url = f"http://127.0.0.1:{server.getsockname()[1]}/"
        with pytest.raises(TargetError, match=r"no answer within 0\.5 s"):
            await probe_target(url, timeout_s=0.5)
