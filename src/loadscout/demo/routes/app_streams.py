"""The client-rendered section's live channels: a WebSocket ticker and an EventSource feed.

Both need the visitor's session cookie, so a replay that drops the user's cookie jar fails
(the socket closes with code 4401, the feed answers 403). Included before the /app shell's
catch-all route, which would otherwise answer ``/app/events`` with HTML.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse

from loadscout.demo.middleware import SESSION_COOKIE
from loadscout.demo.state import ShopState

router = APIRouter()
EVENTS = 3
NO_SESSION_CLOSE = 4401
RETRY_MS = 60_000  # a browser waits this long before reopening the finished feed


def _has_session(shop: ShopState, session_id: str | None) -> bool:
    return shop.sessions.get(session_id) is not None


@router.websocket("/app/ws/ticker")
async def ticker(websocket: WebSocket) -> None:
    """Greets with a tick, then answers every client message with one."""
    shop: ShopState = websocket.app.state.shop
    await websocket.accept()
    if not _has_session(shop, websocket.cookies.get(SESSION_COOKIE)):
        await websocket.close(code=NO_SESSION_CLOSE, reason="no shop session")
        return
    count = 0
    await websocket.send_text(json.dumps({"tick": count, "items": len(shop.catalog.products)}))
    try:
        while True:
            message = await websocket.receive_text()
            count += 1
            await websocket.send_text(json.dumps({"tick": count, "echo": message[:200]}))
    except WebSocketDisconnect:
        return


@router.get("/app/events")
async def events(request: Request) -> StreamingResponse:
    """A short server-sent feed: ``EVENTS`` events, then the stream ends."""
    shop: ShopState = request.app.state.shop
    if not _has_session(shop, request.cookies.get(SESSION_COOKIE)):
        raise HTTPException(status_code=403, detail="The feed needs a shop session.")

    async def feed() -> AsyncIterator[str]:
        yield f"retry: {RETRY_MS}\n\n"
        for n in range(1, EVENTS + 1):
            yield f"id: {n}\ndata: {json.dumps({'news': n})}\n\n"

    return StreamingResponse(feed(), media_type="text/event-stream")
