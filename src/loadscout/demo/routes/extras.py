"""The endless calendar, robots.txt, and the request counter test hooks under /__stats."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from loadscout.demo.calendar_view import Month
from loadscout.demo.deps import Shop
from loadscout.demo.middleware import STATS_PREFIX
from loadscout.demo.rendering import render

router = APIRouter()


@router.get("/calendar", response_class=HTMLResponse)
async def calendar(request: Request, shop: Shop, month: str | None = None) -> HTMLResponse:
    """A crawler trap: every month links to the next, forever."""
    shown = Month.of(shop.today()) if month is None else Month.parse(month)
    if shown is None:
        raise HTTPException(status_code=404, detail="Months look like 2025-01.")
    return render(
        request, "calendar.html", month=shown, prev=shown.shifted(-1), next=shown.shifted(1)
    )


@router.get("/robots.txt", response_class=PlainTextResponse)
async def robots() -> str:
    return "User-agent: *\nAllow: /\n"


@router.get(STATS_PREFIX)
async def stats(shop: Shop) -> dict[str, int]:
    """Request counts per ``"METHOD /route/{template}"``; this hook itself is not counted."""
    return dict(sorted(shop.hits.items()))


@router.post(f"{STATS_PREFIX}/reset")
async def reset_stats(shop: Shop) -> Response:
    shop.hits.clear()
    return JSONResponse({})
