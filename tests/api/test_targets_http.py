"""Team mode over real HTTP: runs past the free allowance need a target the team proved it
owns, proved again at each submission; the egress guard refuses what the deployment does
not allow. Every socket stays on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.api.people import Caller, instance_admin
from tests.api.serve import Served, fresh_database, serving

TEAM_MODE = {
    "LOADSCOUT_MODE": "team",
    "LOADSCOUT_EGRESS_ALLOW": "127.0.0.1/32",
    "LOADSCOUT_FREE_USERS": "2",
    "LOADSCOUT_FREE_DURATION_S": "5",
    "LOADSCOUT_ALLOWED_TARGETS": "",  # the egress guard alone decides (127.0.0.1 only)
    "LOADSCOUT_MAX_CONCURRENT_RUNS": "1",
}


@dataclass
class Site:
    url: str
    proof: str = ""  # what /.well-known/loadscout-verify.txt holds; empty: 404

    def run_body(self, users: int, duration_s: float = 0.5) -> dict[str, Any]:
        flows = [{"name": "home", "steps": [{"name": "GET /", "url": "/"}]}]
        return {
            "target_url": self.url,
            "users": users,
            "duration_s": duration_s,
            "think_time_min_s": 0.01,
            "think_time_max_s": 0.02,
            "flowset": {"target_url": self.url, "flows": flows},
        }


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    page = Site(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path == "/.well-known/loadscout-verify.txt":
                body, code, kind = page.proof.encode(), 200 if page.proof else 404, "text/plain"
            else:
                body, code, kind = b"<html><head></head><body>shop</body></html>", 200, "text/html"
            self.send_response(code)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield page
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder: Path = tmp_path_factory.mktemp("team")
    with fresh_database("sqlite", folder) as url, serving(url, folder, **TEAM_MODE) as served:
        yield served


def test_a_big_run_needs_a_target_proved_again_each_time(team_server: Served, site: Site) -> None:
    admin = instance_admin(team_server)
    assert admin("POST", "/runs", site.run_body(users=2))[0] == 201  # within the allowance
    status, answer = admin("POST", "/runs", site.run_body(users=3))
    assert status == 403
    assert "not one of your team's verified targets" in answer["detail"]

    status, target = admin("POST", "/targets", {"url": site.url})
    assert status == 201
    assert target["token"].startswith("loadscout-verify=")
    assert target["file_url"] == f"{site.url}.well-known/loadscout-verify.txt"
    status, checked = admin("POST", f"/targets/{target['id']}/check")
    assert status == 200
    assert checked["verified_at"] is None
    assert "404" in checked["detail"]

    site.proof = f"someone else's line\n{target['token']}\n"
    status, checked = admin("POST", f"/targets/{target['id']}/check")
    assert checked["verified_at"] is not None
    assert checked["method"] == "file"
    assert admin("POST", "/runs", site.run_body(users=3))[0] == 201

    site.proof = ""  # the file is gone: the next run is refused, the target no longer verified
    status, answer = admin("POST", "/runs", site.run_body(users=3))
    assert status == 403
    assert "could not be verified just now" in answer["detail"]
    listed = admin("GET", "/targets")[1]["data"]
    assert [t["verified_at"] for t in listed] == [None]


def test_a_queued_run_is_proved_again_when_it_starts(team_server: Served, site: Site) -> None:
    admin = instance_admin(team_server)
    for run in admin("GET", "/runs")[1]["data"]:  # earlier tests' runs must not queue ahead
        _final(admin, run["id"])
    found = [t for t in admin("GET", "/targets")[1]["data"] if t["host"] == "127.0.0.1"]
    target = found[0] if found else admin("POST", "/targets", {"url": site.url})[1]
    site.proof = target["token"]
    try:
        status, first = admin("POST", "/runs", site.run_body(users=3, duration_s=3))
        assert status == 201, first
        status, queued = admin("POST", "/runs", site.run_body(users=3))
        assert status == 201, queued
        site.proof = ""  # gone while the second run waits for the first
        ended = _final(admin, queued["id"])
        assert ended["status"] == "failed"
        assert "not started" in ended["reason"]
        assert "could not be verified" in ended["reason"]
        assert _final(admin, first["id"])["status"] == "completed"
    finally:
        site.proof = ""


def _final(caller: Caller, run_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, run = caller("GET", f"/runs/{run_id}")
        if run["status"] in ("completed", "failed", "cancelled"):
            return dict(run)
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not end")


def test_the_egress_guard_refuses_an_address_the_deployment_does_not_allow(
    team_server: Served, site: Site
) -> None:
    admin = instance_admin(team_server)
    other = site.url.replace("127.0.0.1", "127.0.0.2")  # loopback, but not allow-listed
    status, answer = admin("POST", "/runs", {**site.run_body(users=1), "target_url": other})
    assert status == 400
    assert "127.0.0.2" in answer["detail"]
    assert "LOADSCOUT_EGRESS_ALLOW" in answer["detail"]
    for spelling in ("2130706434", "0x7f000002", "0177.0.0.2"):  # 127.0.0.2 in disguise
        odd = site.url.replace("127.0.0.1", spelling)
        status, answer = admin("POST", "/runs", {**site.run_body(users=1), "target_url": odd})
        assert status == 400, (spelling, answer)
        assert "127.0.0.2" in answer["detail"], answer


def test_an_exempt_host_needs_no_proof(site: Site, tmp_path: Path) -> None:
    env = {**TEAM_MODE, "LOADSCOUT_VERIFIED_TARGETS": "127.0.0.0/8"}
    with fresh_database("sqlite", tmp_path) as url, serving(url, tmp_path, **env) as served:
        admin = Caller(served, token=served.token)
        status, answer = admin("POST", "/runs", site.run_body(users=5))
        assert status == 201, answer
