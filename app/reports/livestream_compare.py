"""How one livestream compares with the office's earlier ones: medians, ratios and ranks, pure.

A figure a platform did not report (views from a platform that serves none) is ``None``: it is
left out of the median and the rank rather than counted as 0, and a ratio to a median of 0 or of
nothing is no ratio at all (``None``, shown as a dash), never Infinity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

# The figures compared, in display order (attributes of ``livestreams.LivestreamFigures``).
METRICS = ("views", "peak_viewers", "interactions", "comments", "leads", "enrolments")


@dataclass(frozen=True)
class MetricComparison:
    """One figure of this livestream beside the same figure of the earlier ones."""

    metric: str
    value: float | None  # None: not reported for this livestream
    median: float | None  # None: no earlier livestream reported it
    ratio: float | None  # value / median; None when either is missing or the median is 0
    rank: int | None  # 1: the highest among this one and the earlier ones that reported it
    out_of: int  # how many livestreams the rank is among


def median_of(values: Sequence[float | None]) -> float | None:
    """The median of the reported values; None when none is."""
    reported = [v for v in values if v is not None]
    return float(median(reported)) if reported else None


def ratio(value: float | None, middle: float | None) -> float | None:
    if value is None or middle is None or middle <= 0:
        return None
    return value / middle


def compare_metric(
    metric: str, value: float | None, earlier: Sequence[float | None]
) -> MetricComparison:
    """``value`` of ``metric`` against the ``earlier`` livestreams' values of it."""
    middle = median_of(earlier)
    reported = [v for v in earlier if v is not None]
    rank = None if value is None else 1 + sum(1 for v in reported if v > value)  # ties share it
    if value == 0 and not any(reported):
        rank = None  # all 0: first of three at nothing is no rank
    out_of = len(reported) + (value is not None)
    return MetricComparison(metric, value, middle, ratio(value, middle), rank, out_of)


def compare(current: Any, earlier: Sequence[Any]) -> list[MetricComparison]:
    """Every figure of ``current`` against ``earlier`` (objects with the METRICS attributes)."""
    return [
        compare_metric(m, getattr(current, m), [getattr(e, m) for e in earlier]) for m in METRICS
    ]
