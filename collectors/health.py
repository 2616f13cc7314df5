"""Account checks: ask the platform whether an account's credentials work, and for how long.

Each ``check_<platform>(client, credentials, now)`` makes the cheapest call that proves the
credentials (Graph ``debug_token`` + ``me``, YouTube ``channels.list mine``, Zoom's S2S token,
a Teams app's client-credentials token + its organiser's meetings, a Google service account's
JWT-bearer token + ``conferenceRecords.list``, BigBlueButton ``getMeetings``, Zalo's refresh) and
answers a ``Health``: who the platform says the account is, until when the token is valid (and
whether it renews itself), which needed scopes are missing, the quota used. A
refusal raises the platform's classified ``CollectorError``, as the collectors do. Pure HTTP: no
Flask, no database; the caller stores the answer and any rotated token.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from collectors import bbb
from collectors.app_tokens import GoogleServiceClient, GraphClient, token_claims
from collectors.errors import AuthExpired, PermanentError
from collectors.facebook.graph import usage_from_headers
from collectors.http import ApiClient, access_token, bearer_headers

# Permissions the collectors need (Graph: comments, reactions, insights of the Page's videos).
FACEBOOK_SCOPES = ("pages_read_engagement", "pages_read_user_content", "read_insights")
YOUTUBE_SCOPES = ("https://www.googleapis.com/auth/youtube.readonly",)
ZOOM_SCOPES = ("report:read:admin", "dashboard_meetings:read:admin")
# Graph application permissions the Teams collector needs: find the organiser's meetings, read
# their attendance reports.
GRAPH_ROLES = ("OnlineMeetings.Read.All", "OnlineMeetingArtifact.Read.All")
# A join link no meeting has: the organiser's meetings filtered by it prove the token and the
# application access policy at the cost of an empty list.
PROBE_JOIN_URL = "https://teams.microsoft.com/l/meetup-join/lan-toa-connection-check"
ZALO_REFRESH_LIFETIME = timedelta(days=90)  # a Zalo refresh token is good for 3 months


@dataclass(frozen=True)
class Health:
    """What a check learnt; ``credentials_update`` holds tokens the platform rotated.

    ``renews``: ``valid_until`` is a short-lived token the collectors buy again by themselves
    (a refresh token, an app's secret or key), so its end needs nobody.
    """

    identity: str
    valid_until: datetime | None = None
    renews: bool = False
    scopes_missing: tuple[str, ...] = ()
    quota_used: str = ""
    credentials_update: dict[str, Any] = field(default_factory=dict)


def _missing(granted: str | list[str] | tuple[str, ...], needed: tuple[str, ...]) -> tuple:
    have = set(granted.split() if isinstance(granted, str) else granted)
    return tuple(scope for scope in needed if scope not in have)


def check_facebook(client: ApiClient, credentials: Mapping[str, Any], now: datetime) -> Health:
    """A Page token: Graph's ``debug_token`` on itself (validity, expiry, scopes), then ``me``."""
    headers = bearer_headers(credentials, "facebook")
    token = headers["Authorization"][7:]
    reply = client.get("debug_token", {"input_token": token}, headers=headers)
    data = reply.body.get("data") or {}
    if not data.get("is_valid"):
        raise AuthExpired("Graph says the token is not valid", platform="facebook")
    expires = int(data.get("expires_at") or 0)
    me = client.get("me", {"fields": "id,name"}, headers=headers).body
    usage = usage_from_headers(reply.headers).get("usage_pct")
    return Health(
        identity=str(me.get("name") or me.get("id") or ""),
        valid_until=datetime.fromtimestamp(expires, now.tzinfo) if expires else None,
        scopes_missing=_missing(data.get("scopes") or [], FACEBOOK_SCOPES),
        quota_used=f"{usage} %" if usage is not None else "",
    )


def exchange_facebook_token(
    client: ApiClient, app_id: str, app_secret: str, user_token: str, page_id: str
) -> str:
    """The Page's token bought with a user token: long-lived user token, then ``me/accounts``.

    A Page token got through a long-lived user token does not expire (Meta's access-token docs).
    """
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": app_id,
        "client_secret": app_secret,
        "fb_exchange_token": user_token,
    }
    long_lived = client.get("oauth/access_token", params).body.get("access_token")
    pages = (
        client.get(
            "me/accounts",
            {"fields": "id,name,access_token"},
            headers={"Authorization": f"Bearer {long_lived}"},
        ).body.get("data")
        or []
    )
    for page in pages:
        if str(page.get("id")) == str(page_id) and page.get("access_token"):
            return str(page["access_token"])
    raise PermanentError(f"the user does not manage page {page_id}", platform="facebook")


def check_youtube(
    client: ApiClient,
    credentials: Mapping[str, Any],
    now: datetime,
    *,
    token_url: str = "https://oauth2.googleapis.com/token",
) -> Health:
    """An OAuth client + refresh token: a fresh access token, then ``channels.list mine``."""
    try:
        form = {
            "grant_type": "refresh_token",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
            "refresh_token": credentials["refresh_token"],
        }
    except KeyError as exc:
        raise AuthExpired(f"youtube credentials lack {exc}", platform="youtube") from exc
    token = client.post(str(credentials.get("token_url") or token_url), data=form).body
    access = token.get("access_token")
    if not access:
        raise AuthExpired("Google answered no access token", platform="youtube")
    channels = (
        client.get(
            "channels",
            {"part": "snippet", "mine": "true"},
            headers={"Authorization": f"Bearer {access}"},
        ).body.get("items")
        or []
    )
    if not channels:
        raise PermanentError("the account has no YouTube channel", platform="youtube")
    return Health(
        identity=str(channels[0].get("snippet", {}).get("title") or channels[0].get("id")),
        valid_until=now + timedelta(seconds=int(token.get("expires_in") or 0)),
        renews=True,
        scopes_missing=_missing(str(token.get("scope") or ""), YOUTUBE_SCOPES),
        credentials_update={"access_token": access},
    )


def check_zoom(client: Any, credentials: Mapping[str, Any], now: datetime) -> Health:
    """A Server-to-Server app: mint a token (1 h; the app itself does not expire)."""
    body = client.mint(credentials)
    return Health(
        identity=str(credentials.get("account_id") or ""),
        valid_until=now + timedelta(seconds=int(body.get("expires_in") or 0)),
        renews=True,
        scopes_missing=_missing(str(body.get("scope") or ""), ZOOM_SCOPES),
    )


def _app_token(
    client: GraphClient | GoogleServiceClient, credentials: Mapping[str, Any], now: datetime
) -> tuple[str, datetime | None, bool]:
    """(token, valid until, renews): one bought with the account's secret or key, else the
    token the account was given (valid until its ``exp`` claim when it is a JWT)."""
    if client.can_mint(credentials):
        body = client.mint(credentials, now)
        until = now + timedelta(seconds=int(body.get("expires_in") or 0))
        return str(body["access_token"]), until, True
    token = access_token(credentials, client.platform)
    exp = token_claims(token).get("exp")
    return token, datetime.fromtimestamp(exp, now.tzinfo) if isinstance(exp, int) else None, False


def check_teams(client: GraphClient, credentials: Mapping[str, Any], now: datetime) -> Health:
    """An Entra app: an app-only token (client-credentials grant), then the organiser's meetings.

    The token's ``roles`` claim lists the application permissions granted; when some the
    collector needs are missing, Graph's refusal of the probe is reported as those, not an error.
    """
    token, until, renews = _app_token(client, credentials, now)
    claims = token_claims(token)
    missing = _missing(list(claims.get("roles") or []), GRAPH_ROLES)
    organizer = str(credentials.get("organizer_id") or "")
    if not organizer:
        raise AuthExpired("the account needs an organizer_id", platform="teams")
    wanted = {"$filter": f"JoinWebUrl eq '{PROBE_JOIN_URL}'"}
    try:
        client.get(
            f"users/{organizer}/onlineMeetings",
            wanted,
            headers={"Authorization": f"Bearer {token}"},
        )
    except AuthExpired as exc:
        if exc.status != 403 or not missing:
            raise
    app = str(claims.get("app_displayname") or credentials.get("client_id") or "")
    tenant = str(claims.get("tid") or credentials.get("tenant_id") or "")
    return Health(
        identity=f"{app} · {tenant}" if tenant else app,
        valid_until=until,
        renews=renews,
        scopes_missing=missing,
    )


def check_meet(
    client: GoogleServiceClient, credentials: Mapping[str, Any], now: datetime
) -> Health:
    """A service account: a token for its signed assertion, then one conference record."""
    token, until, renews = _app_token(client, credentials, now)
    client.get("conferenceRecords", {"pageSize": 1}, headers={"Authorization": f"Bearer {token}"})
    key = json.loads(str(credentials.get("service_account_json") or "{}"))
    delegated = str(credentials.get("delegated_user") or "")
    email = str(key.get("client_email") or "")
    return Health(
        identity=f"{email} · {delegated}" if delegated else email,
        valid_until=until,
        renews=renews,
    )


def check_bbb(client: ApiClient, credentials: Mapping[str, Any], now: datetime) -> Health:
    """A BigBlueButton server: a signed ``getMeetings`` proves the shared secret."""
    secret = credentials.get("secret")
    if not secret:
        raise AuthExpired("the BBB server has no shared secret", platform="bbb")
    algorithm = str(credentials.get("checksum", "sha1"))
    client.get(bbb.signed("getMeetings", {}, str(secret), algorithm))
    # Answered at all, the signed call proves the secret (a wrong one is refused with
    # checksumError, raised by ``client``). Its identity is the server's address: the count
    # of meetings under way it used to give is no name (and read "1 meetings" on the page).
    return Health(identity=urlsplit(client.base_url).netloc or client.base_url)


def check_zalo(client: Any, credentials: Mapping[str, Any], now: datetime) -> Health:
    """A Zalo OA: a refresh proves app id, secret and refresh token — and spends the token,
    so the new pair must be stored (``credentials_update``)."""
    body = client.refresh(credentials)
    expires_at = now + timedelta(seconds=int(body.get("expires_in") or 0))
    update = {
        "access_token": str(body["access_token"]),
        "refresh_token": str(body.get("refresh_token") or credentials.get("refresh_token")),
        "expires_at": expires_at.isoformat(),
        "refresh_until": (now + ZALO_REFRESH_LIFETIME).isoformat(),
    }
    return Health(
        identity=str(credentials.get("app_id") or ""),
        valid_until=now + ZALO_REFRESH_LIFETIME,
        credentials_update=update,
    )


CHECKS: dict[str, Callable[..., Health]] = {
    "facebook": check_facebook,
    "youtube": check_youtube,
    "zoom": check_zoom,
    "teams": check_teams,
    "meet": check_meet,
    "bbb": check_bbb,
    "zalo": check_zalo,
}
