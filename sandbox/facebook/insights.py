"""Insights: ``/{video}/video_insights`` and Page/post ``insights``, with the
deprecated metrics that answer error 100."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sandbox.facebook.errors import GraphError
from sandbox.facebook.nodes import Node, graph_time
from sandbox.scenario import insight_values

if TYPE_CHECKING:
    from sandbox.facebook.calls import Call
    from sandbox.scenario import Scenario

INVALID_METRIC = "(#100) The value must be a valid insights metric"
PERIODS = ("day", "week", "days_28", "month", "lifetime", "total_over_range")
# Deprecated on all versions: asking for any of them is error 100.
DEPRECATED_METRICS = frozenset(
    [
        "page_impressions",
        "page_impressions_unique",
        "page_impressions_paid",
        "page_impressions_paid_unique",
        "page_impressions_viral",
        "page_impressions_viral_unique",
        "page_impressions_nonviral",
        "page_impressions_nonviral_unique",
        "page_impressions_organic_v2",
        "page_fans",
        "page_fans_locale",
        "page_fans_city",
        "page_fans_country",
        "page_fan_adds",
        "page_fan_adds_unique",
        "page_fan_removes",
        "page_fan_removes_unique",
        "page_engaged_users",
        "page_consumptions",
        "page_consumptions_unique",
        "page_posts_impressions",
        "page_posts_impressions_unique",
        "page_video_views_10s",
        "post_impressions",
        "post_impressions_unique",
        "post_impressions_paid",
        "post_impressions_paid_unique",
        "post_impressions_fan",
        "post_impressions_fan_unique",
        "post_impressions_organic",
        "post_impressions_organic_unique",
        "post_impressions_viral",
        "post_impressions_viral_unique",
        "post_impressions_nonviral",
        "post_impressions_nonviral_unique",
        "post_engaged_users",
        "post_video_views_10s",
    ]
)
PAGE_METRICS = ("page_media_view", "page_total_media_view_unique", "page_follows")
POST_METRICS = (
    "post_media_view",
    "post_total_media_view_unique",
    "post_reactions_by_type_total",
    "post_video_views",
    "post_video_views_unique",
    "post_video_avg_time_watched",
)


class InsightsMixin:
    """The insights edges of a Page, a post or a video."""

    scenario: Scenario
    _retired_metrics: set[str]

    def _insights(
        self, node: Node, edge: str, params: dict[str, str], call: Call
    ) -> dict[str, Any]:
        period = params.get("period", "lifetime" if node.type != "Page" else "day")
        if period not in PERIODS:
            raise GraphError(
                100, f"(#100) period must be one of the following values: {', '.join(PERIODS)}"
            )
        values = self._insight_values(node, call.t)
        names = _metric_list(params.get("metric")) or list(values)
        if any(name not in values or name in self._retired_metrics for name in names):
            raise GraphError(100, INVALID_METRIC)
        if (period == "lifetime") != (node.type != "Page"):
            return {"data": []}  # video and post metrics are lifetime ones, Page metrics daily
        data = []
        for name in names:
            value = values[name]
            if edge == "video_insights" and not node.past:
                call.served.note("insight", name, value)
            entry: dict[str, Any] = {"value": value}
            if node.type == "Page":
                entry["end_time"] = graph_time(
                    self.scenario.datetime_at(call.t).replace(hour=7, minute=0, second=0)
                )
            data.append(
                {
                    "name": name,
                    "period": period,
                    "values": [entry],
                    "title": f"{period.capitalize()} {name.replace('_', ' ')}",
                    "description": f"{period.capitalize()}: {name.replace('_', ' ')} (sandbox)",
                    "id": f"{node.id}/{edge}/{name}/{period}",
                }
            )
        return {"data": data}

    def _insight_values(self, node: Node, t: float) -> dict[str, Any]:
        s = self.scenario
        if node.post is not None:
            return node.post.insight_values()
        if node.past is not None:
            video = insight_values(
                node.past.views, 1.0, node.past.reactions, comments=0, shares=node.past.shares
            )
        else:
            video = s.video_insights(t)
        if node.type == "Video":
            return video
        if node.type == "Post":
            by_type = dict(video["total_video_reactions_by_type_total"])  # type: ignore[arg-type]
            return {
                "post_media_view": video["total_video_impressions"],
                "post_total_media_view_unique": video["total_video_impressions_unique"],
                "post_reactions_by_type_total": by_type,
                "post_video_views": video["total_video_views"],
                "post_video_views_unique": video["total_video_views_unique"],
                "post_video_avg_time_watched": video["total_video_avg_time_watched"],
            }
        if node.type == "Page":
            views = s.views("facebook", t)
            return {
                "page_media_view": 5_200 + views * 3,
                "page_total_media_view_unique": 2_900 + views,
                "page_follows": 19_230,
            }
        return {}


def _metric_list(raw: str | None) -> list[str]:
    if not raw:
        return []
    if raw.strip().startswith("["):
        try:
            return [str(m) for m in json.loads(raw)]
        except json.JSONDecodeError as exc:
            raise GraphError(100, INVALID_METRIC) from exc
    return [m.strip() for m in raw.split(",") if m.strip()]
