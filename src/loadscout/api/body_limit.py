"""Request bodies are bounded before anything parses them.

Validation runs in the server's event loop: a multi-megabyte body would stall every other
request, the health probe and the run leases' heartbeats with it. Bodies over the limit are
refused with 413 from their Content-Length, or as soon as the streamed bytes pass it (the
app then sees a client that went away, so nothing is parsed).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _refusal(max_bytes: int) -> list[Message]:
    detail = (
        f"request body over {max_bytes:,} bytes: send less, or raise "
        "LOADSCOUT_MAX_BODY_BYTES on the server"
    )
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    return [
        {"type": "http.response.start", "status": 413, "headers": headers},
        {"type": "http.response.body", "body": body},
    ]


class _Guard:
    """One request's receive and send, counting the body as it streams in."""

    def __init__(self, receive: Receive, send: Send, max_bytes: int) -> None:
        self._receive, self._send, self._max = receive, send, max_bytes
        self.seen = 0
        self.over = False
        self.answered = False

    async def receive(self) -> Message:
        if self.over:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self._max:
                self.over = True
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.over:  # whatever the app says about a body it never got, the answer is 413
            await self.refuse()
            return
        self.answered = self.answered or message["type"] == "http.response.start"
        await self._send(message)

    async def refuse(self) -> None:
        if not self.answered:
            self.answered = True
            for message in _refusal(self._max):
                await self._send(message)


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guard = _Guard(receive, send, self.max_bytes)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await guard.refuse()
            return
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            if not guard.over:
                raise
        if guard.over:
            await guard.refuse()
