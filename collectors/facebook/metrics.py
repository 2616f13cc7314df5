"""Which Graph insight metrics may be requested: a registry of names, replacements and retirements.

Meta keeps retiring Page and post insight metrics: a retired name answers
error 100 "invalid metric" on every API version, and because one bad name fails the whole
``metric=a,b,c`` request, asking for it would lose the good metrics too. So:

* every metric the collectors may ask for is in ``REGISTRY`` with its status;
* ``check_metrics`` runs at start-up (``create_app``) and refuses a configured name that is
  unknown or already retired, naming its replacement; the post collector's constructor refuses
  unknown names too, and ``requestable`` drops a name from the day Meta retires it, so a process
  started before that day neither asks for it nor stops collecting;
* the collector still treats "invalid metric" at run time as expected (the June 2026 batch was
  announced without its list, and the dates in Meta's own pages disagree): it asks the metrics one
  by one, keeps the answers, and records the refused names in the target's cursor.

Retirement dates come from Meta's deprecated-metrics page
(https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics), its 2025-08-15
blog post (https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/) and
Pages API changelog, and Fivetran's changelog for the v21 migration.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metric:
    name: str
    retired_on: date | None = None  # None: still served as far as we know
    replacement: str | None = None  # what to ask for instead, if Meta named one

    def retired(self, today: date) -> bool:
        return self.retired_on is not None and today >= self.retired_on


class MetricError(ValueError):
    """A configured metric the collectors must not request; the message says what to use."""


MAR_2024 = date(2024, 3, 14)
V21_2025 = date(2025, 3, 1)  # Fivetran's v21 migration note, month only
JUN_2025 = date(2025, 6, 15)
NOV_2025 = date(2025, 11, 15)

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
)
REGISTRY: dict[str, Metric] = {m.name: m for m in _ENTRIES}

# What the post collector asks for unless configured otherwise (FACEBOOK_POST_METRICS).
DEFAULT_POST_METRICS = ("post_media_view", "post_total_media_view_unique")


def check_metrics(names: Iterable[str], today: date | None) -> tuple[str, ...]:
    """The names, if every one is known and (unless ``today`` is None) not retired on ``today``.

    Raises:
        MetricError: naming every unknown or retired metric, with its replacement.
    """
    names = tuple(names)
    problems = []
    for name in names:
        metric = REGISTRY.get(name)
        if metric is None:
            problems.append(f"{name} is not a known insights metric")
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


def is_invalid_metric(code: object, message: str) -> bool:
    """Graph's answer to a metric it no longer serves: error 100 naming a metric."""
    return code == 100 and "metric" in message.lower()
