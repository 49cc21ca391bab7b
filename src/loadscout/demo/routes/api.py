"""The small JSON API the deals page calls with fetch()."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from loadscout.demo.deps import Shop

router = APIRouter(prefix="/api")


@router.get("/deals")
async def deals(shop: Shop) -> list[dict[str, object]]:
    return [{**p.to_json(), "deal_price": p.deal_price_cents / 100} for p in shop.catalog.deals()]


@router.get("/products/{id}")
async def product(shop: Shop, product_id: Annotated[int, Path(alias="id")]) -> dict[str, object]:
    found = shop.catalog.product(product_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"There is no product {product_id}.")
    return {**found.to_json(), "description": found.description}
