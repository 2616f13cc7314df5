"""The rules decided from facts alone, at fixed moments counted from the event's start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.alerts import rules
from app.alerts.rules import EventFacts, HallFacts, Settings, TargetFacts, decide

START = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def keys(facts: EventFacts, minutes: float, settings: Settings | None = None) -> set:
    return {c.key for c in decide(settings or Settings(), facts, at(minutes))}


def test_a_hall_not_connected_is_flagged_at_its_deadline_not_before() -> None:
    facts = EventFacts(START, None, halls=(HallFacts(1, "Xã A", 40, None),))
    assert keys(facts, 9.9) == set()
    assert keys(facts, 10) == {(rules.HALL_ABSENT, "hall:1")}
    assert keys(facts, 4, Settings(hall_absent_minutes=3)) == {(rules.HALL_ABSENT, "hall:1")}


def test_on_a_meeting_only_a_participant_connects_a_hall_not_its_head_count() -> None:
    counted = HallFacts(1, "Xã A", 40, 35)
    joined = HallFacts(2, "Xã B", 40, None, sessions=((at(2), None),))
    assert keys(EventFacts(START, None, halls=(counted, joined)), 30) == {
        (rules.HALL_ABSENT, "hall:1")
    }


def test_without_a_meeting_a_hall_is_in_once_it_sent_its_head_count() -> None:
    counted = HallFacts(1, "Xã A", 40, 35)
    silent = HallFacts(2, "Xã B", 40, None)
    facts = EventFacts(START, None, halls=(counted, silent), meeting=False)
    assert keys(facts, 9.9) == set()
    assert keys(facts, 10) == {(rules.HALL_UNREPORTED, "hall:2")}


def test_a_hall_that_left_is_dropped_after_m_minutes_and_clears_when_back() -> None:
    left = HallFacts(1, "Xã A", 0, None, sessions=((at(1), at(20)),))
    assert keys(EventFacts(START, None, halls=(left,)), 24) == set()
    assert keys(EventFacts(START, None, halls=(left,)), 25) == {(rules.HALL_DROPPED, "hall:1")}
    back = HallFacts(1, "Xã A", 0, None, sessions=((at(1), at(20)), (at(26), None)))
    assert keys(EventFacts(START, None, halls=(back,)), 27) == set()
    # The host ending the meeting is no drop.
    assert keys(EventFacts(START, None, halls=(left,), meeting_over=True), 30) == set()


def test_a_head_count_under_the_share_of_expected_after_n_minutes() -> None:
    low = HallFacts(1, "Xã A", 100, 49, sessions=((at(1), None),))
    enough = HallFacts(2, "Xã B", 100, 50, sessions=((at(1), None),))
    facts = EventFacts(START, None, halls=(low, enough))
    assert keys(facts, 19) == set()
    assert keys(facts, 20) == {(rules.HEAD_COUNT_LOW, "hall:1")}


def test_no_alert_before_the_start_after_the_end_or_when_disabled() -> None:
    facts = EventFacts(START, at(60), halls=(HallFacts(1, "Xã A", 40, None),))
    assert keys(facts, -5, Settings(hall_absent_minutes=0)) == set()
    assert keys(facts, 60) == set()
    assert keys(facts, 30, Settings(enabled=False)) == set()


def _target(**kw) -> TargetFacts:  # type: ignore[no-untyped-def]
    values = dict(id=5, name="Fanpage", paused_reason=None, finished=False, failing=False,
                  last_success_at=at(0), added_at=at(-10), status="live")  # fmt: skip
    values.update(kw)
    return TargetFacts(**values)  # type: ignore[arg-type]


def test_collector_paused_failing_and_finished() -> None:
    paused = EventFacts(START, None, targets=(_target(paused_reason="auth_expired"),))
    assert keys(paused, 1) == {(rules.COLLECTOR_PAUSED, "target:5")}
    failing = EventFacts(START, None, targets=(_target(failing=True, last_success_at=at(5)),))
    assert keys(failing, 14) == set()
    assert keys(failing, 15) == {(rules.COLLECTOR_FAILING, "target:5")}
    done = EventFacts(START, None, targets=(_target(paused_reason="x", finished=True),))
    assert keys(done, 15) == set()


def test_viewers_falling_to_zero_while_live() -> None:
    fell = ((at(1), 30), (at(2), 12), (at(3), 0), (at(4), 0))
    assert keys(EventFacts(START, None, targets=(_target(viewers=fell),)), 5.9) == set()
    assert keys(EventFacts(START, None, targets=(_target(viewers=fell),)), 6) == {
        (rules.VIEWERS_ZERO, "target:5")
    }
    never_came = ((at(1), 0), (at(2), 0))
    assert keys(EventFacts(START, None, targets=(_target(viewers=never_came),)), 10) == set()
    ended = _target(viewers=fell, status="ended")
    assert keys(EventFacts(START, None, targets=(ended,)), 10) == set()
