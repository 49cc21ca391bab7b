"""Sections shaped like third-party apps that broke discovery, each with its own start page
and not linked from the shop: an issue tracker whose search and login forms share one action,
an admin-like list of 300 records with detail and edit pages, a button-only API explorer, and
one rendered in the browser whose operations open, then run, in several clicks.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loadscout.demo.accounts import check_credentials
from loadscout.demo.deps import CsrfForm, Session, Shop, form_str, replace_session
from loadscout.demo.records import Record, page_count, records_page
from loadscout.demo.rendering import render

router = APIRouter()

TRACKER_PATH = "/tracker"
RECORDS_PATH = "/records"
EXPLORER_PATH = "/explorer"
OPERATIONS_PATH = "/explorer/ops"
# what the multi-click explorer lists: the reads discovery must call, the writes it must not
OPERATIONS = (
    ("GET", "/api/explorer/status", "The state of the shop"),
    ("GET", "/api/explorer/records/{id}", "One record"),
    ("POST", "/api/explorer/records", "Create a record"),
    ("GET", "/api/explorer/teams", "The teams"),
    ("DELETE", "/api/explorer/records/{id}", "Delete a record"),
    ("GET", "/api/explorer/teams/{team}/records", "A team's records"),
    ("PUT", "/api/explorer/records/{id}", "Replace a record"),
    ("GET", "/api/explorer/records", "Records, a page at a time"),
)
ISSUES = tuple(
    f"Issue {n}: {word} is slow" for n, word in enumerate(("login", "search", "cart"), 1)
)


@router.get(TRACKER_PATH, response_class=HTMLResponse)
async def tracker(request: Request, q: str = "") -> HTMLResponse:
    """A GET search form and a POST login form, both with ``action="/tracker"``."""
    issues = [i for i in ISSUES if q.lower() in i.lower()]
    return render(request, "case_tracker.html", q=q, issues=issues, error=None, username="")


@router.post(TRACKER_PATH)
async def tracker_login(request: Request, shop: Shop, session: Session, form: CsrfForm) -> Response:
    username, password = form_str(form, "username"), form_str(form, "password")
    if not check_credentials(username, password, deleted=shop.deleted_users):
        error = "Unknown username or wrong password."
        return render(
            request, "case_tracker.html", q="", issues=ISSUES, error=error, username=username
        )
    fresh = shop.sessions.cycle(session, keep_data=True)
    fresh.username = username
    replace_session(request, fresh)
    return RedirectResponse(TRACKER_PATH, status_code=303)


@router.get(RECORDS_PATH, response_class=HTMLResponse)
async def records(
    request: Request, shop: Shop, page: Annotated[int, Query(ge=1)] = 1
) -> HTMLResponse:
    listing = records_page(shop.records, page)
    if listing is None:
        raise HTTPException(status_code=404, detail="No such page of records.")
    return render(request, "case_records.html", records=listing, page=page, pages=page_count())


def _record(shop: Shop, record_id: int) -> Record:
    found = shop.records.get(record_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"There is no record {record_id}.")
    return found


@router.get(RECORDS_PATH + "/{id}", response_class=HTMLResponse)
async def record(
    request: Request, shop: Shop, record_id: Annotated[int, Path(alias="id")]
) -> HTMLResponse:
    return render(request, "case_record.html", record=_record(shop, record_id))


@router.get(RECORDS_PATH + "/{id}/change", response_class=HTMLResponse)
async def record_change(
    request: Request, shop: Shop, record_id: Annotated[int, Path(alias="id")]
) -> HTMLResponse:
    return render(request, "case_record_change.html", record=_record(shop, record_id))


@router.post(RECORDS_PATH + "/{id}/change")
async def record_save(
    shop: Shop, record_id: Annotated[int, Path(alias="id")], form: CsrfForm
) -> RedirectResponse:
    found = _record(shop, record_id)
    found.name = form_str(form, "name") or found.name
    found.notes = form_str(form, "notes")
    return RedirectResponse(f"{RECORDS_PATH}/{record_id}", status_code=303)


@router.get(EXPLORER_PATH, response_class=HTMLResponse)
async def explorer(request: Request) -> HTMLResponse:
    """No links: each operation is a ``<button>`` whose click handler calls the JSON API."""
    return render(request, "case_explorer.html")


@router.get(OPERATIONS_PATH, response_class=HTMLResponse)
async def operations_page(request: Request) -> HTMLResponse:
    """Operations rendered in the browser; each runs after three clicks and a typed id."""
    return render(request, "case_ops.html")


@router.get("/api/explorer/operations")
async def operations() -> list[dict[str, str]]:
    return [{"method": m, "path": p, "summary": s} for m, p, s in OPERATIONS]


@router.get("/api/explorer/teams")
async def explorer_teams(shop: Shop) -> list[str]:
    return sorted({r.team for r in shop.records.values()})


@router.get("/api/explorer/teams/{team}/records")
async def explorer_team_records(shop: Shop, team: str) -> list[int]:
    return [r.id for r in shop.records.values() if r.team == team][:20]


@router.get("/api/explorer/records")
async def explorer_records(shop: Shop) -> list[int]:
    return sorted(shop.records)[:20]


@router.get("/api/explorer/search")
async def explorer_search(shop: Shop, q: str = "") -> list[int]:
    """What the explorer's script-sent form asks for."""
    return [r.id for r in shop.records.values() if q.lower() in r.name.lower()][:20]


@router.get("/api/explorer/status")
async def explorer_status(shop: Shop) -> dict[str, object]:
    return {"records": len(shop.records), "ok": True}


@router.get("/api/explorer/records/{id}")
async def explorer_record(
    shop: Shop, record_id: Annotated[int, Path(alias="id")]
) -> dict[str, object]:
    found = _record(shop, record_id)
    return {"id": found.id, "name": found.name, "team": found.team}
