"""The client-rendered section: one HTML shell for every /app route, data from a JSON API.

Routes change with history.pushState; items and the wishlist come from /api/app/*; adding to
the wishlist needs the double-submit cookie ``app_csrf`` echoed in the ``X-CSRF-Token`` header;
rating needs the session token the shell carries in a ``<meta>`` tag.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Body, Header, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response

from loadscout.demo.deps import Session, Shop
from loadscout.demo.rendering import render

router = APIRouter()
APP_CSRF_COOKIE = "app_csrf"
APP_ITEMS = 12


@router.get("/app", response_class=HTMLResponse)
@router.get("/app/{rest:path}", response_class=HTMLResponse)
async def app_shell(request: Request) -> Response:
    response = render(request, "app.html")
    if APP_CSRF_COOKIE not in request.cookies:
        token = secrets.token_urlsafe(18)
        response.set_cookie(APP_CSRF_COOKIE, token, path="/", samesite="strict")
    return response


@router.get("/api/app/items")
async def app_items(shop: Shop) -> dict[str, object]:
    items = shop.catalog.products[:APP_ITEMS]
    return {"items": [{"id": p.id, "name": p.name} for p in items], "count": len(items)}


@router.get("/api/app/items/{id}")
async def app_item(shop: Shop, item_id: Annotated[int, Path(alias="id")]) -> dict[str, object]:
    product = shop.catalog.product(item_id)
    if product is None or item_id > shop.catalog.products[APP_ITEMS - 1].id:
        raise HTTPException(status_code=404, detail=f"There is no item {item_id}.")
    return {**product.to_json(), "description": product.description}


@router.get("/api/app/wishlist")
async def app_wishlist(shop: Shop, session: Session) -> dict[str, object]:
    names = [p.name for i in session.wishlist if (p := shop.catalog.product(i)) is not None]
    return {"items": names}


@router.post("/api/app/wishlist")
async def app_wish(
    request: Request,
    shop: Shop,
    session: Session,
    product_id: Annotated[int, Body(embed=True)],
    token: Annotated[str | None, Header(alias="X-CSRF-Token")] = None,
) -> dict[str, object]:
    cookie = request.cookies.get(APP_CSRF_COOKIE)
    if not token or not cookie or not secrets.compare_digest(token.encode(), cookie.encode()):
        raise HTTPException(status_code=403, detail="X-CSRF-Token must echo the app_csrf cookie.")
    if shop.catalog.product(product_id) is None:
        raise HTTPException(status_code=404, detail=f"There is no item {product_id}.")
    if product_id not in session.wishlist:
        session.wishlist.append(product_id)
    return {"ok": True, "count": len(session.wishlist)}


@router.post("/api/app/ratings")
async def app_rate(
    shop: Shop,
    session: Session,
    product_id: Annotated[int, Body()],
    stars: Annotated[int, Body(ge=1, le=5)],
    token: Annotated[str | None, Header(alias="X-Page-Token")] = None,
) -> dict[str, object]:
    """Needs the session's token from the shell's ``<meta name="page-token">`` in a header."""
    if not token or not secrets.compare_digest(token.encode(), session.csrf_token.encode()):
        raise HTTPException(status_code=403, detail="X-Page-Token must be the page's token.")
    if shop.catalog.product(product_id) is None:
        raise HTTPException(status_code=404, detail=f"There is no item {product_id}.")
    session.ratings[product_id] = stars
    return {"ok": True, "rated": len(session.ratings)}
