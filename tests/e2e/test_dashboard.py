"""The web dashboard end to end: ``loadscout serve`` with the built web/dist, driven in Chromium.

Builds nothing: ``make test`` builds web/dist first (scripts/build-web.sh). Screenshots of every
page land in the pytest tmp dir (path printed with ``-s``, listed under "screenshots").
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Page,
    Response,
    async_playwright,
    expect,
)

from loadscout.settings import default_chromium
from tests.e2e.signin import csrf_headers, signed_in_state
from tests.utils.demo_server import DemoServer
from tests.utils.processes import serving

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
RUN_TIMEOUT_MS = 120_000
FIRST_POINT_BAR_S = 5.0  # the bar: first live data point within 5 s of the load starting
REPORTS = {
    "json": "application/json",
    "csv": "text/csv",
    "html": "text/html",
    "xml": "application/xml",
}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``loadscout serve`` on a free port with a fresh SQLite DB, serving the built dashboard."""
    if not (DIST / "index.html").exists():
        pytest.fail(
            f"{DIST / 'index.html'} is missing: build the dashboard first "
            "(`bash scripts/build-web.sh`, which `make test` runs)"
        )
    with serving(tmp_path_factory.mktemp("dashboard"), LOADSCOUT_DASHBOARD_DIR=str(DIST)) as base:
        yield base


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium (pytest-playwright's fixtures expect a downloaded browser)."""
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(
            executable_path=default_chromium(),
            headless=True,
            args=[
                "--disable-gpu",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            ],
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("screenshots")
    print(f"\ndashboard screenshots: {path}")
    return path


class Watched:
    """A page plus every console error and uncaught exception it produced."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.failed: list[str] = []  # "409 GET http://..." for every 4xx/5xx answer
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.request.method} {response.url}")

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")


@pytest.fixture(scope="module")
async def session(browser: Browser, server: str) -> Any:
    """The test admin signed in once, through the sign-in page; every test's context reuses
    the session cookie."""
    return await signed_in_state(browser, server)


@pytest.fixture
async def watched(browser: Browser, session: Any) -> AsyncIterator[Watched]:
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="light", storage_state=session
    )
    try:
        yield Watched(await context.new_page())
    finally:
        await context.close()


async def _no_horizontal_scroll(page: Page) -> None:
    widths = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"page scrolls sideways at {widths[1]} px: content {widths[0]} px"
    )


async def _shot(page: Page, path: Path) -> None:
    """Full-page screenshot from the top (the sticky header would otherwise land mid-page)."""
    await page.evaluate("window.scrollTo(0, 0)")
    await page.screenshot(path=path, full_page=True)


async def _thumbnail_loads(page: Page) -> None:
    """At least one flow shows its page thumbnail, really fetched from the API."""
    thumb = page.get_by_test_id("page-thumbnail").first
    await thumb.scroll_into_view_if_needed()
    assert (await thumb.get_attribute("alt") or "").startswith("Screenshot of page /")
    handle = await thumb.element_handle()
    await page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=handle, timeout=15_000
    )


async def _seen_at(page: Page, selector: str, condition: str) -> float:
    """The wall-clock time (epoch s) at which ``condition`` on ``selector`` first held, polled
    every 50 ms in the page."""
    await page.wait_for_function(
        f"() => {{ const el = document.querySelector({selector!r}); "
        f"return !!el && ({condition}) }}",
        timeout=RUN_TIMEOUT_MS,
        polling=50,
    )
    return time.time()


async def _loading_started(page: Page, run_url: str) -> float:
    """When the run's ``loading`` event was stored (epoch s; zone-less times are UTC)."""
    events: dict[str, Any] = await (await page.request.get(f"{run_url}/events")).json()
    at = next(e["at"] for e in events["data"] if e["status"] == "loading")
    stamp = datetime.fromisoformat(at)
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()


async def _downloads_work(page: Page, server: str, run_id: str) -> None:
    """Each download link answers 200 with its content type, as an attachment."""
    links = page.get_by_role("group", name="Download the result").get_by_role("link")
    hrefs = [await link.get_attribute("href") or "" for link in await links.all()]
    assert hrefs == [f"/api/v1/runs/{run_id}/report.{fmt}" for fmt in REPORTS]
    for href, (fmt, media) in zip(hrefs, REPORTS.items(), strict=True):
        response = await page.request.get(server + href)
        assert response.status == 200, await response.text()
        assert response.headers["content-type"].split(";")[0] == media
        assert response.headers["content-disposition"] == (
            f'attachment; filename="loadscout-run-{run_id}.{fmt}"'
        )
        body = await response.text()
        assert (f'"run_id": "{run_id}"' in body) if fmt == "json" else len(body) > 200


async def _fill_form(page: Page, target: str) -> None:
    await page.get_by_label("Application URL").fill(target)
    await page.get_by_label("Virtual users").fill("5")
    await page.get_by_label("Duration").fill("6s")  # units, as on the command line
    await page.get_by_label("Ramp-up").fill("1")
    await page.get_by_label("Think time, min").fill("0.05")
    await page.get_by_label("Think time, max").fill("0.2")
    await page.get_by_text("Discovery options").click()
    await page.get_by_label("Max pages").fill("10")


async def test_start_a_run_and_read_its_results(
    server: str, demo_shop: DemoServer, watched: Watched, shots: Path
) -> None:
    page = watched.page
    await page.goto(server + "/")
    await expect(page.get_by_text("No runs yet")).to_be_visible()
    await _shot(page, shots / "01-runs-empty.png")

    await page.get_by_role("link", name="Start your first test").click()
    await expect(page).to_have_url(re.compile(r"/runs/new$"))
    await _fill_form(page, demo_shop.url)
    await expect(
        page.get_by_label("Planned users: peak 5 over 6 s")  # as the server read the profile
    ).to_be_visible()
    await _shot(page, shots / "02-new-test.png")
    await page.get_by_role("button", name="Start test").click()

    await expect(page).to_have_url(re.compile(r"/runs/\d+$"))
    run_id = page.url.rsplit("/", 1)[1]
    # Live numbers, then live chart points, while the run is loading; the first chart point
    # must show within 5 s of the load starting (the run's `loading` event).
    first_number = await _seen_at(
        page, "[data-testid=live-requests]", "/^[1-9]/.test(el.textContent)"
    )
    first_point = await _seen_at(
        page, "figure[aria-label='Requests per second']", "Number(el.dataset.points) > 0"
    )
    still_live = await page.get_by_test_id("live-panel").count()
    throughput = page.get_by_role("figure", name="Requests per second")
    await _shot(page, shots / "03-run-live.png")
    loading_at = await _loading_started(page, f"{server}/api/v1/runs/{run_id}")
    print(
        f"\nfirst live number {first_number - loading_at:.2f} s, first chart point "
        f"{first_point - loading_at:.2f} s after the load started"
    )
    assert still_live == 1, "the first chart point came only with the final summary"
    assert 0 <= first_point - loading_at <= FIRST_POINT_BAR_S, first_point - loading_at

    await expect(page.get_by_role("main").get_by_text("completed", exact=True)).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    steps = page.get_by_role("region", name="Per-step results")
    await expect(steps.locator("tbody tr").first).to_be_visible()
    assert await steps.locator("tbody tr").count() >= 2
    phases = page.get_by_role("table", name="Timing by phase")
    await expect(phases.get_by_text("Waiting (TTFB)")).to_be_visible()
    await expect(page.locator("dl[aria-label='Run totals']")).to_contain_text("Requests")
    await expect(page.get_by_text(re.compile(r"^Flows \(\d+\)$"))).to_be_visible()
    await _thumbnail_loads(page)
    await _downloads_work(page, server, run_id)
    # The timeline knows how long the load took, from the run's events.
    await expect(page.get_by_test_id("stage-loading")).to_have_text(re.compile(r"^\d+(\.\d)? s$"))
    # The stored per-second series replaces the polled one.
    assert int(await throughput.get_attribute("data-points") or 0) >= 3

    # Sorting by a column flips with a second click.
    requests_header = steps.get_by_role("columnheader", name=re.compile("Sent"))
    await requests_header.get_by_role("button").click()
    await expect(requests_header).to_have_attribute("aria-sort", "descending")
    await requests_header.get_by_role("button").click()
    await expect(requests_header).to_have_attribute("aria-sort", "ascending")
    counts = [
        int(t.replace(",", ""))
        for t in await steps.locator("tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert counts == sorted(counts)
    await _shot(page, shots / "04-run-done.png")

    await page.get_by_role("link", name="Runs", exact=True).click()
    row = page.get_by_role("region", name="Runs").locator("tbody tr").first
    await expect(row).to_contain_text("completed")
    await expect(row).to_contain_text(f"#{run_id}")
    await _shot(page, shots / "05-runs-list.png")

    await page.get_by_role("button", name="Switch to dark theme").click()
    assert await page.evaluate("document.documentElement.classList.contains('dark')")
    await page.goto(f"{server}/runs/{run_id}")  # deep link, theme remembered
    await expect(page.get_by_role("region", name="Per-step results")).to_be_visible()
    assert await page.evaluate("document.documentElement.classList.contains('dark')")
    await _shot(page, shots / "06-run-done-dark.png")

    await page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (("runs", "/"), ("new", "/runs/new"), ("run", f"/runs/{run_id}")):
        await page.goto(server + path)
        await page.wait_for_load_state("networkidle")
        await _no_horizontal_scroll(page)
        await _shot(page, shots / f"07-mobile-{name}.png")

    assert watched.errors == [], watched.failed


async def test_form_reports_its_own_and_the_servers_errors(
    server: str, watched: Watched, shots: Path
) -> None:
    page = watched.page
    await page.goto(server + "/runs/new")
    await page.get_by_role("button", name="Start test").click()
    await expect(page.get_by_text("Enter the URL of the app to test")).to_be_visible()
    await page.get_by_label("Application URL").fill("http://127.0.0.1:9/")
    assert await page.get_by_label("Ramp-up").input_value() == "0"  # the server's default
    await page.get_by_label("Duration").fill("4")
    await page.get_by_label("Ramp-up").fill("10")  # now too long for the duration
    # the server reads the profile: its own rule, in its own words
    await expect(
        page.get_by_text("ramp-up (10s) cannot be longer than the duration (4s)")
    ).to_be_visible()
    assert await page.get_by_label("Ramp-up").get_attribute("aria-invalid") == "true"
    await page.get_by_label("Ramp-up").fill("0")
    await page.get_by_role("button", name="Start test").click()
    alert = page.get_by_role("alert").filter(has_text="The test could not start")
    await expect(alert).to_contain_text("127.0.0.1:9", timeout=30_000)
    await expect(page).to_have_url(re.compile(r"/runs/new$"))
    await _shot(page, shots / "08-new-test-errors.png")
    # The only console error is the browser's own note about the 400 response.
    assert all("400" in e for e in watched.errors), watched.errors


async def test_duration_units_and_a_custom_shape(
    server: str, watched: Watched, shots: Path
) -> None:
    """Durations take units; a pasted shape is read by the server and drawn in the preview."""
    page = watched.page
    await page.goto(server + "/runs/new")
    duration = page.get_by_label("Duration")
    await duration.fill("soon")
    await duration.blur()
    await expect(page.get_by_text("Enter the duration like 30s, 2m or 1h30m")).to_be_visible()
    await duration.fill("1m30s")
    await expect(page.get_by_label("Planned users: peak 10 over 90 s")).to_be_visible()

    await page.get_by_role("radio", name=re.compile("Custom shape")).check()
    shape = page.get_by_label("Shape", exact=True)
    await shape.fill("duration,users\nsoon,3\n")
    await expect(page.get_by_text("cannot read duration 'soon'")).to_be_visible()
    assert await shape.get_attribute("aria-invalid") == "true"
    await shape.fill("duration,users\n30s,10\n1m,20\n")
    preview = page.get_by_role(
        "figure", name="Planned users: custom stages shape, peak 20 over 90 s"
    )
    await expect(preview).to_have_attribute("data-points", "3")
    assert await shape.get_attribute("aria-invalid") is None
    await _shot(page, shots / "14-new-test-custom-shape.png")

    await page.set_viewport_size({"width": 390, "height": 844})
    await expect(preview).to_be_visible()
    await _no_horizontal_scroll(page)
    await _shot(page, shots / "15-mobile-custom-shape.png")
    # The only console errors are the browser's notes about the rejected shape (422).
    assert all("422" in e for e in watched.errors), watched.errors


async def test_unknown_run_and_deep_links(server: str, watched: Watched) -> None:
    page = watched.page
    response = await page.goto(server + "/runs/987654")
    assert response is not None and response.status == 200
    await expect(page.get_by_text("Run 987654 does not exist")).to_be_visible()
    assert all("404" in e for e in watched.errors), watched.errors


async def test_cancel_a_running_test(
    server: str, demo_shop: DemoServer, watched: Watched, shots: Path
) -> None:
    page = watched.page
    created = await page.request.post(
        f"{server}/api/v1/runs",
        headers=await csrf_headers(page, server),
        data={
            "target_url": demo_shop.url,
            "users": 2,
            "duration_s": 60,
            "think_time_min_s": 0.1,
            "think_time_max_s": 0.3,
            "max_pages": 3,
        },
    )
    assert created.status == 201, await created.text()
    run_id = (await created.json())["id"]
    await page.goto(f"{server}/runs/{run_id}")
    await page.get_by_role("button", name="Cancel run").click()
    await expect(page.get_by_role("main").get_by_text("cancelled", exact=True)).to_be_visible(
        timeout=60_000
    )
    await expect(page.get_by_text("The run was cancelled")).to_be_visible()
    await expect(page.get_by_role("button", name="Cancel run")).to_have_count(0)
    await _shot(page, shots / "09-run-cancelled.png")
    assert watched.errors == [], watched.failed


async def _second_completed_run(page: Page, server: str) -> tuple[int, int]:
    """The completed run of the first test, and a second short run replaying its flows (no
    discovery, so it takes seconds), waited for until it completed too."""
    api = f"{server}/api/v1/runs"
    listing = await (await page.request.get(f"{api}?status=completed&limit=50")).json()
    assert listing["data"], listing
    first = int(listing["data"][-1]["id"])
    flowset = await (await page.request.get(f"{api}/{first}/flows")).json()
    created = await page.request.post(
        api,
        headers=await csrf_headers(page, server),
        data={
            "target_url": flowset["target_url"],
            "flowset": flowset,
            "users": 3,
            "duration_s": 2,
            "think_time_min_s": 0.05,
            "think_time_max_s": 0.1,
        },
    )
    assert created.status == 201, await created.text()
    second = int((await created.json())["id"])
    deadline = time.monotonic() + RUN_TIMEOUT_MS / 1000
    run: dict[str, Any] = {}
    while time.monotonic() < deadline:
        run = await (await page.request.get(f"{api}/{second}")).json()
        if run["status"] in ("completed", "failed", "cancelled"):
            break
        await page.wait_for_timeout(200)
    assert run["status"] == "completed", run
    return first, second


async def test_compare_two_completed_runs(server: str, watched: Watched, shots: Path) -> None:
    """The first test's run against a second, shorter one replaying the same flows."""
    page = watched.page
    a, b = await _second_completed_run(page, server)
    await page.goto(server + "/")
    compare = page.get_by_role("button", name=re.compile("^Compare"))
    await expect(compare).to_be_disabled()
    await page.get_by_label(f"Select run #{b} to compare").first.check()
    await page.get_by_label(f"Select run #{a} to compare").first.check()
    await compare.click()
    await expect(page).to_have_url(re.compile(rf"/compare\?a={a}&b={b}$"))
    await expect(page.get_by_role("heading", name=f"Compare #{a} → #{b}")).to_be_visible()
    totals = page.get_by_role("region", name="Totals compared")
    await expect(totals.locator("tbody tr")).to_have_count(5)
    # Both runs have results, so every change is a number, never the "–" of a missing value.
    for metric in ("rps", "p50", "p95", "p99", "error_rate"):
        change = await totals.locator(f"tr[data-metric={metric}] td").nth(3).inner_text()
        assert re.match(r"^[▲▼=]?\s*[+−]?<?\d[\d.,]*", change.strip()), (metric, change)
    steps = page.get_by_role("region", name="Steps compared")
    await expect(steps.locator("tbody tr").first).to_be_visible()
    await _shot(page, shots / "10-compare.png")

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.reload()
    await expect(totals).to_be_visible()
    await page.wait_for_load_state("networkidle")
    await _no_horizontal_scroll(page)
    await _shot(page, shots / "11-mobile-compare.png")
    assert watched.errors == [], watched.failed


async def test_delete_a_run(server: str, watched: Watched, shots: Path) -> None:
    """The cancelled run of the tests above is deleted from its page, by keyboard."""
    page = watched.page
    listing = await (await page.request.get(f"{server}/api/v1/runs?status=cancelled")).json()
    assert listing["data"], listing
    run_id = listing["data"][0]["id"]
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{server}/runs/{run_id}")
    delete = page.get_by_role("button", name="Delete", exact=True)
    await delete.focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog", name=f"Delete run #{run_id}?")
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await _no_horizontal_scroll(page)
    await page.screenshot(path=shots / "12-mobile-delete-dialog.png")
    await page.keyboard.press("Escape")  # changed their mind: nothing happens
    await expect(dialog).to_have_count(0)
    await expect(delete).to_be_focused()

    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")
    await expect(dialog.get_by_role("button", name="Delete run")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/$"))
    # The list is back (another run shows) and the deleted one is not in it.
    kept = await (await page.request.get(f"{server}/api/v1/runs?status=completed")).json()
    select = "[aria-label='Select run #{} to compare']"
    await expect(page.locator(select.format(kept["data"][0]["id"]) + ":visible")).to_have_count(1)
    await expect(page.locator(select.format(run_id))).to_have_count(0)
    gone = await page.request.get(f"{server}/api/v1/runs/{run_id}")
    assert gone.status == 404
    await _shot(page, shots / "13-mobile-runs-after-delete.png")
    assert watched.errors == [], watched.failed


@contextmanager
def _dying_target() -> Iterator[str]:
    """A target whose ``/`` answers until the block ends, when the whole server goes away;
    ``/gone`` never answers at all (the connection is closed on every request)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path.startswith("/gone"):
                self.close_connection = True
                return
            body = b"<!doctype html><title>shop</title><p>hello</p>"
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


async def test_a_target_that_dies_mid_run_shows_the_failure_never_0_ms(
    server: str, watched: Watched, shots: Path
) -> None:
    page = watched.page
    with _dying_target() as url:
        flowset = {
            "version": 2,
            "target_url": url,
            "flows": [
                {"name": "shop", "steps": [{"name": "home", "url": "/"}]},
                {"name": "broken", "steps": [{"name": "gone", "url": "/gone"}]},
            ],
        }
        created = await page.request.post(
            f"{server}/api/v1/runs",
            headers=await csrf_headers(page, server),
            data={
                "target_url": url,
                "users": 2,
                "duration_s": 4,
                "think_time_min_s": 0.05,
                "think_time_max_s": 0.1,
                "flowset": flowset,
            },
        )
        assert created.status == 201, await created.text()
        run_id = (await created.json())["id"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = (await (await page.request.get(f"{server}/api/v1/runs/{run_id}")).json())[
                "status"
            ]
            if status != "queued":
                break
            await page.wait_for_timeout(100)
        await page.wait_for_timeout(1_500)  # load against a live target first
    # the target is gone now; the run goes on against a dead port
    deadline = time.monotonic() + 60
    detail: dict[str, Any] = {}
    while time.monotonic() < deadline:
        detail = await (await page.request.get(f"{server}/api/v1/runs/{run_id}")).json()
        if detail["status"] in ("completed", "failed", "cancelled") and detail["summary"]:
            break
        await page.wait_for_timeout(200)
    assert detail["status"] == "completed", detail.get("reason")
    assert detail["verdict"] == "errors"
    gone = next(s for s in detail["summary"]["steps"] if s["name"] == "gone")
    assert gone["requests"] > 0 and gone["errors"] == gone["requests"]
    assert gone["latency_ms"]["p50"] is None  # never answered: missing, not 0

    await page.goto(f"{server}/runs/{run_id}")
    await expect(page.get_by_role("main").get_by_text("Too many errors").first).to_be_visible()
    steps = page.get_by_role("region", name="Per-step results")
    row = steps.locator("tr", has_text="gone")
    cells = await row.locator("td").all_inner_texts()
    heads = [h.strip().lower() for h in await steps.locator("th").all_inner_texts()]
    p50 = next(i for i, h in enumerate(heads) if h.startswith("p50"))  # retried may come first
    assert cells[p50 : p50 + 4] == ["–", "–", "–", "–"], (heads, cells)  # p50, p95, p99, max
    assert not any(re.fullmatch(r"0(\.0+)? ms", c.strip()) for c in cells), cells
    await _shot(page, shots / "13-dead-target.png")
    await page.goto(server + "/")
    listed = page.get_by_role("row", name=re.compile(f"#{run_id}\\b"))
    await expect(listed.get_by_text("Too many errors")).to_be_visible()
