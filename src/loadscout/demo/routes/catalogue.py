"""A catalogue section (list, categories, item pages, search) with 320 items: the realistic
browsing target for journeys. Its own start page, ``/catalogue``, not linked from the shop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse

from loadscout.demo.catalogue import CATEGORIES, ITEMS, Item, in_category, page_of, pages_of
from loadscout.demo.catalogue import related as related_items
from loadscout.demo.catalogue import search as search_items
from loadscout.demo.rendering import render

router = APIRouter()
CATALOGUE_PATH = "/catalogue"


def _listing(request: Request, items: list[Item], page: int, title: str, base: str) -> HTMLResponse:
    shown = page_of(items, page)
    if shown is None:
        raise HTTPException(status_code=404, detail="No such page.")
    return render(
        request,
        "case_catalogue.html",
        title=title,
        items=shown,
        page=page,
        pages=pages_of(items),
        base=base,
        kinds=CATEGORIES,
    )


@router.get(CATALOGUE_PATH, response_class=HTMLResponse)
async def catalogue(request: Request, page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    return _listing(request, list(ITEMS.values()), page, "Catalogue", CATALOGUE_PATH)


@router.get(CATALOGUE_PATH + "/categories/{slug}", response_class=HTMLResponse)
async def category(
    request: Request, slug: str, page: Annotated[int, Query(ge=1)] = 1
) -> HTMLResponse:
    titles = dict(CATEGORIES)
    if slug not in titles:
        raise HTTPException(status_code=404, detail=f"There is no category {slug!r}.")
    base = f"{CATALOGUE_PATH}/categories/{slug}"
    return _listing(request, in_category(slug), page, f"{titles[slug]}s", base)


@router.get(CATALOGUE_PATH + "/items/{id}", response_class=HTMLResponse)
async def item(request: Request, item_id: Annotated[int, Path(alias="id")]) -> HTMLResponse:
    found = ITEMS.get(item_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"There is no item {item_id}.")
    return render(
        request,
        "case_catalogue_item.html",
        item=found,
        related=related_items(found),
        category=dict(CATEGORIES)[found.category],
    )


@router.get(CATALOGUE_PATH + "/search", response_class=HTMLResponse)
async def search(request: Request, q: str = "") -> HTMLResponse:
    return render(request, "case_catalogue_search.html", q=q, items=search_items(q))
