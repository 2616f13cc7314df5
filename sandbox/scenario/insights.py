"""Lifetime video insight values, derived from the final views and one settle fraction."""

from __future__ import annotations

import math

# Final value of each count-like metric as a share of the final views (invented but plausible).
VIEW_RATIOS = {
    "total_video_views": 1.0,
    "total_video_views_unique": 0.71,
    "total_video_views_live": 0.58,
    "total_video_views_live_autoplayed": 0.21,
    "total_video_views_live_clicked_to_play": 0.37,
    "total_video_impressions": 3.2,
    "total_video_impressions_unique": 2.1,
    "total_video_complete_views": 0.12,
    "total_video_10s_views": 0.45,
    "total_video_15s_views": 0.38,
    "total_video_30s_views": 0.27,
    "total_video_60s_excludes_shorter_views": 0.19,
}
AVERAGE_WATCH_MS = 84_000
LIVE_WATCH_SHARE = 0.7
# Keys inside total_video_reactions_by_type_total are an assumption.
INSIGHT_REACTION_KEYS = {
    "LIKE": "like",
    "LOVE": "love",
    "CARE": "care",
    "HAHA": "haha",
    "WOW": "wow",
    "SAD": "sorry",
    "ANGRY": "anger",
}


def insight_values(
    final_views: int, settled: float, reactions: dict[str, int], *, comments: int, shares: int
) -> dict[str, object]:
    """Every lifetime video metric the sandbox knows, from one settle fraction."""
    values: dict[str, object] = {
        name: math.floor(final_views * ratio * settled) for name, ratio in VIEW_RATIOS.items()
    }
    total_ms = math.floor(final_views * AVERAGE_WATCH_MS * settled)
    values["total_video_view_total_time"] = total_ms
    values["total_video_view_total_time_live"] = math.floor(total_ms * LIVE_WATCH_SHARE)
    values["total_video_avg_time_watched"] = total_ms // max(int(values["total_video_views"]), 1)
    values["total_video_reactions_by_type_total"] = {
        INSIGHT_REACTION_KEYS[kind]: count for kind, count in reactions.items()
    }
    values["total_video_stories_by_action_type"] = {
        "like": sum(reactions.values()),
        "comment": comments,
        "share": shares,
    }
    return values
