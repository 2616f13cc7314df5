"""Wilson intervals and lift: checked against values computed by hand from the formula."""

from __future__ import annotations

import math

import pytest

from app.followup.stats import Lift, Rate, wilson_interval


def test_wilson_interval_matches_the_formula_for_the_seed_conference() -> None:
    low, high = wilson_interval(446, 932)
    p, n, z = 446 / 932, 932, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (low, high) == pytest.approx((centre - half, centre + half))
    assert 0.446 < low < 0.479 < high < 0.511


def test_wilson_interval_stays_inside_zero_and_one_at_the_edges() -> None:
    assert wilson_interval(0, 10)[0] == 0.0
    assert 0.0 < wilson_interval(0, 10)[1] < 0.35
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_lift_gives_incremental_enrolments_over_the_baseline() -> None:
    lift = Lift(attendees=Rate(446, 932), baseline=Rate(100, 1000))
    assert lift.absolute == pytest.approx(446 / 932 - 0.1)
    assert lift.relative == pytest.approx((446 / 932 - 0.1) / 0.1)
    assert lift.incremental == pytest.approx((446 / 932 - 0.1) * 932)
    assert Lift(Rate(1, 2), Rate(0, 50)).relative is None
