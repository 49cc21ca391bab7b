"""The pure rules of single sign-on: settings, the role map, groups, where to go next."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from loadscout.api.oidc_config import (
    Grant,
    OidcConfig,
    groups_of,
    parse_role_map,
    safe_next,
    team_roles,
)
from loadscout.errors import BadInput
from loadscout.principals import Role
from loadscout.settings import Settings

LOCAL = "http://127.0.0.1:8000"


def settings(**values: object) -> Settings:
    return Settings.model_validate(values)


def test_no_issuer_means_sso_off() -> None:
    assert OidcConfig.from_settings(settings(), public_url=LOCAL) is None


def test_a_full_configuration() -> None:
    config = OidcConfig.from_settings(
        settings(
            oidc_issuer="https://idp.example.com/realms/acme/",
            oidc_client_id="loadscout",
            oidc_client_secret=SecretStr("s"),
            oidc_role_map=" acme:sre=default:admin , ops=ops-team:viewer,",
            oidc_public_url="https://lt.example.com/",
        ),
        public_url=LOCAL,
    )
    assert config is not None
    assert config.metadata_url == (
        "https://idp.example.com/realms/acme/.well-known/openid-configuration"
    )
    assert config.redirect_uri == "https://lt.example.com/api/v1/auth/oidc/callback"
    assert config.grants == (
        Grant(group="acme:sre", team="default", role=Role.ADMIN),
        Grant(group="ops", team="ops-team", role=Role.VIEWER),
    )
    assert config.mapped_teams == {"default", "ops-team"}
    assert config.admin_group is None


def test_every_wrong_setting_is_named_at_once() -> None:
    with pytest.raises(BadInput) as err:
        OidcConfig.from_settings(
            settings(
                oidc_issuer="ftp://idp",
                oidc_scopes="email",
                oidc_role_map="a=b:owner,=t:viewer,x",
                oidc_public_url="http://lt.example.com",
            ),
            public_url=LOCAL,
        )
    said = str(err.value)
    for part in (
        "'ftp://idp' is not an http(s) URL",
        "'http://lt.example.com' must use https",
        "CLIENT_ID is empty",
        "CLIENT_SECRET is empty",
        "must include 'openid'",
        "unknown role 'owner'",
        "'=t:viewer' is not group=team:role",
        "'x' is not group=team:role",
    ):
        assert part in said


def test_plain_http_for_browsers_where_the_session_cookie_is_not_secure() -> None:
    config = OidcConfig.from_settings(
        settings(
            oidc_issuer="https://idp.example.com",
            oidc_client_id="c",
            oidc_client_secret=SecretStr("s"),
            cookie_secure=False,
        ),
        public_url="http://10.0.0.5:8000",
    )
    assert config is not None
    assert config.redirect_uri == "http://10.0.0.5:8000/api/v1/auth/oidc/callback"


def test_the_highest_role_a_persons_groups_grant_in_each_team_wins() -> None:
    grants, problems = parse_role_map(
        "viewers=default:viewer,admins=default:admin,runners=default:runner,runners=ops:runner"
    )
    assert problems == []
    assert team_roles(grants, ["viewers", "admins", "runners"]) == {
        "default": Role.ADMIN,
        "ops": Role.RUNNER,
    }
    assert team_roles(grants, ["viewers"]) == {"default": Role.VIEWER}
    assert team_roles(grants, ["elsewhere"]) == {}


def test_groups_claim_shapes() -> None:
    assert groups_of({"groups": ["a", 3, "b"]}, "groups") == ["a", "b"]
    assert groups_of({"groups": "a"}, "groups") == ["a"]
    assert groups_of({"groups": {"a": 1}}, "groups") == []
    assert groups_of({}, "groups") == []


@pytest.mark.parametrize(
    ("target", "goes"),
    [
        ("/runs/3?tab=flows#x", "/runs/3?tab=flows#x"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("runs", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/a\\b", "/"),
        ("/a\r\nSet-Cookie: x", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_stays_on_this_server(target: str | None, goes: str) -> None:
    assert safe_next(target) == goes
