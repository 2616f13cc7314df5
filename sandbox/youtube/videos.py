"""``videos.list``: snippet, statistics as strings, and liveStreamingDetails with
``concurrentViewers`` and ``activeLiveChatId`` only while live; the channel's plain upload (the
clip) has no liveStreamingDetails at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.youtube.errors import requested_parts, required_param
from sandbox.youtube.formats import etag, youtube_time

if TYPE_CHECKING:
    from sandbox.faults import Fault
    from sandbox.scenario import Scenario
    from sandbox.truth import Served

VIDEO_PARTS = frozenset({"id", "snippet", "statistics", "liveStreamingDetails"})


class VideosMixin:
    """The one live video of the scenario's channel."""

    scenario: Scenario

    def _videos(
        self, params: dict[str, str], t: float, served: Served, fault: Fault | None
    ) -> dict[str, Any]:
        parts = requested_parts(params, VIDEO_PARTS)
        ids = [i.strip() for i in required_param(params, "id").split(",") if i.strip()]
        p = self.scenario.params
        items = [self._video(parts, t, served) for i in ids if i == p.youtube_video_id]
        items += [self._clip(parts) for i in ids if i == p.youtube_clip_id]
        return {
            "kind": "youtube#videoListResponse",
            "etag": etag(),
            "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
        }

    def _video(self, parts: set[str], t: float, served: Served) -> dict[str, Any]:
        s, p = self.scenario, self.scenario.params
        phase = s.phase("youtube", t)
        item: dict[str, Any] = {"kind": "youtube#video", "etag": etag(), "id": p.youtube_video_id}
        if "snippet" in parts:
            item["snippet"] = {
                "publishedAt": youtube_time(s.datetime_at(s.live_start - 900)),
                "channelId": p.youtube_channel_id,
                "title": p.title,
                "description": p.description,
                "thumbnails": {
                    "default": {
                        "url": f"https://i.ytimg.com/vi/{p.youtube_video_id}/default_live.jpg",
                        "width": 120,
                        "height": 90,
                    }
                },
                "channelTitle": p.page_name,
                "categoryId": "25",
                "liveBroadcastContent": {"scheduled": "upcoming", "live": "live", "ended": "none"}[
                    phase
                ],
                "defaultAudioLanguage": "vi",
            }
        if "statistics" in parts:
            stats = s.youtube_statistics(t)
            served.note("yt_statistics", stats)
            item["statistics"] = {k: str(v) for k, v in stats.items()}  # uint64 as strings
        if "liveStreamingDetails" in parts:
            details: dict[str, str] = {}
            if phase != "scheduled":
                details["actualStartTime"] = youtube_time(s.datetime_at(s.live_start))
            if phase == "ended":
                details["actualEndTime"] = youtube_time(s.datetime_at(s.end_time("youtube")))
            details["scheduledStartTime"] = youtube_time(s.datetime_at(s.live_start))
            if phase == "live":
                viewers = s.viewers("youtube", t)
                served.note("yt_viewers", viewers)
                details["concurrentViewers"] = str(viewers)
                details["activeLiveChatId"] = p.live_chat_id
            item["liveStreamingDetails"] = details
        return item

    def _clip(self, parts: set[str]) -> dict[str, Any]:
        """An uploaded video, published a week before the live."""
        s, p = self.scenario, self.scenario.params
        item: dict[str, Any] = {"kind": "youtube#video", "etag": etag(), "id": p.youtube_clip_id}
        if "snippet" in parts:
            item["snippet"] = {
                "publishedAt": youtube_time(s.datetime_at(-7 * 86_400)),
                "channelId": p.youtube_channel_id,
                "title": "Hướng dẫn đóng BHXH tự nguyện qua VssID",
                "description": p.description,
                "channelTitle": p.page_name,
                "categoryId": "25",
                "liveBroadcastContent": "none",
                "defaultAudioLanguage": "vi",
            }
        if "statistics" in parts:
            item["statistics"] = {"viewCount": "3120", "likeCount": "88", "favoriteCount": "0",
                                  "commentCount": "9"}  # fmt: skip
        return item
