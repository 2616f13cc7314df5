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


def test_all_zero_is_no_rank_but_a_tie_above_zero_shares_one() -> None:
    """The tour found a 0-vs-0 tie ranked "1/3": first at nothing."""
    nothing = compare_metric("leads", 0, [0, 0])
    assert (nothing.rank, nothing.out_of) == (None, 3)
    assert compare_metric("leads", 0, [0, 2]).rank == 2
    tie = compare_metric("leads", 3, [3, 1])
    assert (tie.rank, tie.out_of) == (1, 3)
