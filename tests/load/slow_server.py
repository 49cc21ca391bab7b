"""A target in its own process (so its timing is not disturbed by the load generator):
``/sleep?ms=20`` answers after that long, ``/fast`` at once, ``/stall?s=1`` blocks the whole
server for that long (a GC pause, a stuck event loop), ``/count`` says how many /sleep and
/fast requests it served. Run as ``python -m tests.load.slow_server``; it prints its port."""

from __future__ import annotations

import asyncio
import time

import uvloop
from aiohttp import web

served = 0


async def sleep(request: web.Request) -> web.Response:
    global served
    served += 1
    await asyncio.sleep(float(request.query.get("ms", "20")) / 1000)
    return web.Response(text="ok")


async def fast(request: web.Request) -> web.Response:
    global served
    served += 1
    return web.Response(text="ok")


async def stall(request: web.Request) -> web.Response:
    time.sleep(float(request.query.get("s", "1")))  # noqa: ASYNC251 - blocks the loop on purpose
    return web.Response(text="stalled")


async def count(request: web.Request) -> web.Response:
    return web.Response(text=str(served))


async def main() -> None:
    app = web.Application()
    app.router.add_get("/sleep", sleep)
    app.router.add_get("/fast", fast)
    app.router.add_get("/stall", stall)
    app.router.add_get("/count", count)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    uvloop.run(main())
