"""Cart, add-to-cart, checkout and order confirmation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loadscout.demo.checkout_form import (
    CHECKBOXES,
    COUNTRIES,
    PAYMENTS,
    TEXT_FIELDS,
    DeliveryWindow,
    validate_checkout,
)
from loadscout.demo.deps import CsrfForm, Session, Shop, form_str
from loadscout.demo.rendering import render
from loadscout.demo.routes.shop import product_or_404
from loadscout.demo.state import OrderLine, ShopSession, ShopState

router = APIRouter()

MAX_LINE_QUANTITY = 99
_BLANK_CHECKOUT = {"invoice_copies": "1", "country": "DE", "payment": "card"}


def cart_lines(shop: ShopState, session: ShopSession) -> tuple[OrderLine, ...]:
    lines = []
    for product_id, quantity in session.cart.items():
        product = shop.catalog.product(product_id)
        if product is not None:
            lines.append(
                OrderLine(
                    product_id=product_id,
                    name=product.name,
                    quantity=quantity,
                    unit_price_cents=product.price_cents,
                )
            )
    return tuple(lines)


@router.get("/cart", response_class=HTMLResponse)
async def cart(request: Request, shop: Shop, session: Session) -> HTMLResponse:
    lines = cart_lines(shop, session)
    total = sum(line.quantity * line.unit_price_cents for line in lines)
    return render(request, "cart.html", lines=lines, total=total)


@router.post("/cart/add")
async def add_to_cart(request: Request, shop: Shop, session: Session, form: CsrfForm) -> Response:
    raw_id, raw_quantity = form_str(form, "product_id"), form_str(form, "quantity")
    if not raw_id.isdigit():
        raise HTTPException(status_code=400, detail="product_id must be a product number.")
    product = product_or_404(shop, int(raw_id))
    if not raw_quantity.isdigit() or not 1 <= int(raw_quantity) <= 10:
        error = "Quantity must be a whole number from 1 to 10."
        return render(request, "product.html", status_code=400, product=product, error=error)
    quantity = session.cart.get(product.id, 0) + int(raw_quantity)
    session.cart[product.id] = min(quantity, MAX_LINE_QUANTITY)
    return RedirectResponse("/cart", status_code=303)


def _checkout_page(
    request: Request, shop: ShopState, values: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    lines = cart_lines(shop, request.state.session)
    return render(
        request,
        "checkout.html",
        lines=lines,
        total=sum(line.quantity * line.unit_price_cents for line in lines),
        values=values,
        errors=errors,
        window=DeliveryWindow.starting(shop.today()),
        countries=COUNTRIES,
        payments=PAYMENTS,
    )


@router.get("/checkout", response_class=HTMLResponse)
async def checkout_form(request: Request, shop: Shop) -> HTMLResponse:
    values = {name: "" for name in (*TEXT_FIELDS, *CHECKBOXES)} | _BLANK_CHECKOUT
    return _checkout_page(request, shop, values, {})


@router.post("/checkout")
async def checkout(request: Request, shop: Shop, session: Session, form: CsrfForm) -> Response:
    """Invalid input or an empty cart re-render the form (200, with messages), like most shops."""
    values = {name: form_str(form, name) for name in (*TEXT_FIELDS, *CHECKBOXES)}
    errors = validate_checkout(values, DeliveryWindow.starting(shop.today()))
    lines = cart_lines(shop, session)
    if not lines:
        errors["cart"] = "Your cart is empty: add a product before checking out."
    if errors:
        return _checkout_page(request, shop, values, errors)
    order = shop.place_order(lines=lines, details=values)
    session.order_ids.append(order.id)
    session.cart.clear()
    return RedirectResponse(f"/orders/{order.id}", status_code=303)


@router.get("/orders/{id}", response_class=HTMLResponse)
async def order(
    request: Request, shop: Shop, session: Session, order_id: Annotated[int, Path(alias="id")]
) -> HTMLResponse:
    """Only the session that placed an order may see it."""
    found = shop.orders.get(order_id)
    if found is None or order_id not in session.order_ids:
        raise HTTPException(status_code=404, detail=f"There is no order {order_id}.")
    return render(request, "order.html", order=found, countries=COUNTRIES, payments=PAYMENTS)
