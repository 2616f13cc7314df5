"""Conversions and the five attribution models on hand-made touches and enrolments."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.followup.attribution import (
    MODELS,
    Enrolled,
    Touch,
    credit_weights,
    event_conversions,
    find_conversions,
)

DAY = date(2026, 3, 1)


def test_seed_conference_reports_446_of_932() -> None:
    """932 attendees; 446 new enrolments in the window, plus the records that must not count."""
    touches = [Touch(p, 1, DAY) for p in range(932)]
    enrolled = [Enrolled(p, p, DAY + timedelta(days=p % 80), True) for p in range(446)]
    enrolled += [Enrolled(p, 1000 + p, DAY + timedelta(days=5), False) for p in range(446, 500)]
    enrolled += [Enrolled(p, 2000 + p, DAY - timedelta(days=3), True) for p in range(500, 540)]
    enrolled += [Enrolled(p, 3000 + p, DAY + timedelta(days=120), True) for p in range(540, 560)]
    enrolled += [Enrolled(5000 + p, 4000 + p, DAY, True) for p in range(30)]  # not attendees
    conversions = find_conversions(touches, enrolled, window_days=90)
    figures = event_conversions(touches, conversions)[1]
    assert figures.identified == 932
    assert figures.attendees_converted == 446
    for model in MODELS:
        assert figures.by_model[model] == pytest.approx(446)
    assert round(100 * figures.attendees_converted / figures.identified, 1) == 47.9


def test_an_enrolment_before_the_touch_means_already_enrolled() -> None:
    touches = [Touch(1, 1, DAY)]
    enrolled = [Enrolled(1, 1, DAY - timedelta(days=1), True), Enrolled(1, 2, DAY, True)]
    assert find_conversions(touches, enrolled, 90) == []


def test_the_window_is_inclusive_and_chosen_by_the_caller() -> None:
    touches = [Touch(1, 1, DAY)]
    enrolled = [Enrolled(1, 7, DAY + timedelta(days=45), True)]
    assert find_conversions(touches, enrolled, 30) == []
    [conversion] = find_conversions(touches, enrolled, 45)
    assert conversion.enrolment_id == 7


def test_models_split_credit_between_three_events() -> None:
    touches = [
        Touch(1, 10, DAY),
        Touch(1, 20, DAY + timedelta(days=7)),
        Touch(1, 30, DAY + timedelta(days=14)),
    ]
    [conversion] = find_conversions(touches, [Enrolled(1, 5, DAY + timedelta(days=21), True)], 90)
    assert conversion.credit("last_touch") == {10: 0.0, 20: 0.0, 30: 1.0}
    assert conversion.credit("first_touch") == {10: 1.0, 20: 0.0, 30: 0.0}
    assert conversion.credit("linear") == pytest.approx({10: 1 / 3, 20: 1 / 3, 30: 1 / 3})
    assert conversion.credit("position_based") == pytest.approx({10: 0.4, 20: 0.2, 30: 0.4})
    # half-life 7 days: weights 1/8, 1/4, 1/2 of the raw, normalised by 7/8
    assert conversion.credit("time_decay") == pytest.approx({10: 1 / 7, 20: 2 / 7, 30: 4 / 7})


def test_touches_outside_the_window_get_no_credit() -> None:
    touches = [Touch(1, 10, DAY), Touch(1, 20, DAY + timedelta(days=100))]
    [conversion] = find_conversions(touches, [Enrolled(1, 5, DAY + timedelta(days=110), True)], 90)
    assert conversion.credit("first_touch") == {20: 1.0}


def test_two_sources_at_one_event_are_one_touch() -> None:
    touches = [Touch(1, 10, DAY), Touch(1, 10, DAY + timedelta(days=1)), Touch(1, 20, DAY)]
    [conversion] = find_conversions(touches, [Enrolled(1, 5, DAY + timedelta(days=3), True)], 90)
    assert conversion.credit("linear") == pytest.approx({10: 0.5, 20: 0.5})


def test_position_based_with_two_touches_halves() -> None:
    assert credit_weights("position_based", [DAY, DAY], DAY) == [0.5, 0.5]
    assert credit_weights("last_touch", [], DAY) == []


def test_unknown_model_names_the_parameter() -> None:
    with pytest.raises(ValueError, match="model"):
        credit_weights("data_driven", [DAY], DAY)


def test_renewals_never_convert() -> None:
    touches = [Touch(1, 1, DAY)]
    assert find_conversions(touches, [Enrolled(1, 1, DAY + timedelta(days=2), False)], 90) == []
    assert event_conversions(touches, [])[1].attendees_converted == 0
