"""Platform collectors: pure fetch-and-parse code, no Flask, no database.

``COLLECTORS`` maps a target kind to how its API client and collector are built; the runner looks
kinds up here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from collectors import bbb, facebook, meet, teams, youtube, zalo, zoom
from collectors.base import Clock, Collector, utc_now
from collectors.http import ApiClient


@dataclass(frozen=True)
class CollectorType:
    platform: str
    make_client: Callable[..., ApiClient]
    make: Callable[..., Collector]
    batches: bool = False  # collect_many() serves several targets of one account at once


COLLECTORS: dict[str, CollectorType] = {
    "facebook_live": CollectorType(
        "facebook", facebook.make_client, facebook.FacebookLiveCollector, batches=True
    ),
    "youtube_live": CollectorType("youtube", youtube.make_client, youtube.YouTubeLiveCollector),
    "zoom_meeting": CollectorType("zoom", zoom.make_client, zoom.ZoomMeetingCollector),
    "teams_meeting": CollectorType("teams", teams.make_client, teams.TeamsMeetingCollector),
    "meet_conference": CollectorType("meet", meet.make_client, meet.MeetConferenceCollector),
    "bbb_meeting": CollectorType("bbb", bbb.make_client, bbb.BBBMeetingCollector),
    "facebook_post": CollectorType(
        "facebook", facebook.make_client, facebook.FacebookPostCollector
    ),
    "zalo_article": CollectorType("zalo", zalo.make_client, zalo.ZaloArticleCollector),
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
