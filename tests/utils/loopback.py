"""Guards for egress tests: every address aiohttp or the browser's egress proxy dials is
recorded, and anything but 127.0.0.1 fails the test before a socket opens."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohappyeyeballs
import pytest


def record_dials(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    dialled: list[str] = []
    real = aiohappyeyeballs.start_connection

    async def start_connection(addr_infos: list[Any], **kw: Any) -> Any:
        hosts = [info[4][0] for info in addr_infos]
        dialled.extend(hosts)
        assert set(hosts) == {"127.0.0.1"}, f"aiohttp dialled {hosts}"
        return await real(addr_infos, **kw)

    monkeypatch.setattr("aiohttp.connector.aiohappyeyeballs.start_connection", start_connection)
    return dialled


def record_proxy_dials(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    dialled: list[str] = []
    real = asyncio.open_connection

    async def dial(host: str, port: int, **kw: object) -> object:
        dialled.append(host)
        assert host == "127.0.0.1", f"the proxy dialled {host}"
        return await real(host, port, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("loadscout.discovery.egress_proxy.asyncio.open_connection", dial)
    return dialled
