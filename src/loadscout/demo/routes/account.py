"""Login, logout, the account page and the destructive "delete my account" action."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loadscout.demo.accounts import check_credentials
from loadscout.demo.deps import CsrfForm, Session, Shop, form_str, replace_session
from loadscout.demo.rendering import render

router = APIRouter()

ACCOUNT_PATH = "/account"


def safe_next(target: str) -> str:
    """Only local paths, so ``next`` cannot redirect off-site."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ACCOUNT_PATH


def login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={path}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = ACCOUNT_PATH) -> HTMLResponse:
    return render(request, "login.html", next=safe_next(next), username="", error=None)


@router.post("/login")
async def login(request: Request, shop: Shop, session: Session, form: CsrfForm) -> Response:
    username, password = form_str(form, "username"), form_str(form, "password")
    target = safe_next(form_str(form, "next"))
    if not check_credentials(username, password, deleted=shop.deleted_users):
        error = "Unknown username or wrong password."
        return render(request, "login.html", next=target, username=username, error=error)
    fresh = shop.sessions.cycle(session, keep_data=True)
    fresh.username = username
    replace_session(request, fresh)
    return RedirectResponse(target, status_code=303)


@router.get("/logout")
async def logout(request: Request, shop: Shop, session: Session) -> RedirectResponse:
    replace_session(request, shop.sessions.cycle(session, keep_data=False))
    return RedirectResponse("/", status_code=303)


@router.get(ACCOUNT_PATH, response_class=HTMLResponse)
async def account(request: Request, shop: Shop, session: Session) -> Response:
    if session.username is None:
        return login_redirect(ACCOUNT_PATH)
    orders = [shop.orders[i] for i in session.order_ids if i in shop.orders]
    return render(request, "account.html", orders=orders)


@router.post("/account/delete")
async def delete_account(
    request: Request, shop: Shop, session: Session, form: CsrfForm
) -> Response:
    """Really deletes: the account can no longer log in for the rest of this shop's life."""
    if session.username is None:
        return login_redirect(ACCOUNT_PATH)
    shop.deleted_users.add(session.username)
    replace_session(request, shop.sessions.cycle(session, keep_data=False))
    return RedirectResponse("/", status_code=303)
