"""Medians, ratios and ranks of a livestream against earlier ones (pure)."""

from __future__ import annotations

from types import SimpleNamespace

from app.reports.livestream_compare import METRICS, compare, compare_metric, median_of


def test_unreported_figures_are_left_out_not_counted_as_zero() -> None:
    assert median_of([None, 500, 2000, 1000]) == 1000
    assert median_of([None, None]) is None
    m = compare_metric("views", 4200, [500, None, 2000, 1000])
    assert (m.median, m.ratio, m.rank, m.out_of) == (1000, 4.2, 1, 4)
    nothing = compare_metric("views", None, [500])
    assert (nothing.ratio, nothing.rank, nothing.out_of) == (None, None, 1)


def test_a_median_of_zero_gives_no_ratio() -> None:
    m = compare_metric("enrolments", 2, [0, 0, 1])
    assert m.median == 0
    assert m.ratio is None  # never Infinity
    assert m.rank == 1


def test_compare_covers_every_metric_and_ranks_ties_together() -> None:
    row = dict.fromkeys(METRICS, 5)
    current = SimpleNamespace(**row)
    earlier = [SimpleNamespace(**{**row, "comments": c}) for c in (5, 7, 3)]
    out = {m.metric: m for m in compare(current, earlier)}
    assert list(out) == list(METRICS)
    assert out["comments"].rank == 2  # only 7 is higher; the equal 5 does not push it down
    assert out["comments"].out_of == 4
    assert compare(current, [])[0].median is None
