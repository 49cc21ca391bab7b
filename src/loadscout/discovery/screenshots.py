"""A PNG thumbnail of the first page seen for each distinct URL pattern, for the dashboard."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page


def thumbnail_name(pattern: str) -> str:
    """A file name from a pattern: ``/products/{num}`` -> ``products_num.png``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "_", pattern).strip("_") or "home"
    return f"{slug[:80]}.png"


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
            await page.screenshot(path=path, type="png", scale="css", timeout=5000)
        except PlaywrightError:
            return
        self.paths.append(str(path))
