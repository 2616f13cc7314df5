"""Zalo Official Account articles: views and shares.

Only per-article ``total_view`` and ``total_share`` exist (Zalo serves no livestream statistics);
an article is read with ``GET /v2.0/article/getdetail?id=…`` on the OA host, the token in an
``access_token`` header (not a bearer). Articles are polled on ``post_schedule``'s slowing
schedule from ``create_date`` (epoch milliseconds in most examples, seconds in one client: both
are accepted).

Every OA answer is HTTP 200 with ``{"error": 0, …}`` on success and a negative ``error`` on
failure, so the body is classified, not the status (``ERROR_TABLE``, in this order; a 429
or 5xx is judged by its status alone):

======================================  ==========================================================
answer                                  class
======================================  ==========================================================
HTTP 429                                RateLimited (``Retry-After`` if sent, else 5 minutes)
HTTP 5xx, a body that is not JSON       TransientError
``error`` -216, -124, -220, or -201     TokenRejected (an AuthExpired): refresh once and retry,
with "token" in the message             then AuthExpired
-14014 (invalid refresh token),         AuthExpired: a human must re-authorise the OA
-14002 (invalid app id)
-32, or "rate"/"quota" in the message   RateLimited, 5 minutes (no Zalo rate-limit code is
(unverified)                            documented)
"not exist" / "not found" in message    TargetGone (the article was removed)
any other negative code, other HTTP 4xx PermanentError (-201 invalid parameter…)
======================================  ==========================================================

Refresh: ``POST {oauth}/oa/access_token`` (form ``app_id``, ``grant_type=refresh_token``,
``refresh_token``; header ``secret_key``) answers a new access token (25 h) **and a new refresh
token; the old one is single-use**. The new pair leaves the collector in
``Batch.credentials_update`` (or on the raised error's ``credentials_update``), and the runner
stores it encrypted in the account, in the run's transaction. Targets of one account collected in
the same run share the rotated pair through the collector instance, since the database copy is
only written after the run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import requests

from collectors.base import Batch, Clock, Sample, TargetSpec, parse_time, title_of, utc_now
from collectors.errors import (
    SERVER_ERRORS,
    AuthExpired,
    CollectorError,
    ErrorTable,
    Failure,
    RateLimited,
    Rule,
    TargetGone,
    TransientError,
    retry_after_header,
    wait_for,
)
from collectors.http import ApiClient
from collectors.post_schedule import next_poll

PLATFORM = "zalo"
DEFAULT_OAUTH_URL = "https://oauth.zaloapp.com/v4"
TOKEN_CODES = {-216, -124, -220}
REAUTHORISE_CODES = {-14014, -14002}
RATE_LIMIT_CODES = {-32}  # unverified: no Zalo rate-limit code is documented
DEFAULT_RATE_LIMIT_WAIT = 300.0
DEFAULT_TOKEN_TTL = 90000  # seconds: an OA access token lives 25 h
TOKEN_MARGIN = timedelta(minutes=5)  # refresh a little before the access token dies
STATUS = "published"


class TokenRejected(AuthExpired):
    """The access token is invalid or expired: worth one refresh before giving up."""


def read_error(status: int, body: Any) -> Failure | None:
    """A negative ``error`` code in the body; a 429 or 5xx says all in its status."""
    if status == 429 or status in SERVER_ERRORS:
        return None
    code = body.get("error") if isinstance(body, dict) else None
    if not isinstance(code, int) or code >= 0:  # a success, unless the status says otherwise
        return Failure(code, "request refused") if status >= 400 else None
    message = body.get("message") or body.get("error_name") or body.get("name") or "Zalo API error"
    return Failure(code, str(message))


def _says(*words: str) -> Callable[[Failure], bool]:
    return lambda failure: any(word in failure.message.lower() for word in words)


def rate_limit_wait(headers: Mapping[str, str], now: datetime) -> float:
    seconds = retry_after_header(headers, now)
    return DEFAULT_RATE_LIMIT_WAIT if seconds is None else max(seconds, 1.0)


ERROR_TABLE = ErrorTable(
    PLATFORM,
    read_error,
    (
        Rule(RateLimited, statuses={429}, wait=rate_limit_wait, text="rate limited"),
        Rule(TransientError, statuses=SERVER_ERRORS, text="server error"),
        Rule(
            TokenRejected,
            codes=TOKEN_CODES,
            when=lambda failure: failure.code == -201 and _says("token")(failure),
        ),
        Rule(AuthExpired, codes=REAUTHORISE_CODES),
        Rule(
            RateLimited,
            codes=RATE_LIMIT_CODES,
            when=_says("rate limit", "quota"),
            wait=wait_for(DEFAULT_RATE_LIMIT_WAIT),
        ),
        Rule(TargetGone, when=_says("not exist", "not found")),
    ),
)


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 1.0) if value else None
    except ValueError:
        return None


def epoch_time(value: Any) -> datetime | None:
    """``create_date``: epoch milliseconds (n8n example) or seconds (one client)."""
    if isinstance(value, str) and not value.isdigit():
        return parse_time(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number > 1e11:  # milliseconds: seconds would be after the year 5000
        number /= 1000
    return datetime.fromtimestamp(number, tz=UTC)


class ZaloClient(ApiClient):
    """The OA API client plus the OAuth host, which lives elsewhere (``oauth.zaloapp.com``)."""

    def __init__(self, *args: Any, oauth_url: str = DEFAULT_OAUTH_URL, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.oauth_url = oauth_url.rstrip("/")

    def refresh(self, credentials: Mapping[str, Any]) -> dict[str, Any]:
        """Trade the single-use refresh token for a new pair (raises AuthExpired if refused)."""
        try:
            form = {
                "app_id": credentials["app_id"],
                "grant_type": "refresh_token",
                "refresh_token": credentials["refresh_token"],
            }
            secret = str(credentials["secret_key"])
        except KeyError as exc:
            raise AuthExpired(f"zalo credentials lack {exc}", platform=PLATFORM) from exc
        oauth = str(credentials.get("oauth_url") or self.oauth_url).rstrip("/")
        body = self.post(f"{oauth}/oa/access_token", data=form, headers={"secret_key": secret}).body
        if not isinstance(body, dict) or not body.get("access_token"):
            raise AuthExpired("token refresh answered no access token", platform=PLATFORM)
        return body


class _Auth:
    """The account's token pair for one call, refreshed when stale or refused, shared by targets.

    ``fresh`` maps a refresh token already spent by this collector to the pair it bought, so a
    second target of the account, loaded with the old pair, uses the new one instead of spending
    the old token again (which Zalo refuses with -14014).
    """

    def __init__(
        self,
        client: ZaloClient,
        credentials: Mapping[str, Any],
        fresh: dict[str, dict[str, Any]],
        now: datetime,
    ) -> None:
        self.client, self.fresh, self.now = client, fresh, now
        self.credentials = dict(credentials)
        self.update: dict[str, Any] | None = None
        seen: set[str] = set()
        while (spent := str(self.credentials.get("refresh_token") or "")) in fresh:
            if spent in seen:
                break
            seen.add(spent)
            self._take(fresh[spent])

    def _take(self, pair: dict[str, Any]) -> None:
        self.credentials.update(pair)
        self.update = {**(self.update or {}), **pair}

    def _stale(self) -> bool:
        expires = parse_time(self.credentials.get("expires_at"))
        return expires is not None and self.now + TOKEN_MARGIN >= expires

    def refresh(self) -> None:
        spent = str(self.credentials.get("refresh_token") or "")
        body = self.client.refresh(self.credentials)
        ttl = _seconds(str(body.get("expires_in") or "")) or DEFAULT_TOKEN_TTL
        pair = {
            "access_token": str(body["access_token"]),
            "refresh_token": str(body.get("refresh_token") or spent),
            "expires_at": (self.now + timedelta(seconds=ttl)).isoformat(),
        }
        if spent:
            self.fresh[spent] = pair
        self._take(pair)

    def get(self, path: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if not self.credentials.get("access_token") or self._stale():
            self.refresh()
        try:
            return self._get(path, params)
        except TokenRejected:
            self.refresh()  # once; a second refusal is AuthExpired below
        try:
            return self._get(path, params)
        except TokenRejected as exc:
            raise AuthExpired(f"token refused after a refresh: {exc.message}", **_kw(exc)) from exc

    def _get(self, path: str, params: Mapping[str, Any]) -> dict[str, Any]:
        headers = {"access_token": str(self.credentials.get("access_token") or "")}
        return self.client.get(path, params, headers=headers).body


def _kw(error: CollectorError) -> dict[str, Any]:
    return {"platform": error.platform, "status": error.status, "code": error.code}


class ZaloArticleCollector:
    """Views and shares of one OA article, until 28 days after it was published."""

    kind: ClassVar[str] = "zalo_article"

    def __init__(self, client: ZaloClient, *, clock: Clock = utc_now) -> None:
        self.client = client
        self.clock = clock
        self._fresh: dict[str, dict[str, Any]] = {}

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        now = self.clock()
        state = dict(cursor)
        calls_before = self.client.calls
        auth = _Auth(self.client, target.credentials, self._fresh, now)
        try:
            body = auth.get("v2.0/article/getdetail", {"id": target.external_id})
        except CollectorError as exc:
            exc.credentials_update = auth.update  # a rotated pair must survive the failure
            raise
        data = body.get("data")
        if not isinstance(data, dict):
            error = TransientError("article answer has no data", platform=PLATFORM)
            error.credentials_update = auth.update
            raise error
        published = epoch_time(data.get("create_date"))
        if published is not None:
            state["published_at"] = published.isoformat()
        wait, final = next_poll(published, now)
        state["polls"] = int(state.get("polls", 0)) + 1
        sample = Sample(
            sampled_at=now,
            views=_count(data.get("total_view")),
            shares=_count(data.get("total_share")),
        )
        return Batch(
            samples=(sample,),
            cursor=state,
            status=STATUS,
            finished=final,
            calls=self.client.calls - calls_before,
            poll_after=None if final else wait,
            credentials_update=auth.update,
            title=title_of(data.get("title")),
            url=title_of(data.get("link_view")),  # the article's address on zalo.me
        )


def _count(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def make_client(
    session: requests.Session, base_url: str, *, oauth_url: str = DEFAULT_OAUTH_URL, **kw: Any
) -> ZaloClient:
    return ZaloClient(session, base_url, ERROR_TABLE, oauth_url=oauth_url, **kw)


__all__ = [
    "ERROR_TABLE",
    "TokenRejected",
    "ZaloArticleCollector",
    "epoch_time",
    "make_client",
]
