"""The collector registry: every kind, and the settings and quota rule the runner reads from it."""

from __future__ import annotations

from datetime import UTC, datetime

import collectors
from collectors import youtube


def test_registry_builds_the_collectors() -> None:
    assert set(collectors.COLLECTORS) == {
        "facebook_live",
        "youtube_live",
        "zoom_meeting",
        "teams_meeting",
        "meet_conference",
        "bbb_meeting",
        "facebook_post",
        "zalo_article",
    }
    assert collectors.COLLECTORS["facebook_live"].batches


def test_each_kind_names_the_config_of_its_base_url_and_settings() -> None:
    base_urls = {kind: spec.base_url_setting for kind, spec in collectors.COLLECTORS.items()}
    assert base_urls == {
        "facebook_live": "FACEBOOK_GRAPH_URL",
        "youtube_live": "YOUTUBE_API_URL",
        "zoom_meeting": "ZOOM_API_URL",
        "teams_meeting": "MSGRAPH_URL",
        "meet_conference": "MEET_API_URL",
        "bbb_meeting": "",  # each BigBlueButton account names its own server
        "facebook_post": "FACEBOOK_GRAPH_URL",
        "zalo_article": "ZALO_API_URL",
    }
    client = {
        k: dict(s.client_settings) for k, s in collectors.COLLECTORS.items() if s.client_settings
    }
    options = {
        k: dict(s.collector_settings)
        for k, s in collectors.COLLECTORS.items()
        if s.collector_settings
    }
    assert client == {
        "zalo_article": {"oauth_url": "ZALO_OAUTH_URL"},
        "teams_meeting": {"login_url": "MS_LOGIN_URL"},  # Entra's token endpoint
        "meet_conference": {"token_url": "GOOGLE_TOKEN_URL"},  # a service account's tokens
    }
    assert options == {"facebook_post": {"metrics": "FACEBOOK_POST_METRICS"}}


def test_only_youtube_spends_a_daily_quota() -> None:
    quotas = {k: s.quota for k, s in collectors.COLLECTORS.items() if s.quota is not None}
    assert quotas == {"youtube_live": youtube.QUOTA}
    assert youtube.QUOTA.units == 10_000


def test_the_quota_day_is_pacific_and_resets_at_its_midnight() -> None:
    # 07:00 UTC on 23 November is 23:00 on the 22nd in Los Angeles (PST, UTC-8).
    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert youtube.QUOTA.day(now) == "2026-11-22"
    assert youtube.QUOTA.seconds_to_reset(now) == 3600
    assert youtube.QUOTA.day(datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == "2026-11-23"
