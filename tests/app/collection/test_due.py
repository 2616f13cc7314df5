"""Scheduling rules: faster while live, slower as usage climbs, backing off on failures."""

from __future__ import annotations

import pytest

from app.collection import due


def test_live_is_polled_faster_than_scheduled() -> None:
    assert due.interval_for("facebook_live", "live") < due.interval_for("facebook_live", None)


@pytest.mark.parametrize(
    ("usage", "factor"), [(None, 1), (10, 1), (59, 1), (60, 1.5), (80, 3), (90, 6), (99, 12)]
)
def test_usage_stretches_the_interval_before_the_limit(usage: float | None, factor: float) -> None:
    base = due.interval_for("facebook_live", "live")
    assert due.interval_for("facebook_live", "live", usage_pct=usage) == base * factor


def test_platform_advice_is_a_floor_while_live_and_a_date_after_the_end() -> None:
    assert due.interval_for("youtube_live", "live", poll_after=20.0) == 20.0
    assert due.interval_for("youtube_live", "live", poll_after=1.0) == due.live_interval(
        "youtube_live"
    )
    assert due.interval_for("facebook_live", "ended", poll_after=3600.0) == 3600.0


def test_backoff_grows_and_is_capped() -> None:
    waits = [due.backoff(n) for n in range(1, 12)]
    assert waits == sorted(waits)
    assert waits[0] == 20
    assert waits[-1] == due.MAX_BACKOFF


def test_quota_spread_over_the_horizon_and_shared_by_targets() -> None:
    # 9,000 spendable units over a 3-hour horizon at 6 units a poll: one poll every 7.2 s.
    assert due.quota_interval(0, 10_000, 6, 36_000) == pytest.approx(7.2)
    # Two lives on one project: each polls half as often.
    assert due.quota_interval(0, 10_000, 6, 36_000, active_targets=2) == pytest.approx(14.4)
    # Late in the day the remaining seconds are the horizon.
    assert due.quota_interval(0, 10_000, 6, 3_600) == pytest.approx(2.4)
    # Half the budget spent: twice as slow.
    assert due.quota_interval(4_500, 10_000, 6, 36_000) == pytest.approx(14.4)
    # Budget gone: wait for the reset.
    assert due.quota_interval(8_999, 10_000, 6, 36_000) == 36_000
