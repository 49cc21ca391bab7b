"""Add to cart, checkout validation and the order confirmation."""

from __future__ import annotations

from datetime import date, timedelta

from tests.demo.shop_client import Page, ShopClient


async def add(client: ShopClient, product_id: int, quantity: str) -> Page:
    token = (await client.get(f"/products/{product_id}")).csrf_token()
    form = {"csrf_token": token, "product_id": str(product_id), "quantity": quantity}
    return await client.post("/cart/add", form)


def valid_checkout(token: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "email": "ann@example.com",
        "phone": "+49 30 1234567",
        "full_name": "Ann Example",
        "address": "1 Main Street",
        "postcode": "10115",
        "country": "FR",
        "delivery_date": (date.today() + timedelta(days=3)).isoformat(),
        "invoice_copies": "2",
        "payment": "paypal",
        "terms": "on",
    }


async def test_add_to_cart_with_a_valid_token(client: ShopClient) -> None:
    page = await add(client, 5, "2")
    assert (page.status, page.location) == (303, "/cart")
    await add(client, 5, "3")
    await add(client, 8, "1")
    cart = await client.get("/cart")
    rows = [
        [td.text().strip() for td in tr.css("td")] for tr in cart.html.css("tr") if tr.css("td")
    ]
    assert [(name_link, qty) for name_link, qty, _ in rows] == [
        ("Vintage Field Guide", "5"),
        ("Grand Atlas", "1"),
    ]
    assert "Cart (6)" in cart.text


async def test_add_to_cart_rejects_bad_quantities_and_products(client: ShopClient) -> None:
    for quantity in ("0", "11", "two", ""):
        page = await add(client, 5, quantity)
        assert page.status == 400
        assert "Quantity must be" in page.text
    token = (await client.get("/products/5")).csrf_token()
    missing = {"csrf_token": token, "product_id": "999", "quantity": "1"}
    assert (await client.post("/cart/add", missing)).status == 404
    assert "Your cart is empty" in (await client.get("/cart")).text


async def test_checkout_form_exercises_many_field_types(client: ShopClient) -> None:
    form = (await client.get("/checkout")).html.css_first('form[action="/checkout"]')
    assert form is not None
    assert form.attributes["method"] == "post"
    inputs = {n.attributes["name"]: n.attributes for n in form.css("input, select, textarea")}
    assert inputs["email"]["type"] == "email"
    assert inputs["phone"]["type"] == "tel"
    assert (inputs["invoice_copies"]["min"], inputs["invoice_copies"]["max"]) == ("1", "3")
    assert inputs["postcode"]["pattern"] == "[0-9]{5}"
    assert inputs["delivery_date"]["type"] == "date"
    assert inputs["terms"]["type"] == "checkbox"
    assert "required" in inputs["terms"]
    assert form.css_first("select[name=country]")
    assert form.css_first("textarea[name=address]")


async def test_invalid_checkout_rerenders_with_messages(client: ShopClient) -> None:
    await add(client, 9, "1")
    token = (await client.get("/checkout")).csrf_token()
    form = valid_checkout(token) | {"postcode": "12ab", "email": "nope"}
    del form["terms"]
    page = await client.post("/checkout", form)
    assert page.status == 200
    assert {n.attributes["id"] for n in page.html.css(".error[id]")} == {
        "email-error",
        "postcode-error",
        "terms-error",
    }
    assert page.html.css_first("input[name=full_name]").attributes["value"] == "Ann Example"  # type: ignore[union-attr]


async def test_checkout_with_an_empty_cart_is_refused(client: ShopClient) -> None:
    token = (await client.get("/checkout")).csrf_token()
    page = await client.post("/checkout", valid_checkout(token))
    assert page.status == 200
    assert "Your cart is empty" in page.text


async def test_successful_checkout_confirms_the_order(client: ShopClient) -> None:
    await add(client, 12, "2")
    token = (await client.get("/checkout")).csrf_token()
    page = await client.post("/checkout", valid_checkout(token))
    assert page.status == 303
    assert page.location is not None
    assert page.location.startswith("/orders/")
    order = await client.get(page.location)
    assert order.status == 200
    assert "is confirmed" in order.text
    assert "France" in order.text
    assert "Your cart is empty" in (await client.get("/cart")).text
    async with ShopClient(client.base_url) as stranger:
        assert (await stranger.get(page.location)).status == 404
