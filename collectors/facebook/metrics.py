"""Which Graph insight metrics may be requested: a registry of names, replacements and retirements.

Meta keeps retiring Page, post and video insight metrics: a retired name answers
error 100 "invalid metric" on every API version, and because one bad name fails the whole
``metric=a,b,c`` request, asking for it would lose the good metrics too. So:

* every metric the collectors may ask for is in ``REGISTRY`` with its status and the edge that
  serves it (``insights`` of a Page or post, ``video_insights`` of a live's Video);
* ``check_metrics`` runs at start-up (``create_app``) and refuses a configured name that is
  unknown or already retired, naming its replacement; the post collector's constructor refuses
  unknown names too, and ``requestable`` drops a name from the day Meta retires it, so a process
  started before that day neither asks for it nor stops collecting;
* the collector still treats "invalid metric" at run time as expected (the June 2026 batch was
  announced without its list, and the dates in Meta's own pages disagree): it asks the metrics one
  by one (``read_one_by_one``), keeps the answers, records the refused names in the target's
  cursor and asks for their replacement instead (``to_request``). A refused metric is never an
  error of the target: it is dropped, and the target goes on being collected.

Retirement dates come from Meta's deprecated-metrics page
(https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics), its 2025-08-15
blog post (https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/) and
Pages API changelog, and Fivetran's changelog for the v21 migration.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from collectors.errors import PermanentError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metric:
    name: str
    retired_on: date | None = None  # None: still served as far as we know
    # What to ask for instead once it is retired or refused: the one Meta named, or for video
    # metrics (Meta has named none) the nearest metric of the same edge.
    replacement: str | None = None
    edge: str = "insights"  # or VIDEO: the edge that serves it

    def retired(self, today: date) -> bool:
        return self.retired_on is not None and today >= self.retired_on


class MetricError(ValueError):
    """A configured metric the collectors must not request; the message says what to use."""


MAR_2024 = date(2024, 3, 14)
V21_2025 = date(2025, 3, 1)  # Fivetran's v21 migration note, month only
JUN_2025 = date(2025, 6, 15)
NOV_2025 = date(2025, 11, 15)
VIDEO = "video_insights"

_ENTRIES = (
    # Views replace impressions; these are what Meta still serves for posts.
    Metric("post_media_view"),
    Metric("post_total_media_view_unique"),
    Metric("post_reactions_by_type_total"),
    Metric("post_clicks_by_type"),
    Metric("post_activity_by_action_type"),
    # Still listed for video posts; the notes record no retirement (only the 10-second forms).
    Metric("post_video_views"),
    Metric("post_video_views_unique"),
    Metric("post_video_avg_time_watched"),
    Metric("post_video_view_time"),
    Metric("page_media_view"),
    Metric("page_total_media_view_unique"),
    Metric("page_follows"),
    # Retired.
    Metric("post_impressions", NOV_2025, "post_media_view"),
    Metric("post_impressions_paid", NOV_2025, "post_media_view"),
    Metric("post_impressions_fan", NOV_2025, "post_media_view"),
    Metric("post_impressions_organic", NOV_2025, "post_media_view"),
    Metric("post_impressions_viral", NOV_2025, "post_media_view"),
    Metric("post_impressions_nonviral", NOV_2025, "post_media_view"),
    Metric("post_impressions_unique", JUN_2025, "post_total_media_view_unique"),
    Metric("post_impressions_paid_unique", JUN_2025, "post_total_media_view_unique"),
    Metric("post_impressions_fan_unique", JUN_2025, "post_total_media_view_unique"),
    Metric("post_impressions_organic_unique", JUN_2025, "post_total_media_view_unique"),
    Metric("post_impressions_viral_unique", JUN_2025, "post_total_media_view_unique"),
    Metric("post_impressions_nonviral_unique", JUN_2025, "post_total_media_view_unique"),
    Metric("post_video_views_10s", V21_2025, "post_video_views"),
    Metric("post_video_views_10s_unique", V21_2025, "post_video_views_unique"),
    # Probably retired with page_engaged_users (unverified): never ask for it.
    Metric("post_engaged_users", MAR_2024, "post_activity_by_action_type"),
    Metric("page_impressions", NOV_2025, "page_media_view"),
    Metric("page_impressions_unique", JUN_2025, "page_total_media_view_unique"),
    Metric("page_fans", NOV_2025, "page_follows"),
    Metric("page_engaged_users", MAR_2024),
    # Lifetime metrics of a live's Video node (video_insights reference, v19 to v25); none
    # retired as far as we know.
    Metric("total_video_views", edge=VIDEO),
    Metric("total_video_views_unique", edge=VIDEO),
    Metric("total_video_views_live", edge=VIDEO),
    Metric("total_video_avg_time_watched", edge=VIDEO),
    Metric("total_video_view_total_time", edge=VIDEO),
    Metric(
        "total_video_view_total_time_live", replacement="total_video_view_total_time", edge=VIDEO
    ),
    # Without the by-type reactions, the reaction total is the "like" entry of the stories.
    Metric(
        "total_video_reactions_by_type_total",
        replacement="total_video_stories_by_action_type",
        edge=VIDEO,
    ),
    Metric("total_video_stories_by_action_type", edge=VIDEO),
)
REGISTRY: dict[str, Metric] = {m.name: m for m in _ENTRIES}

# What the post collector asks for unless configured otherwise (FACEBOOK_POST_METRICS).
DEFAULT_POST_METRICS = ("post_media_view", "post_total_media_view_unique")
# A post's reach, the people it was shown to each once: kept in the sample's ``extra`` and shown
# beside its views (the event summary, the reports' list of activities).
POST_REACH = "post_total_media_view_unique"
# What the live collector asks of a live's Video once the live has ended.
LIVE_VIDEO_METRICS = (
    "total_video_views",
    "total_video_views_unique",
    "total_video_views_live",
    "total_video_avg_time_watched",
    "total_video_view_total_time_live",
    "total_video_reactions_by_type_total",
)


def check_metrics(
    names: Iterable[str], today: date | None, edge: str = "insights"
) -> tuple[str, ...]:
    """The names, if every one is a known metric of ``edge`` and (unless ``today`` is None) not
    retired on ``today``.

    Raises:
        MetricError: naming every unknown or retired metric, with its replacement.
    """
    names = tuple(names)
    problems = []
    for name in names:
        metric = REGISTRY.get(name)
        if metric is None or metric.edge != edge:
            problems.append(f"{name} is not a known {edge} metric")
        elif today is not None and metric.retired(today):
            instead = f"; use {metric.replacement}" if metric.replacement else ""
            problems.append(f"{name} was retired by Meta on {metric.retired_on}{instead}")
    if problems:
        raise MetricError("Facebook insight metrics: " + "; ".join(problems))
    return names


def requestable(names: Iterable[str], today: date) -> tuple[str, ...]:
    """The names a request may carry on ``today``: known and not retired (never raises).

    A metric configured before its retirement date passes ``check_metrics`` at start-up; this
    filter drops it from the day Meta retires it, so a long-running process never asks for it.
    """
    kept = []
    for name in names:
        metric = REGISTRY.get(name)
        if metric is None or metric.retired(today):
            log.warning("not requesting insight metric %s (unknown or retired)", name)
            continue
        kept.append(name)
    return tuple(kept)


def to_request(names: Iterable[str], today: date, refused: Mapping[str, Any]) -> tuple[str, ...]:
    """The names to ask for on ``today``: each one, or in place of one retired by then or
    ``refused`` by Graph, its replacement (and so on down the chain); nothing if none is left.
    """
    wanted: list[str] = []
    for name in names:
        current: str | None = name
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            metric = REGISTRY.get(current)
            if metric is not None and not metric.retired(today) and current not in refused:
                if current not in wanted:
                    wanted.append(current)
                break
            current = metric.replacement if metric is not None else None
        if current != name:
            instead = f"asking {current} instead" if current in wanted else "no replacement"
            log.info("not requesting insight metric %s (retired or refused): %s", name, instead)
    return tuple(wanted)


def read_one_by_one(
    read: Callable[[Sequence[str]], dict[str, Any]],
    names: Sequence[str],
    refused: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """Each metric alone, after Graph refused them together: keep every answer, record each
    refused name in ``refused`` (when, and Graph's words) and ask its replacement instead.

    Any other error than "invalid metric" is raised as it came.
    """
    values: dict[str, Any] = {}
    queue = list(names)
    asked: set[str] = set()
    while queue:
        name = queue.pop(0)
        if name in asked:
            continue
        asked.add(name)
        try:
            values.update(read([name]))
        except PermanentError as exc:
            if not is_invalid_metric(exc.code, exc.message):
                raise
            log.warning("Graph refused insight metric %s: %s", name, exc.message)
            refused[name] = {"at": now.isoformat(), "error": exc.message[:200]}
            queue.extend(to_request([name], now.date(), refused))
    return values


def is_invalid_metric(code: object, message: str) -> bool:
    """Graph's answer to a metric it no longer serves: error 100 naming a metric."""
    return code == 100 and "metric" in message.lower()


def refused_metric(error: Exception | None) -> bool:
    """Whether a collector's error is Graph refusing a metric (``is_invalid_metric``)."""
    return isinstance(error, PermanentError) and is_invalid_metric(error.code, error.message)
