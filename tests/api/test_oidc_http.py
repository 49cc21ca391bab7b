"""Single sign-on against a real OpenID provider (panva's oidc-provider under Node, started
here) and a real ``loadscout serve``: the browser's whole round trip, over loopback only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.api.people import instance_admin, new_team
from tests.api.serve import Served, call, fresh_database, serving, start_serve
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Browser, Provider, running_provider
from tests.utils.processes import free_port

CALLBACK = "/api/v1/auth/oidc/callback"
ROLE_MAP = "lt-admins=default:admin,lt-runners=default:runner,lt-runners=ops:viewer"


@pytest.fixture(scope="module")
def sso(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Served, Provider]]:
    """A server signing in through the provider; the provider knows the server's callback
    only once the server has its port, so the server starts first (it reads the provider's
    metadata lazily, at the first sign-in)."""
    folder: Path = tmp_path_factory.mktemp("sso")
    port = free_port()
    env = {
        "LOADSCOUT_OIDC_ISSUER": f"http://127.0.0.1:{port}",
        "LOADSCOUT_OIDC_CLIENT_ID": CLIENT_ID,
        "LOADSCOUT_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "LOADSCOUT_OIDC_ROLE_MAP": ROLE_MAP,
        "LOADSCOUT_OIDC_INSTANCE_ADMIN_GROUP": "lt-instance-admins",
        "LOADSCOUT_OIDC_DISPLAY_NAME": "Test IdP",
    }
    with (
        fresh_database(backend, folder) as url,
        serving(url, folder, **env) as served,
        running_provider(port, served.base + CALLBACK, folder) as provider,
    ):
        yield served, provider
        print(served.log.read_text(), provider.log.read_text())


@pytest.fixture
def browser() -> Iterator[Browser]:
    with Browser() as b:
        yield b


def sign_in(served: Served, browser: Browser, account: str, next_: str | None = None) -> str:
    """Sign ``account`` in through the provider; where the server sends the browser at last."""
    callback = browser.sign_in_at_provider(browser.start(served.base, next_), account)
    done = browser.get(callback)
    assert done.status_code == 303, done.text
    location: str = done.headers["location"]
    return location


def me(served: Served, browser: Browser) -> dict[str, object]:
    response = browser.get(f"{served.api}/auth/me")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def refusal(location: str) -> str:
    """The message of a redirect to the sign-in page."""
    parts = urlsplit(location)
    assert parts.path == "/signin", location
    return parse_qs(parts.query)["error"][0]


def test_sso_off_says_so_and_has_no_sign_in(tmp_path: Path) -> None:
    with fresh_database("sqlite", tmp_path) as url, serving(url, tmp_path) as served:
        assert call("GET", f"{served.api}/auth/oidc", token="") == (
            200,
            {"enabled": False, "name": ""},
        )
        status, body = call("GET", f"{served.api}/auth/oidc/login?next=/", token="")
        assert status == 404
        assert "LOADSCOUT_OIDC_ISSUER" in body["detail"]


def test_a_wrong_setting_stops_the_server_with_a_clear_message(tmp_path: Path) -> None:
    bad = {
        "LOADSCOUT_OIDC_ISSUER": "http://idp.example.com",
        "LOADSCOUT_OIDC_ROLE_MAP": "lt-admins=default:boss,nonsense",
    }
    with fresh_database("sqlite", tmp_path) as url, pytest.raises(RuntimeError) as err:
        start_serve(url, tmp_path, **bad)
    said = str(err.value)
    assert "must use https" in said
    assert "LOADSCOUT_OIDC_CLIENT_ID is empty" in said
    assert "unknown role 'boss'" in said
    assert "'nonsense' is not group=team:role" in said
    assert "Traceback" not in said


def test_the_dashboard_learns_sso_is_on(sso: tuple[Served, Provider]) -> None:
    served, _ = sso
    assert call("GET", f"{served.api}/auth/oidc", token="") == (
        200,
        {"enabled": True, "name": "Test IdP"},
    )


def test_a_runner_signs_in_and_lands_where_they_were_going(
    sso: tuple[Served, Provider], browser: Browser
) -> None:
    served, _ = sso
    first = browser.start(served.base, "/runs/3?tab=flows")
    assert first.status_code == 302
    sent = urlsplit(first.headers["location"])
    asked = parse_qs(sent.query)
    assert sent.netloc == urlsplit(sso[1].issuer).netloc
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["state"] and asked["nonce"]
    state_cookie = first.headers["set-cookie"]
    assert "loadscout_oidc=" in state_cookie
    assert "path=/api/v1/auth/oidc" in state_cookie
    assert "httponly" in state_cookie.lower()
    assert "samesite=lax" in state_cookie.lower()

    done = browser.get(browser.sign_in_at_provider(first, "runner"))
    assert done.status_code == 303
    assert done.headers["location"] == "/runs/3?tab=flows"
    assert "__Host-loadscout_session=" in done.headers["set-cookie"]
    who = me(served, browser)
    assert who["email"] == "runner@example.test"
    assert who["team_name"] == "default"
    assert who["role"] == "runner"
    assert {(t["name"], t["role"]) for t in who["teams"]} == {  # type: ignore[attr-defined]
        ("default", "runner"),
        ("ops", "viewer"),
    }
    assert who["is_instance_admin"] is False
    runs = browser.get(f"{served.api}/runs")
    assert runs.status_code == 200
    logged = served.log.read_text()
    assert "/api/v1/auth/oidc/callback?…" in logged  # the callback was logged, without
    assert f"state={asked['state'][0]}" not in logged  # its single-use state and code


def test_group_changes_at_the_provider_change_roles_at_the_next_sign_in(
    sso: tuple[Served, Provider],
) -> None:
    served, provider = sso
    provider.change("boss", groups=["lt-runners", "lt-instance-admins"])
    with Browser() as first:
        assert sign_in(served, first, "boss") == "/"
        who = me(served, first)
    assert (who["role"], who["is_instance_admin"]) == ("runner", True)
    # an admin adds them to a team the role map does not name: sign-in leaves that alone
    root = instance_admin(served)
    research = new_team(root, "research")
    status, _ = root(
        "PUT", f"/teams/{research}/members", {"email": "boss@example.test", "role": "admin"}
    )
    assert status == 200

    provider.change("boss", groups=["lt-admins"])
    with Browser() as again:
        sign_in(served, again, "boss")
        who = me(served, again)
    teams = {t["name"]: t["role"] for t in who["teams"]}  # type: ignore[attr-defined]
    assert teams == {"default": "admin", "research": "admin"}  # ops left, research kept
    assert who["is_instance_admin"] is False
    status, audit = root("GET", "/audit?limit=50&instance=true")
    assert status == 200
    actions = [(e["action"], e["actor"]) for e in audit["data"]]
    assert ("auth.signin_sso", "boss@example.test") in actions
    assert ("auth.sso_roles", "boss@example.test") in actions


def test_someone_in_no_mapped_group_signs_in_to_no_team(
    sso: tuple[Served, Provider], browser: Browser
) -> None:
    served, _ = sso
    assert sign_in(served, browser, "loner") == "/"
    who = me(served, browser)
    assert (who["team_id"], who["teams"]) == (None, [])
    runs = browser.get(f"{served.api}/runs")
    assert runs.status_code == 403
    assert "no team yet" in runs.json()["detail"]


def test_an_unverified_email_is_refused(sso: tuple[Served, Provider], browser: Browser) -> None:
    served, _ = sso
    location = sign_in(served, browser, "unverified")
    assert "unverified@example.test is not verified" in refusal(location)
    assert browser.get(f"{served.api}/auth/me").status_code == 401


def test_a_replayed_or_forged_callback_is_refused(
    sso: tuple[Served, Provider], browser: Browser
) -> None:
    served, _ = sso
    callback = browser.sign_in_at_provider(browser.start(served.base), "runner")
    forged = callback.replace("state=", "state=forged")
    assert "did not start here" in refusal(browser.get(forged).headers["location"])
    assert browser.get(callback).status_code == 303  # the real one still works, once
    replay = browser.get(callback)
    assert "did not start here" in refusal(replay.headers["location"])
    assert "loadscout_session" not in replay.headers.get("set-cookie", "")

    with Browser() as stranger:  # someone else's browser, handed the link: no state cookie
        assert "did not start here" in refusal(stranger.get(callback).headers["location"])


def test_cancelling_at_the_provider_comes_back_as_an_error(
    sso: tuple[Served, Provider], browser: Browser
) -> None:
    served, _ = sso
    callback = browser.cancel_at_provider(browser.start(served.base))
    assert "cancelled" in refusal(browser.get(callback).headers["location"])


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_next_elsewhere_goes_home(
    sso: tuple[Served, Provider], browser: Browser, target: str
) -> None:
    served, _ = sso
    assert sign_in(served, browser, "runner", target) == "/"
