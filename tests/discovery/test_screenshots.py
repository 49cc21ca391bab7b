"""Page thumbnails: viewport captures downscaled to small PNGs at most 320 px wide."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import Browser

from loadscout.discovery.screenshots import (
    THUMB_WIDTH,
    Screenshots,
    thumbnail_name,
    write_thumbnail,
)
from tests.discovery.site import Site

MAX_BYTES = 60_000


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def test_thumbnail_name() -> None:
    assert thumbnail_name("/products/{num}") == "products_num.png"
    assert thumbnail_name("/") == "home.png"


def test_downscales_keeping_the_aspect_ratio(tmp_path: Path) -> None:
    path = tmp_path / "t.png"
    write_thumbnail(_png(1280, 720), path)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (THUMB_WIDTH, 180)


def test_never_upscales(tmp_path: Path) -> None:
    path = tmp_path / "t.png"
    write_thumbnail(_png(200, 100), path)
    with Image.open(path) as image:
        assert image.size == (200, 100)


@pytest.mark.browser
async def test_a_page_becomes_one_small_thumbnail(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = await context.new_page()
        await page.goto(site.url)  # a long page: the capture is the viewport, not all of it
        shots = Screenshots(str(tmp_path / "shots"))
        await shots.take(page, "/")
        await shots.take(page, "/")  # one per pattern
    finally:
        await context.close()
    assert shots.paths == [str(tmp_path / "shots" / "home.png")]
    _assert_small_png(shots.paths[0], size=(THUMB_WIDTH, 180))


def _assert_small_png(path: str, *, size: tuple[int, int]) -> None:
    data = Path(path).read_bytes()
    assert len(data) < MAX_BYTES
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == size
