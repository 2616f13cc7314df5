"""App-only access tokens: a Microsoft Entra app's client secret, a Google service account's key.

Neither kind of account holds a token a person renews: the collector (and the connection page's
check) buys one when it needs it, as ``collectors.zoom`` does for a Server-to-Server app.

* Microsoft Graph (Teams): the OAuth 2.0 client-credentials grant at the tenant's token endpoint,
  ``{login}/{tenant}/oauth2/v2.0/token`` with ``scope=https://graph.microsoft.com/.default``. The
  token is a JWT whose ``roles`` claim lists the application permissions an administrator
  granted; ``token_claims`` reads it (unverified: the token is only ever read, never trusted).
* Google (Meet): the JWT-bearer grant (RFC 7523). An assertion signed RS256 with the service
  account's private key (``iss`` the account's e-mail, ``aud`` the token endpoint, ``scope``, at
  most one hour) is exchanged for an access token. The endpoint is the configured one, never the
  key file's ``token_uri``: a pasted key must not choose where the server sends requests.

``AppToken`` gives a run its ``Authorization`` header: the account's own ``access_token`` when it
has no secret (a token pasted by hand, the older accounts), else a bought one cached in the
cursor for its lifetime and bought again once after a 401.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import jwt

from collectors.base import parse_time
from collectors.errors import (
    SERVER_ERRORS,
    AuthExpired,
    ErrorTable,
    Failure,
    RateLimited,
    Rule,
    TransientError,
    retry_after_header,
)
from collectors.http import ApiClient, bearer_headers

DEFAULT_LOGIN_URL = "https://login.microsoftonline.com"
DEFAULT_GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
MEET_SCOPE = "https://www.googleapis.com/auth/meetings.space.readonly"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME = timedelta(minutes=60)  # Google's maximum
TOKEN_MARGIN = timedelta(seconds=60)  # buy a new token a minute before the old one dies
# A tenant is a GUID or a domain name; anything else would change the endpoint's path.
TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$")
# What the token endpoints answer when the credentials themselves are wrong (RFC 6749 §5.2;
# Entra also says invalid_request for an unknown tenant).
REFUSALS = {
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "invalid_request",
    "invalid_scope",
}


def read_oauth_error(status: int, body: Any) -> Failure | None:
    """``{"error": "invalid_client", "error_description": "AADSTS7000215: …"}``."""
    if status < 400:
        return None
    body = body if isinstance(body, dict) else {}
    code = body.get("error") if isinstance(body.get("error"), str) else None
    description = str(body.get("error_description") or code or f"HTTP {status}")
    return Failure(code, description.splitlines()[0], body)


def token_errors(platform: str) -> ErrorTable:
    """How a token endpoint's refusals are classified: wrong credentials → ``AuthExpired``."""
    return ErrorTable(
        platform,
        read_oauth_error,
        (
            Rule(RateLimited, statuses={429}, wait=retry_after_header),
            Rule(AuthExpired, statuses={401}, codes=REFUSALS),
            Rule(TransientError, statuses=SERVER_ERRORS),
        ),
    )


class TokenClient(ApiClient):
    """An API client that also buys app tokens at a token endpoint on another host."""

    def __init__(self, *args: Any, token_url: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.token_url = token_url.rstrip("/")

    def token_post(self, url: str, form: Mapping[str, Any]) -> dict[str, Any]:
        """POST ``form`` to a token endpoint; its refusals classified as ``token_errors``."""
        endpoint = ApiClient(self.session, "", token_errors(self.platform), timeout=self.timeout)
        self.calls += 1
        body = endpoint.post(url, data=form).body
        if not isinstance(body, dict) or not body.get("access_token"):
            raise AuthExpired("the token endpoint answered no access token", platform=self.platform)
        return body

    def mint(self, credentials: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        raise NotImplementedError

    def can_mint(self, credentials: Mapping[str, Any]) -> bool:
        raise NotImplementedError


class GraphClient(TokenClient):
    """Microsoft Graph, and the Entra token endpoint (``token_url`` is the login host here)."""

    def __init__(self, *args: Any, login_url: str = DEFAULT_LOGIN_URL, **kw: Any) -> None:
        super().__init__(*args, token_url=login_url, **kw)

    def can_mint(self, credentials: Mapping[str, Any]) -> bool:
        return bool(credentials.get("client_secret"))

    def endpoint(self, credentials: Mapping[str, Any]) -> str:
        """The tenant's v2.0 token endpoint, or the account's own (an administrator's choice)."""
        if credentials.get("token_url"):
            return str(credentials["token_url"])
        tenant = str(credentials.get("tenant_id") or "")
        if not TENANT.match(tenant):
            raise AuthExpired(f"the tenant id {tenant!r} is not valid", platform=self.platform)
        return f"{self.token_url}/{quote(tenant, safe='')}/oauth2/v2.0/token"

    def mint(self, credentials: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """An app-only Graph token (client-credentials grant)."""
        try:
            form = {
                "grant_type": "client_credentials",
                "client_id": credentials["client_id"],
                "client_secret": credentials["client_secret"],
                "scope": GRAPH_SCOPE,
            }
        except KeyError as exc:
            raise AuthExpired(f"graph credentials lack {exc}", platform=self.platform) from exc
        return self.token_post(self.endpoint(credentials), form)


class GoogleServiceClient(TokenClient):
    """A Google API, and Google's token endpoint for a service account's signed assertion."""

    def __init__(
        self, *args: Any, token_url: str = DEFAULT_GOOGLE_TOKEN_URL, scope: str = MEET_SCOPE, **kw
    ) -> None:
        super().__init__(*args, token_url=token_url, **kw)
        self.scope = scope

    def can_mint(self, credentials: Mapping[str, Any]) -> bool:
        return bool(credentials.get("service_account_json"))

    def endpoint(self, credentials: Mapping[str, Any]) -> str:
        return str(credentials.get("token_url") or self.token_url)

    def mint(self, credentials: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """An access token for the service account (JWT-bearer grant)."""
        key = service_account_key(credentials, self.platform)
        url = self.endpoint(credentials)
        subject = str(credentials.get("delegated_user") or "") or None
        assertion = signed_assertion(key, url, self.scope, now, subject=subject)
        return self.token_post(url, {"grant_type": JWT_BEARER, "assertion": assertion})


def service_account_key(credentials: Mapping[str, Any], platform: str) -> dict[str, Any]:
    """The parsed JSON key; ``AuthExpired`` when it is missing or not a service account's."""
    try:
        key = json.loads(str(credentials.get("service_account_json") or ""))
    except ValueError as exc:
        raise AuthExpired("the service account key is not JSON", platform=platform) from exc
    if not isinstance(key, dict) or not (key.get("client_email") and key.get("private_key")):
        raise AuthExpired("the service account key lacks its e-mail or key", platform=platform)
    return key


def signed_assertion(
    key: Mapping[str, Any], audience: str, scope: str, now: datetime, *, subject: str | None = None
) -> str:
    """The RS256-signed JWT Google exchanges for a token (one hour at most)."""
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": key["client_email"],
        "scope": scope,
        "aud": audience,
        "iat": issued,
        "exp": issued + int(ASSERTION_LIFETIME.total_seconds()),
    }
    if subject:
        claims["sub"] = subject  # domain-wide delegation: act as this Workspace user
    headers = {"kid": str(key["private_key_id"])} if key.get("private_key_id") else None
    try:
        return jwt.encode(claims, str(key["private_key"]), algorithm="RS256", headers=headers)
    except (ValueError, TypeError, jwt.PyJWTError) as exc:
        raise AuthExpired("the service account's private key cannot sign", platform="meet") from exc


def token_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT access token, unverified; ``{}`` when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except ValueError:
        return {}
    return claims if isinstance(claims, dict) else {}


class AppToken:
    """The bearer header of one run: given, or bought and cached in ``state["token"]``."""

    def __init__(
        self,
        client: TokenClient,
        credentials: Mapping[str, Any],
        state: dict[str, Any],
        now: datetime,
    ) -> None:
        self.client, self.credentials, self.state, self.now = client, credentials, state, now
        self.renewed = False

    @property
    def buys(self) -> bool:
        return self.client.can_mint(self.credentials)

    def headers(self) -> dict[str, str]:
        if not self.buys:
            return bearer_headers(self.credentials, self.client.platform)
        cached = self.state.get("token") or {}
        expires = parse_time(cached.get("expires_at"))
        if cached.get("access_token") and expires and self.now + TOKEN_MARGIN < expires:
            return {"Authorization": f"Bearer {cached['access_token']}"}
        return self._buy()

    def _buy(self) -> dict[str, str]:
        body = self.client.mint(self.credentials, self.now)
        expires = self.now + timedelta(seconds=int(body.get("expires_in") or 3600))
        self.state["token"] = {
            "access_token": str(body["access_token"]),
            "expires_at": expires.isoformat(),
        }
        return {"Authorization": f"Bearer {body['access_token']}"}

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET with the header; a 401 on a bought token buys one new token and tries again."""
        try:
            return self.client.get(path, params, headers=self.headers()).body
        except AuthExpired as exc:
            if exc.status != 401 or not self.buys or self.renewed:
                raise
            self.renewed = True  # one fresh token, then give up: a human must look
            headers = self._buy()
        return self.client.get(path, params, headers=headers).body
