"""A registered page's lives (``/{page-id}/live_videos``): discovery, each to become an event, and
``describe_live``, which finds the live a pasted facebook.com link shows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from collectors.base import NOT_LIVE, Description, DiscoveredLive, TargetSpec
from collectors.errors import PermanentError, TargetGone
from collectors.facebook.graph import PLATFORM, next_page, parse_time
from collectors.http import ApiClient, bearer_headers
from collectors.pagination import Paginator

DESCRIBE_FIELDS = "id,title,status,broadcast_start_time,planned_start_time,permalink_url,video{id}"
DESCRIBE_PAGES = 5  # pages of 100 lives searched, newest first
# LiveVideo read statuses → ours; a cancelled or expired schedule will never be live.
STATUSES = {
    "LIVE": "live", "UNPUBLISHED": "scheduled", "SCHEDULED_UNPUBLISHED": "scheduled",
    "SCHEDULED_LIVE": "scheduled", "LIVE_STOPPED": "ended", "VOD": "ended", "PROCESSING": "ended",
    "SCHEDULED_EXPIRED": "ended", "SCHEDULED_CANCELED": "ended",
}  # fmt: skip


class FacebookPageDiscovery:
    """Lists a registered page's lives so a livestream becomes an event within one poll."""

    kind: ClassVar[str] = "facebook_live"

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def discover(self, page_id: str, credentials: Mapping[str, Any]) -> list[DiscoveredLive]:
        params = {
            "broadcast_status": json.dumps(["LIVE"]),
            "fields": "id,title,status,broadcast_start_time,permalink_url",
        }
        headers = bearer_headers(credentials, PLATFORM)
        found: list[DiscoveredLive] = []
        pager = Paginator(max_pages=5)
        url: str | None = f"{page_id}/live_videos"
        while url:
            query = None if url.startswith("http") else params
            body = self.client.get(url, params=query, headers=headers).body
            for item in body.get("data") or []:
                if item.get("status") == "LIVE" and item.get("id"):
                    found.append(
                        DiscoveredLive(
                            kind=self.kind,
                            external_id=str(item["id"]),
                            title=str(item.get("title") or ""),
                            started_at=parse_time(item.get("broadcast_start_time")),
                            permalink=str(item.get("permalink_url") or ""),
                        )
                    )
            url = next_page(body) if pager.advance(next_page(body)) else None
        return found


def describe_live(client: ApiClient, target: TargetSpec, now: datetime) -> Description:
    """The live a facebook.com link shows: its id there is the live's *video* id, not its own.

    The page's lives are searched first (each carries ``video{id}``); then the id is read as a
    live video node itself (``…/live_videos/<id>``, or an account without a page id). A node that
    is no live video (a plain video, a photo) answers Graph's "nonexisting field" error.
    """
    headers = bearer_headers(target.credentials, PLATFORM)
    wanted = target.external_id
    if target.account_external_id:
        pager = Paginator(max_pages=DESCRIBE_PAGES)
        url: str | None = f"{target.account_external_id}/live_videos"
        while url:
            query = None if url.startswith("http") else {"fields": DESCRIBE_FIELDS, "limit": 100}
            body = client.get(url, params=query, headers=headers).body
            for item in body.get("data") or []:
                if wanted in (str(item.get("id")), str((item.get("video") or {}).get("id"))):
                    return _described(item)
            url = next_page(body) if pager.advance(next_page(body)) else None
    try:
        node = client.get(wanted, params={"fields": DESCRIBE_FIELDS}, headers=headers).body
    except PermanentError as exc:
        raise TargetGone("not a live video", platform=PLATFORM, code=NOT_LIVE) from exc
    return _described(node)


def _described(node: Mapping[str, Any]) -> Description:
    return Description(
        kind=FacebookPageDiscovery.kind,
        external_id=str(node["id"]),
        title=str(node.get("title") or ""),
        status=STATUSES.get(str(node.get("status")), "scheduled"),
        starts_at=parse_time(node.get("broadcast_start_time") or node.get("planned_start_time")),
        url=str(node.get("permalink_url") or ""),
    )
