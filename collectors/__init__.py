"""Platform collectors: pure fetch-and-parse code, no Flask, no database.

``COLLECTORS`` maps a target kind to everything the runner needs to run it: how its API client and
collector are built, which configuration settings they take (by name: the runner reads the values
from the app's config, nothing here reads the environment), how often a live is polled, the
daily quota a metered API spends, and how one object is described before it is collected (the
kinds a pasted link can name, ``collectors.links``). The runner keeps no table of its own per kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from collectors import bbb, facebook, meet, teams, youtube, zalo, zoom
from collectors.base import Clock, Collector, DailyQuota, Description, TargetSpec, utc_now
from collectors.http import ApiClient


@dataclass(frozen=True)
class CollectorType:
    platform: str
    make_client: Callable[..., ApiClient]
    make: Callable[..., Collector]
    batches: bool = False  # collect_many() serves several targets of one account at once
    # The config name of the API's base URL; "" when each account names its own server
    # (BigBlueButton has no public host: the account's credentials carry "base_url").
    base_url_setting: str = ""
    client_settings: Mapping[str, str] = field(default_factory=dict)  # client keyword → config
    collector_settings: Mapping[str, str] = field(default_factory=dict)  # option → config
    live_interval: float | None = None  # seconds between polls while live; None: the default
    quota: DailyQuota | None = None  # a metered API's daily budget
    # describe(client, target, now): title, state and times of one object, for a human to confirm
    describe: Callable[[Any, TargetSpec, datetime], Description] | None = None
    # Its collector reads an object's final figures once when given ``TargetSpec.ended_at`` (an
    # officer ended the event): the object then finishes. Other kinds stop at the officer's end.
    final_read: bool = False


COLLECTORS: dict[str, CollectorType] = {
    "facebook_live": CollectorType(
        "facebook",
        facebook.make_client,
        facebook.FacebookLiveCollector,
        batches=True,
        base_url_setting="FACEBOOK_GRAPH_URL",
        live_interval=10.0,
        describe=facebook.describe_live,
        final_read=True,
    ),
    "youtube_live": CollectorType(
        "youtube",
        youtube.make_client,
        youtube.YouTubeLiveCollector,
        base_url_setting="YOUTUBE_API_URL",
        live_interval=6.0,
        quota=youtube.QUOTA,
        describe=youtube.describe,
        final_read=True,
    ),
    "zoom_meeting": CollectorType(
        "zoom",
        zoom.make_client,
        zoom.ZoomMeetingCollector,
        base_url_setting="ZOOM_API_URL",
        describe=zoom.describe,
    ),
    "teams_meeting": CollectorType(
        "teams",
        teams.make_client,
        teams.TeamsMeetingCollector,
        base_url_setting="MSGRAPH_URL",
        client_settings={"login_url": "MS_LOGIN_URL"},
        describe=teams.describe,
    ),
    "meet_conference": CollectorType(
        "meet",
        meet.make_client,
        meet.MeetConferenceCollector,
        base_url_setting="MEET_API_URL",
        client_settings={"token_url": "GOOGLE_TOKEN_URL"},
        describe=meet.describe,
    ),
    "bbb_meeting": CollectorType(
        "bbb", bbb.make_client, bbb.BBBMeetingCollector, describe=bbb.describe
    ),
    "facebook_post": CollectorType(
        "facebook",
        facebook.make_client,
        facebook.FacebookPostCollector,
        base_url_setting="FACEBOOK_GRAPH_URL",
        collector_settings={"metrics": "FACEBOOK_POST_METRICS"},
    ),
    "zalo_article": CollectorType(
        "zalo",
        zalo.make_client,
        zalo.ZaloArticleCollector,
        base_url_setting="ZALO_API_URL",
        client_settings={"oauth_url": "ZALO_OAUTH_URL"},
    ),
}


def build(
    kind: str,
    session: requests.Session,
    base_url: str,
    *,
    clock: Clock = utc_now,
    options: Mapping[str, Any] | None = None,
    **kw: Any,
) -> Collector:
    """A collector of ``kind``: ``kw`` configure its API client, ``options`` the collector."""
    spec = COLLECTORS[kind]
    return spec.make(spec.make_client(session, base_url, **kw), clock=clock, **(options or {}))


def describe(
    kind: str,
    session: requests.Session,
    base_url: str,
    target: TargetSpec,
    *,
    now: datetime,
    **kw: Any,
) -> Description:
    """What the platform says of ``target`` (a kind with ``describe``); ``kw`` configure the client.

    Raises the classified ``CollectorError`` of the call, as collecting would.
    """
    spec = COLLECTORS[kind]
    if spec.describe is None:
        raise ValueError(f"{kind} objects cannot be described")
    return spec.describe(spec.make_client(session, base_url, **kw), target, now)
