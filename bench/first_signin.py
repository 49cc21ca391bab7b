"""Seconds from `make run` (on an installed checkout) to a signed-in dashboard: the server
prints its one-time set-up link, headless Chromium opens it, chooses the first admin's password
and lands on the runs page (issue 15's bar: under a minute).

    python bench/first_signin.py [--port 8795]

A fresh SQLite database in a temporary folder; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"(http://\S+/setup#token=\S+)")


async def sign_up(link: str, port: int) -> None:
    """Open the set-up link, choose the password, check the session works."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = await browser.new_page()
        await page.goto(link)
        await page.get_by_label(re.compile("email", re.I)).fill("me@example.com")
        for box in await page.locator("input[type=password]").all():
            await box.fill("a good password 1")
        await page.locator("form button[type=submit]").click()
        await page.wait_for_url(re.compile(rf"http://127.0.0.1:{port}/(runs)?$"))
        me = await page.request.get(f"http://127.0.0.1:{port}/api/v1/auth/me")
        assert me.status == 200, me.status
        await browser.close()


def measure(port: int, folder: Path) -> tuple[float, float]:
    env = {**os.environ, "LOADSCOUT_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'l.db'}"}
    began = time.monotonic()
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        link = next(m.group(1) for line in server.stdout if (m := LINK.search(line)))
        printed = time.monotonic() - began
        asyncio.run(sign_up(link, port))
        return printed, time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8795)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        printed, signed_in = measure(args.port, Path(folder))
    print(f"set-up link printed after {printed:.1f} s; signed in after {signed_in:.1f} s")


if __name__ == "__main__":
    main()
