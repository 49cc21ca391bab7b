"""FastAPI dependencies: shop state, the visitor's session, the CSRF check of every POST."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData

from loadscout.demo.state import ShopSession, ShopState

CSRF_FIELD = "csrf_token"


def get_shop(request: Request) -> ShopState:
    shop: ShopState = request.app.state.shop
    return shop


def get_session(request: Request) -> ShopSession:
    session: ShopSession = request.state.session
    return session


def replace_session(request: Request, session: ShopSession) -> None:
    """Make ``session`` current; the session middleware sends its cookie with this response."""
    request.state.session = session


async def csrf_form(request: Request) -> FormData:
    """The posted form, or 403 unless its ``csrf_token`` is this session's current token."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = get_session(request).csrf_token
    if not isinstance(sent, str) or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="CSRF token missing or incorrect.")
    return form


Shop = Annotated[ShopState, Depends(get_shop)]
Session = Annotated[ShopSession, Depends(get_session)]
CsrfForm = Annotated[FormData, Depends(csrf_form)]


def form_str(form: FormData, name: str) -> str:
    """A text field's value, '' when missing or when it is an uploaded file."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
