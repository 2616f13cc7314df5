"""``YouTubeSettings``: the fake Data API's credentials, quota costs and chat pacing."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class YouTubeSettings:
    """Credentials, quota and chat pacing; tests shrink the quota or switch enforcement off."""

    api_key: str = "AIzaSyBhxhSandboxKey0NgheAn0000000000000"
    oauth_token: str = "ya29.sandbox-bhxh-nghe-an"
    daily_quota: int = 10_000
    costs: dict[str, int] = field(
        default_factory=lambda: {"videos.list": 1, "liveChatMessages.list": 5}
    )
    polling_interval_ms: int = 5000
    enforce_polling_interval: bool = True
    offline_grace_seconds: float = 120.0
    max_results_range: tuple[int, int] = (200, 2000)  # liveChatMessages.list maxResults
    default_max_results: int = 500
