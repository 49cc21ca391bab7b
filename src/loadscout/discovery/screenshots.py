"""A PNG thumbnail of the first page seen for each distinct URL pattern, for the dashboard.

The visible viewport is captured (not the full page: a long list would shrink to a sliver) and
downscaled with Pillow to at most :data:`THUMB_WIDTH` pixels wide, in a 256-colour palette, so
each file stays a few tens of kilobytes.
"""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

from PIL import Image
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

THUMB_WIDTH = 320


def thumbnail_name(pattern: str) -> str:
    """A file name from a pattern: ``/products/{num}`` -> ``products_num.png``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "_", pattern).strip("_") or "home"
    return f"{slug[:80]}.png"


def write_thumbnail(png: bytes, path: Path, *, width: int = THUMB_WIDTH) -> None:
    """Downscale a PNG capture to ``width`` (aspect ratio kept; never upscaled) into ``path``."""
    with Image.open(io.BytesIO(png)) as shot:
        image = shot.convert("RGB")
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    image.quantize(colors=256).save(path, format="PNG", optimize=True)


class Screenshots:
    """Takes at most one shot per pattern into ``folder``; ``paths`` lists what was written."""

    def __init__(self, folder: str | None) -> None:
        self.folder = Path(folder) if folder else None
        self._done: set[str] = set()
        self.paths: list[str] = []

    async def take(self, page: Page, pattern: str) -> None:
        if self.folder is None or pattern in self._done:
            return
        self._done.add(pattern)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / thumbnail_name(pattern)
        try:
            png = await page.screenshot(type="png", scale="css", full_page=False, timeout=5000)
        except PlaywrightError:
            return
        await asyncio.to_thread(write_thumbnail, png, path)
        self.paths.append(str(path))
