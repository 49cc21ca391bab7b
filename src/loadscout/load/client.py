"""The seam between a virtual user and its HTTP session: what a client is, what it returns,
and the one error it raises when no response came.

The engine's client is ``h1_client.H1Client``; tests may hand a runner any other object that
has this shape (``run_load(make_client=...)``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from loadscout import __version__
from loadscout.flows.content_type import charset_of
from loadscout.flows.model import SetupCookie

USER_AGENT = f"loadscout/{__version__}"
FormData = Mapping[str, str] | Sequence[tuple[str, str]]
"""A form body: ordered pairs (a name repeats for each value it sends) or a mapping."""


class TransportError(Exception):
    """No usable response (or a stream that ended early); ``kind`` is the error class reports
    group by (``protocol``, ``too_many_redirects``, ``bad_encoding``, ``ws_close_<code>``...),
    which ``errors.classify`` returns as is."""

    def __init__(self, kind: str, message: str, hops: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.hops = hops  # redirects answered before it failed (see HttpResponse.hops)


def never_sent(exc: BaseException) -> None:
    """Marks a failure that came before the request reached a socket (connecting, waiting
    for a free connection), for the worker's ledger, which counts only sent requests."""
    exc.never_sent = True  # type: ignore[attr-defined]


def was_never_sent(exc: BaseException) -> bool:
    return getattr(exc, "never_sent", False)


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3x, per request
class HttpResponse:
    """A fully read response; ``url`` and ``status`` are those after following redirects.
    Treat it as read-only."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes
    charset: str | None  # None: the Content-Type header's, if it names one
    ttfb_ns: int = 0  # request written -> first response byte (0: not measured)
    connect_ns: int = 0  # opening the TCP connection (0: a kept-alive one)
    tls_ns: int = 0  # the TLS handshake on a new https connection (0: none)
    # perf_counter_ns when each redirect that was followed had been answered: every hop is
    # a request the server served, so each is counted (and timed) on its own
    hops: tuple[int, ...] = ()
    # attempts of the final request sent on a kept-alive connection that dropped without an
    # answer, before it was sent again: counted as requests that failed (connection_reset)
    retried: int = 0

    def text(self) -> str:
        charset = self.charset
        if charset is None and (content_type := self.headers.get("content-type")):
            charset = charset_of(content_type)
        return self.body.decode(charset or "utf-8", errors="replace")


class Client(Protocol):
    """What a virtual user needs from its HTTP session: its own cookies and connections."""

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = ...,
        form: FormData | None = ...,
        json_body: Any = ...,
        body: bytes | None = ...,
        want_headers: bool = ...,
        on_wire: Callable[[], None] | None = ...,
    ) -> HttpResponse:
        """Send one request, follow redirects, read (and decode) the whole body; raises
        :class:`TransportError` (or an ``OSError``/``TimeoutError``) when no response came,
        marked with :func:`never_sent` when that was before the request reached a socket.
        ``want_headers=False``: the caller reads no response header. ``on_wire`` is called
        just before each request's bytes go to the socket (resends and redirects too)."""
        ...

    def cookie(self, name: str, url: str | None = None) -> str | None: ...

    def cookie_header(self, url: str) -> str | None:
        """The ``Cookie`` header the jar gives ``url`` (``ws://``/``wss://`` too): a stream
        step's connection is not the client's, yet carries the user's session."""
        ...

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None: ...

    async def close(self) -> None: ...


ClientFactory = Callable[[], Client]


def encode_request(
    headers: Mapping[str, str] | None,
    form: FormData | None,
    json_body: Any,
    body: bytes | None,
) -> tuple[Mapping[str, str] | None, bytes | None]:
    """The headers and body bytes to send: a form is url-encoded (every pair, in order), JSON
    dumped, each with its Content-Type unless the step sets one. Without either, ``headers``
    pass through as is."""
    if form is not None:
        payload, content_type = urlencode(form).encode(), "application/x-www-form-urlencoded"
    elif json_body is not None:
        payload, content_type = json.dumps(json_body).encode(), "application/json"
    else:
        return headers, body
    if headers and any(name.lower() == "content-type" for name in headers):
        return headers, payload
    return {**(headers or {}), "Content-Type": content_type}, payload


def seed_cookies(client: Client, cookies: Sequence[SetupCookie], url: str) -> None:
    """Give a user's own jar its copy of the flow set's ``setup_cookies`` for ``url``."""
    for cookie in cookies:
        client.add_cookie(cookie.name, cookie.value, url=url, path=cookie.path)
