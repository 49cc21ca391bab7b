"""Browsing: home, paginated categories, product pages, search and the JS-driven deals page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse

from loadscout.demo.catalog import Product
from loadscout.demo.deps import Shop
from loadscout.demo.rendering import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, shop: Shop) -> HTMLResponse:
    return render(request, "home.html", featured=shop.catalog.products[:6])


@router.get("/categories/{slug}", response_class=HTMLResponse)
async def category(
    request: Request, shop: Shop, slug: str, page: Annotated[int, Query(ge=1)] = 1
) -> HTMLResponse:
    found = shop.catalog.category(slug)
    listing = shop.catalog.page(found, page) if found else None
    if found is None or listing is None:
        raise HTTPException(status_code=404, detail="No such category or page.")
    return render(request, "category.html", category=found, page=listing)


def product_or_404(shop: Shop, product_id: int) -> Product:
    product = shop.catalog.product(product_id)
    if product is None:
        raise HTTPException(status_code=404, detail=f"There is no product {product_id}.")
    return product


@router.get("/products/{id}", response_class=HTMLResponse)
async def product(
    request: Request, shop: Shop, product_id: Annotated[int, Path(alias="id")]
) -> HTMLResponse:
    found = product_or_404(shop, product_id)
    return render(request, "product.html", product=found, error=None)


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, shop: Shop, q: str = "") -> HTMLResponse:
    results = shop.catalog.search(q)
    return render(request, "search.html", q=q, results=results)


@router.get("/deals", response_class=HTMLResponse)
async def deals(request: Request) -> HTMLResponse:
    """The list is empty in the HTML; a script fills it from /api/deals."""
    return render(request, "deals.html")
