"""The endless calendar, robots.txt, and the request counter test hooks under /__stats."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from loadscout.demo.calendar_view import Month
from loadscout.demo.deps import Shop
from loadscout.demo.middleware import STATS_PREFIX
from loadscout.demo.rendering import render

router = APIRouter()
DISALLOWED_PAGE = "/categories/music"  # exists; robots.txt asks crawlers to stay out


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
async def robots(request: Request) -> str:
    sitemap = str(request.url_for("sitemap"))
    # the Disallow comes first: Python's robotparser (and discovery) take the first match
    return f"User-agent: *\nDisallow: {DISALLOWED_PAGE}\nAllow: /\nSitemap: {sitemap}\n"


@router.get("/sitemap.xml", name="sitemap")
async def sitemap(request: Request) -> Response:
    """Lists /about, which no page links to: only a crawler that reads the sitemap finds it."""
    base = str(request.base_url).rstrip("/")
    urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in ("/", "/about", "/deals"))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    return Response(xml, media_type="application/xml")


@router.get("/about", response_class=HTMLResponse)
async def about(request: Request) -> HTMLResponse:
    return render(request, "message.html", title="About Scout Shop", message="A demo target.")


@router.get(STATS_PREFIX)
async def stats(shop: Shop) -> dict[str, int]:
    """Request counts per ``"METHOD /route/{template}"``; this hook itself is not counted."""
    return dict(sorted(shop.hits.items()))


@router.post(f"{STATS_PREFIX}/reset")
async def reset_stats(shop: Shop) -> Response:
    shop.hits.clear()
    return JSONResponse({})
