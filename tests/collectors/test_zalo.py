"""Zalo OA articles against the loopback Zalo fake: errors in HTTP 200, single-use refresh tokens.

Platform behaviour pinned here (Zalo Official Account API):

* every answer is HTTP 200; a negative ``error`` is the failure: -216 / -124 / -220 (and -201
  naming the token) = access token refused → one refresh, then AuthExpired; -14014 = refresh token
  invalid or already used → AuthExpired; -14002 = wrong app → AuthExpired; -32 (unverified) =
  rate limited; "does not exist" = the article is gone; other negatives = PermanentError;
* the token travels in an ``access_token`` header, never in the query;
* a refresh returns a new refresh token and spends the old one: the collector hands the new pair
  back (``credentials_update``), also when the run fails after the refresh, and two targets of one
  account in one run spend the refresh token once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from collectors.base import TargetSpec
from collectors.errors import (
    AuthExpired,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
    classify_http,
)
from collectors.http import make_session
from collectors.zalo import (
    ERROR_TABLE,
    TokenRejected,
    ZaloArticleCollector,
    epoch_time,
    make_client,
)
from sandbox import Sandbox
from sandbox.zalo import ZaloFake

DAY = 86400.0


@pytest.fixture
def served(sandbox: Sandbox) -> tuple[ZaloFake, str]:
    """The Zalo fake as the Sandbox mounts it, with the OA and OAuth hosts under ``/zalo``."""
    return sandbox.zalo, sandbox.url + "/zalo"


@pytest.fixture
def zalo(served: tuple[ZaloFake, str]) -> ZaloFake:
    return served[0]


def _collector(served: tuple[ZaloFake, str]) -> ZaloArticleCollector:
    fake, url = served
    client = make_client(make_session(retries=0), f"{url}/openapi", oauth_url=f"{url}/oauth/v4")
    return ZaloArticleCollector(
        client, clock=lambda: fake.epoch + timedelta(seconds=fake.clock.now())
    )


def _target(article_id: str, credentials: dict) -> TargetSpec:
    return TargetSpec("zalo_article", article_id, "", credentials)


# --- classification ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, {"error": 0, "message": "Success", "data": {}}, None),
        (200, {"data": {"total": 0}}, None),
        (200, {"error": -216, "message": "Access token is invalid"}, TokenRejected),
        (200, {"error": -124, "message": "Access token invalid"}, TokenRejected),
        (200, {"error": -220, "message": "Access token has expired"}, TokenRejected),
        (200, {"error": -201, "message": "Invalid access token"}, TokenRejected),
        (200, {"error": -201, "message": "Invalid parameter: maximum limit is 10"}, PermanentError),
        (200, {"error": -14014, "message": "Invalid refresh token"}, AuthExpired),
        (200, {"error": -14002, "error_name": "Invalid app id"}, AuthExpired),
        (200, {"error": -32, "message": "The request exceeded the rate limit"}, RateLimited),
        (200, {"error": -201, "message": "Article does not exist"}, TargetGone),
        (200, {"error": -999, "message": "Something new"}, PermanentError),
        (429, None, RateLimited),
        (500, None, TransientError),
        (502, {"error": -216}, TransientError),
        (404, None, PermanentError),
    ],
)
def test_classification(status: int, body: object, expected: type | None) -> None:
    error = classify_http(status, body, {}, ERROR_TABLE)
    if expected is None:
        assert error is None
    else:
        assert type(error) is expected
        assert error.platform == "zalo"


def test_fatal_codes_are_never_swallowed() -> None:
    """A refused refresh token must stop collection for a human, not count as a success."""
    for code in (-14014, -14002):
        error = classify_http(200, {"error": code, "message": "x"}, {}, ERROR_TABLE)
        assert isinstance(error, AuthExpired)
        assert not isinstance(error, TokenRejected)


def test_create_date_in_milliseconds_or_seconds() -> None:
    assert epoch_time(1740790000000) == epoch_time(1740790000)
    assert epoch_time(1740790000).year == 2025
    assert epoch_time(None) is None


# --- collecting ----------------------------------------------------------------------------


def test_article_views_and_shares_with_the_token_in_a_header(
    served: tuple[ZaloFake, str], zalo: ZaloFake
) -> None:
    zalo.seed_article("a1", created=0, total_view=1534, total_share=42)
    zalo.clock.set(600)
    batch = _collector(served).collect(_target("a1", zalo.credentials()), {})
    (sample,) = batch.samples
    assert (sample.views, sample.shares) == (1534, 42)
    assert batch.poll_after == 900.0
    assert not batch.finished
    assert batch.url == "https://zalo.me/article/a1"  # the article's own address, as Zalo says
    assert batch.credentials_update is None  # nothing rotated
    assert datetime.fromisoformat(batch.cursor["published_at"]) == zalo.epoch
    (request,) = zalo.log.entries()
    assert request["headers"]["access_token"] == zalo.access_token
    assert "access_token" not in request["params"]
    assert request["params"] == {"id": "a1"}


def test_an_article_is_finished_28_days_after_publication(
    served: tuple[ZaloFake, str], zalo: ZaloFake
) -> None:
    zalo.seed_article("a2", created=0, total_view=9)
    zalo.clock.set(3 * DAY)
    collector = _collector(served)
    assert collector.collect(_target("a2", zalo.credentials()), {}).poll_after == 3600.0
    zalo.clock.set(28 * DAY + 5)
    zalo.expire_tokens()  # 25 h tokens: long dead by now
    credentials = zalo.credentials()
    last = collector.collect(_target("a2", credentials), {})
    assert last.finished
    assert last.samples[0].views == 9


def test_expired_token_is_refreshed_once_and_the_new_pair_handed_back(
    served: tuple[ZaloFake, str], zalo: ZaloFake
) -> None:
    zalo.seed_article("a3", created=0, total_view=70, total_share=3)
    old = zalo.credentials()
    zalo.expire_tokens()
    batch = _collector(served).collect(_target("a3", old), {})
    assert batch.samples[0].views == 70
    update = batch.credentials_update
    assert update is not None
    assert update["access_token"] == zalo.access_token != old["access_token"]
    assert update["refresh_token"] == zalo.refresh_token != old["refresh_token"]
    assert datetime.fromisoformat(update["expires_at"]) == zalo.epoch + timedelta(seconds=90000)
    assert zalo.refreshes == 1
    token_call = [e for e in zalo.log.entries() if e["path"].endswith("/oa/access_token")]
    (call,) = token_call
    assert call["headers"]["secret_key"] == old["secret_key"]
    assert call["params"]["grant_type"] == "refresh_token"
    assert call["params"]["refresh_token"] == old["refresh_token"]


def test_a_reused_refresh_token_is_refused(served: tuple[ZaloFake, str], zalo: ZaloFake) -> None:
    zalo.seed_article("a4", created=0)
    old = zalo.credentials()
    zalo.expire_tokens()
    _collector(served).collect(_target("a4", old), {})  # spends old["refresh_token"]
    zalo.expire_tokens()
    with pytest.raises(AuthExpired) as caught:
        _collector(served).collect(_target("a4", old), {})  # a stale copy of the pair
    assert caught.value.code == -14014
    assert old["refresh_token"] in zalo.spent


def test_two_targets_of_one_account_spend_the_refresh_token_once(
    served: tuple[ZaloFake, str], zalo: ZaloFake
) -> None:
    zalo.seed_article("a5", created=0, total_view=1)
    zalo.seed_article("a6", created=0, total_view=2)
    old = zalo.credentials()
    zalo.expire_tokens()
    collector = _collector(served)  # the runner builds one per account and run
    first = collector.collect(_target("a5", old), {})
    second = collector.collect(_target("a6", old), {})  # loaded before the first was stored
    assert (first.samples[0].views, second.samples[0].views) == (1, 2)
    assert zalo.refreshes == 1
    assert first.credentials_update == second.credentials_update
    assert second.credentials_update["refresh_token"] == zalo.refresh_token


def test_a_pair_rotated_before_a_failure_travels_on_the_error(
    served: tuple[ZaloFake, str], zalo: ZaloFake
) -> None:
    zalo.seed_article("a7", created=0)
    old = zalo.credentials()
    zalo.fail_next("token_expired")
    zalo.fail_next("rate_limit")  # the retried call, after the refresh
    with pytest.raises(RateLimited) as caught:
        _collector(served).collect(_target("a7", old), {})
    assert caught.value.credentials_update is not None
    assert caught.value.credentials_update["refresh_token"] == zalo.refresh_token


def test_a_token_refused_after_a_refresh_is_auth_expired(
    served: tuple[ZaloFake, str], zalo: ZaloFake
) -> None:
    zalo.seed_article("a8", created=0)
    zalo.fail_next("token_expired", times=2)
    with pytest.raises(AuthExpired) as caught:
        _collector(served).collect(_target("a8", zalo.credentials()), {})
    assert not isinstance(caught.value, TokenRejected)
    assert zalo.refreshes == 1  # one refresh, not a loop


def test_a_stale_access_token_is_refreshed_before_the_call(
    served: tuple[ZaloFake, str], zalo: ZaloFake
) -> None:
    zalo.seed_article("a9", created=0)
    credentials = {**zalo.credentials(), "expires_at": zalo.epoch.isoformat()}
    batch = _collector(served).collect(_target("a9", credentials), {})
    assert zalo.refreshes == 1
    paths = [e["path"].rsplit("/", 1)[-1] for e in zalo.log.entries()]
    assert paths == ["access_token", "getdetail"]  # no wasted call with the dying token
    assert batch.credentials_update is not None


@pytest.mark.parametrize(
    ("fault", "expected"),
    [("rate_limit", RateLimited), ("server_error", TransientError)],
)
def test_platform_faults_are_classified(
    served: tuple[ZaloFake, str], zalo: ZaloFake, fault: str, expected: type
) -> None:
    zalo.seed_article("b1", created=0)
    zalo.fail_next(fault)
    with pytest.raises(expected):
        _collector(served).collect(_target("b1", zalo.credentials()), {})


def test_a_removed_article_is_gone(served: tuple[ZaloFake, str], zalo: ZaloFake) -> None:
    with pytest.raises(TargetGone):
        _collector(served).collect(_target("nope", zalo.credentials()), {})


def test_wrong_app_secret_needs_a_human(served: tuple[ZaloFake, str], zalo: ZaloFake) -> None:
    zalo.seed_article("b2", created=0)
    credentials = {**zalo.credentials(), "secret_key": "wrong"}
    zalo.expire_tokens()
    with pytest.raises(AuthExpired) as caught:
        _collector(served).collect(_target("b2", credentials), {})
    assert caught.value.code == -14002


def test_the_fake_pages_articles_and_caps_the_slice(served: tuple[ZaloFake, str]) -> None:
    fake, url = served
    for n in range(13):
        fake.seed_article(f"s{n}", created=n)
    fake.clock.set(100)
    session = make_session(retries=0)
    headers = {"access_token": fake.access_token}
    seen: list[str] = []
    for offset in (0, 10):
        params = {"offset": offset, "limit": 10}
        slice_url = f"{url}/openapi/v2.0/article/getslice"
        body = session.get(slice_url, params=params, headers=headers).json()
        assert body["error"] == 0
        assert body["data"]["total"] == 13
        seen += [m["id"] for m in body["data"]["medias"]]
    assert seen == [f"s{n}" for n in range(12, -1, -1)]
    refused = session.get(f"{url}/openapi/v2.0/article/getslice",
                          params={"limit": 11}, headers=headers)  # fmt: skip
    assert refused.status_code == 200
    assert refused.json()["error"] == -201
