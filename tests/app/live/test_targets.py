"""An event's phase (upcoming, live, ended) from its own times and its collectors' statuses, as
of an injected clock: the dates here are fixed, never the test run's own day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.halls.meeting import tracks_meeting
from app.live.summary import event_summary, summary_after
from app.live.targets import ENDED, LIVE, UPCOMING, EventTargets, TargetRow
from app.models import EventStatus, Platform
from tests.conftest import HOME, Factory

PLANNED = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)  # 20:00 on 08/12/2026 in Hà Nội
BEFORE, DURING = PLANNED - timedelta(days=2), PLANNED + timedelta(minutes=30)
END = PLANNED + timedelta(hours=2)  # 22:00: the planned end
AFTER = END + timedelta(seconds=1)


def _target(kind: str = "youtube_live", status: str | None = "scheduled", **kw) -> TargetRow:
    values = dict(id=1, kind=kind, external_id="v", status=status, last_success_at=None,
                  next_run_at=None, last_error="", paused_reason=None, finished_at=None,
                  calls_used=0, failures=0, updated_at=None)  # fmt: skip
    values.update(kw)
    return TargetRow(**values)  # type: ignore[arg-type]


def _event(
    status: str = "scheduled", targets: list[TargetRow] | None = None, actual_end=None
) -> EventTargets:
    return EventTargets(False, status, targets or [], actual_end, PLANNED, END)


@pytest.mark.parametrize(
    ("event", "now", "phase"),
    [
        # A live the collector waits for is upcoming, even past its planned start (late).
        (_event(targets=[_target()]), BEFORE, UPCOMING),
        (_event(targets=[_target()]), DURING, UPCOMING),
        (_event(targets=[_target(status=None)]), DURING, UPCOMING),  # not read yet
        # The collector saw it start (the event follows a moment later), or the event says so.
        (_event(targets=[_target(), _target(id=2, status="live")]), BEFORE, LIVE),
        (_event("live", [_target()]), BEFORE, LIVE),
        # Over: its status, or its meeting finished.
        (_event("ended", [_target(status="ended")]), BEFORE, ENDED),
        (_event(targets=[_target("zoom_meeting", finished_at=DURING)]), DURING, ENDED),
        # Nothing would see it start (no target, or a post): its planned start decides.
        (_event(), BEFORE, UPCOMING),
        (_event(), DURING, LIVE),
        (_event(targets=[_target("facebook_post", status=None)]), BEFORE, UPCOMING),
        (_event(targets=[_target("facebook_post", status=None)]), DURING, LIVE),
        (EventTargets(False, "scheduled", [], None, None), BEFORE, LIVE),  # no date: as before
        # ... and its end, planned or actual, ends it (to the second).
        (_event(), END - timedelta(seconds=1), LIVE),
        (_event(), END, ENDED),
        (_event(targets=[_target("facebook_post", status=None)]), AFTER, ENDED),
        (_event(actual_end=DURING), DURING, ENDED),
        (EventTargets(False, "scheduled", [], None, None, END), AFTER, ENDED),  # no start
        # A collector or the event's status decides, whatever the planned times say.
        (_event(targets=[_target()]), AFTER, UPCOMING),  # a live late past its planned end
        (_event("live"), AFTER, LIVE),
    ],
)
def test_phase(event: EventTargets, now: datetime, phase: str) -> None:
    assert event.phase(now) == phase


@pytest.mark.parametrize(
    ("event", "times"),
    [
        (_event(), (PLANNED, END)),  # nothing collects it: the clock turns it
        (_event(targets=[_target("facebook_post", status=None)]), (PLANNED, END)),
        (_event(actual_end=DURING), (PLANNED, DURING)),
        (_event(targets=[_target()]), None),  # its live's collector will see it start
        (_event(targets=[_target("zoom_meeting", status=None)]), None),
        (_event("live"), None),
        (_event("ended"), None),
        (EventTargets(False, "scheduled", [], None, None), None),  # no dates: nothing to turn
    ],
)
def test_phase_times(event: EventTargets, times: tuple | None) -> None:
    """When the clock alone turns the event, the page is told when (and turns by itself)."""
    assert event.phase_times() == times


def test_the_summary_reads_its_phase_as_of_the_clock_it_is_given(make: Factory) -> None:
    """An in-person conference (nothing collects it) turns live at its planned start."""
    event = make.event(HOME, channel="conference", planned_start=PLANNED,
                       planned_end=PLANNED + timedelta(hours=2))  # fmt: skip
    assert event_summary(event.id, BEFORE).as_dict()["phase"] == UPCOMING
    during = event_summary(event.id, DURING).as_dict()
    assert during["phase"] == LIVE
    assert during["phase_at"] == {"live": PLANNED.isoformat(), "ended": END.isoformat()}
    assert event_summary(event.id, AFTER).as_dict()["phase"] == ENDED
    event.status = EventStatus.ENDED
    db.session.commit()
    ended = event_summary(event.id, BEFORE).as_dict()
    assert (ended["phase"], ended["phase_at"]) == (ENDED, None)


def test_the_summary_says_whether_the_halls_connect_to_a_meeting_as_the_board_does(
    make: Factory,
) -> None:
    """An online conference followed by check-in alone has no meeting to connect to, until an
    organiser adds its Zoom meeting: the summary (and so each delta) says so from then on, as
    ``tracks_meeting`` does; a livestream's Facebook target is no meeting."""
    event = make.event(HOME, channel="online_conference", planned_start=PLANNED)
    assert event_summary(event.id, DURING).as_dict()["meeting"] is False
    assert summary_after(event.id, now=DURING).as_dict()["meeting"] is False
    make.target(event, make.account(), kind="facebook_live", external_id="v1")
    assert summary_after(event.id, now=DURING).as_dict()["meeting"] is False
    zoom = make.account(platform=Platform.ZOOM, name="Zoom BHXH")
    meeting = make.target(event, zoom, kind="zoom_meeting", external_id="85012345678")
    assert summary_after(event.id, now=DURING).as_dict()["meeting"] is True
    assert event_summary(event.id, DURING).as_dict()["meeting"] is True
    assert tracks_meeting(event) is True
    db.session.delete(meeting)
    db.session.commit()
    assert summary_after(event.id, now=DURING).as_dict()["meeting"] is False
