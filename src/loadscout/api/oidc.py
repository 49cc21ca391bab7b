"""The OpenID Connect client: send the browser to the provider, and on its way back check
everything the provider says before anyone is signed in.

Authlib does the protocol: discovery, state, nonce, PKCE (S256), the code exchange, and the ID
token's signature, issuer, audience, nonce and expiry. Its state lives in Starlette's session,
which ``install_state_cookie`` keeps in a short-lived signed cookie of its own, sent only to
``/api/v1/auth/oidc``. Every failure becomes ``SignInRefused`` with one short sentence for the
sign-in page.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

import httpx2
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import FastAPI, Request, Response
from starlette.middleware.sessions import SessionMiddleware

from loadscout.api.oidc_config import OidcConfig, groups_of
from loadscout.settings import Settings

log = logging.getLogger(__name__)

STATE_COOKIE = "loadscout_oidc"
STATE_PATH = "/api/v1/auth/oidc"
STATE_TTL_S = 600  # time to sign in at the provider
PROVIDER_DOWN = "the identity provider did not answer: try again later"


class SignInRefused(Exception):
    """``str(err)`` is shown on the sign-in page."""


@dataclass(frozen=True, kw_only=True)
class Identity:
    """What a provider vouched for: who, their verified email, and their groups."""

    subject: str
    email: str
    groups: list[str]


class OidcClient:
    def __init__(self, config: OidcConfig) -> None:
        self.config = config
        oauth = OAuth()
        oauth.register(
            "oidc",
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=config.metadata_url,
            client_kwargs={"scope": config.scopes, "code_challenge_method": "S256", "timeout": 10},
        )
        self._client: Any = oauth.create_client("oidc")

    async def redirect(self, request: Request) -> Response:
        """The redirect to the provider's sign-in page (state, nonce and verifier kept in the
        state cookie)."""
        try:
            response: Response = await self._client.authorize_redirect(
                request, self.config.redirect_uri
            )
        except (httpx2.HTTPError, OSError, ValueError) as err:
            log.warning("SSO: the provider's metadata at %s: %s", self.config.metadata_url, err)
            raise SignInRefused(PROVIDER_DOWN) from None
        return response

    async def identity(self, request: Request) -> Identity:
        """Who the provider's answer on the callback signs in; SignInRefused otherwise."""
        claims = await self._claims(request)
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise SignInRefused("the identity provider gave no email address for this account")
        if "email_verified" in claims and claims["email_verified"] is not True:
            raise SignInRefused(
                f"{email} is not verified at the identity provider: verify it there first"
            )
        return Identity(
            subject=str(claims["sub"]),
            email=email,
            groups=groups_of(claims, self.config.groups_claim),
        )

    async def _claims(self, request: Request) -> dict[str, object]:
        """The ID token's claims, completed by the userinfo endpoint (many providers put email
        and groups only there)."""
        try:
            token = await self._client.authorize_access_token(request)
            claims: dict[str, object] = dict(token.get("userinfo") or {})
            if "sub" not in claims:
                raise SignInRefused("the identity provider sent no ID token: is 'openid' asked?")
            metadata = await self._client.load_server_metadata()
            if metadata.get("userinfo_endpoint"):
                info = dict(await self._client.userinfo(token=token))
                if info.get("sub") != claims["sub"]:
                    raise SignInRefused("the identity provider's answers disagree: sign in again")
                claims = {**info, **claims}
        except MismatchingStateError:
            raise SignInRefused(
                "this sign-in did not start here or has expired: sign in again"
            ) from None
        except OAuthError as err:
            raise SignInRefused(_provider_error(err)) from None
        except (httpx2.HTTPError, OSError) as err:
            log.warning("SSO: talking to the provider: %s", err)
            raise SignInRefused(PROVIDER_DOWN) from None
        except SignInRefused:
            raise
        except Exception as err:  # a token that fails its checks: the libraries' many errors
            log.warning("SSO: the provider's answer was refused: %r", err)
            raise SignInRefused("the identity provider's answer failed its checks") from None
        return claims


def _provider_error(err: OAuthError) -> str:
    if err.error == "access_denied":
        return "sign-in was cancelled at the identity provider"
    log.warning("SSO: the provider answered %s: %s", err.error, err.description)
    return f"the identity provider refused the sign-in ({err.error})"


def install_sso(app: FastAPI, settings: Settings, *, public_url: str) -> None:
    """``app.state.oidc``: the client, or None when SSO is off (BadInput for a wrong setting).

    With SSO on, Starlette's session holds Authlib's state, in a cookie of its own: signed,
    10 minutes, HttpOnly, Lax (the provider's redirect back is a top-level GET), sent to the
    SSO routes and nowhere else."""
    config = OidcConfig.from_settings(settings, public_url=public_url)
    app.state.oidc = OidcClient(config) if config else None
    if config is None:
        return
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.oidc_state_secret.get_secret_value() or secrets.token_urlsafe(32),
        session_cookie=STATE_COOKIE,
        max_age=STATE_TTL_S,
        path=STATE_PATH,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
