"""``YouTubeSettings``: the fake Data API's credentials, quota costs, chat pacing and comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.people import NOT_REAL


@dataclass
class YouTubeSettings:
    """Credentials, quota and chat pacing; tests shrink the quota or switch enforcement off."""

    api_key: str = "AIzaSyBhxhSandboxKey0NgheAn0000000000000"
    oauth_token: str = "ya29.sandbox-bhxh-nghe-an"
    # The OAuth client and refresh token the channel owner granted (Google's token endpoint).
    client_id: str = "1047-sandbox.apps.googleusercontent.com"
    client_secret: str = "GOCSPX-sandbox-bhxh"
    refresh_token: str = "1//sandbox-refresh-bhxh-nghe-an"
    scope: str = "https://www.googleapis.com/auth/youtube.readonly"
    channel_id: str = "UCsandboxBHXHNgheAn00000"
    channel_title: str = f"BHXH tỉnh Nghệ An {NOT_REAL}"
    daily_quota: int = 10_000
    costs: dict[str, int] = field(
        default_factory=lambda: {
            "videos.list": 1,
            "liveChatMessages.list": 5,
            "channels.list": 1,
            "commentThreads.list": 1,
            "comments.list": 1,
        }
    )
    polling_interval_ms: int = 5000
    enforce_polling_interval: bool = True
    offline_grace_seconds: float = 120.0
    max_results_range: tuple[int, int] = (200, 2000)  # liveChatMessages.list maxResults
    default_max_results: int = 500
    # commentThreads.list: the channel switched the video's comments off (403 commentsDisabled),
    # and the most replies one thread carries (the rest only comments.list?parentId= lists).
    comments_disabled: bool = False
    thread_replies: int = 5
