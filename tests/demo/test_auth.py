"""Login, logout, the protected account page and account deletion."""

from __future__ import annotations

from tests.demo.shop_client import ShopClient


async def test_account_needs_login(client: ShopClient) -> None:
    page = await client.get("/account")
    assert (page.status, page.location) == (303, "/login?next=/account")


async def test_login_form_fields(client: ShopClient) -> None:
    page = await client.get("/login?next=/account")
    form = page.html.css_first('form[action="/login"]')
    assert form is not None
    assert form.attributes["method"] == "post"
    types = {n.attributes.get("name"): n.attributes.get("type") for n in form.css("input")}
    assert types == {
        "csrf_token": "hidden",
        "next": "hidden",
        "username": None,
        "password": "password",
    }


async def test_successful_login_redirects_to_account(client: ShopClient) -> None:
    page = await client.login("alice", "wonderland")
    assert (page.status, page.location) == (303, "/account")
    account = await client.get("/account")
    assert account.status == 200
    assert "Hello, alice" in account.text
    assert "/logout" in account.links()


async def test_numbered_accounts_log_in(client: ShopClient) -> None:
    assert (await client.login("user41", "password41")).status == 303
    assert "Hello, user41" in (await client.get("/account")).text


async def test_failed_login_rerenders_the_form_with_an_error(client: ShopClient) -> None:
    page = await client.login("alice", "not-her-password")
    assert page.status == 200
    assert "Unknown username or wrong password." in page.text
    assert page.html.css_first('form[action="/login"]') is not None
    assert (await client.get("/account")).status == 303


async def test_login_rotates_session_and_csrf_token(client: ShopClient) -> None:
    before = await client.get("/login")
    cookie_before = client.session_cookie()
    await client.login("bob", "builder")
    after = await client.get("/account")
    assert client.session_cookie() not in (None, cookie_before)
    assert after.csrf_token() != before.csrf_token()


async def test_login_never_redirects_off_site(client: ShopClient) -> None:
    token = (await client.get("/login")).csrf_token()
    form = {"csrf_token": token, "username": "bob", "password": "builder", "next": "//evil.test/"}
    page = await client.post("/login", form)
    assert (page.status, page.location) == (303, "/account")


async def test_logout_clears_the_session(client: ShopClient) -> None:
    await client.login("user42", "password42")
    page = await client.get("/logout")
    assert (page.status, page.location) == (303, "/")
    assert (await client.get("/account")).status == 303


async def test_delete_my_account_really_deletes(client: ShopClient) -> None:
    await client.login("user43", "password43")
    account = await client.get("/account")
    form = account.html.css_first('form[action="/account/delete"]')
    assert form is not None
    assert form.attributes["method"] == "post"
    assert form.css_first("button").text().strip() == "Delete my account"  # type: ignore[union-attr]
    page = await client.post("/account/delete", {"csrf_token": account.csrf_token()})
    assert (page.status, page.location) == (303, "/")
    assert (await client.get("/account")).status == 303
    assert (await client.login("user43", "password43")).status == 200  # account is gone


async def test_delete_without_login_goes_to_login(client: ShopClient) -> None:
    token = (await client.get("/login")).csrf_token()
    page = await client.post("/account/delete", {"csrf_token": token})
    assert (page.status, page.location) == (303, "/login?next=/account")
