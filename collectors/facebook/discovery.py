"""Discovery: a registered page's lives (``/{page-id}/live_videos``), each to become an event."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from collectors.base import DiscoveredLive
from collectors.facebook.graph import PLATFORM, next_page, parse_time
from collectors.http import ApiClient, bearer_headers
from collectors.pagination import Paginator


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
