"""Each rollup row keeps its event's unit, channel, campaign and cost, which a year's sums read.

A province's year page sums the rollup rows alone (no event joined), so when an officer edits an
event (moves it to another commune, changes its channel, its campaign or its cost) the row must
follow in the same commit, or the year page and the event's own figures disagree. Every step is
checked against the report read from the source tables, on every view and filter.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.events.services import apply_event
from app.extensions import db
from app.models import Channel, Event, EventRollup
from app.reports.rollups import full_build
from app.reports.rollups.grouped import all_rolled
from tests.app.reports.test_rollups import assert_same
from tests.conftest import HOME

PLACE = ("org_unit_id", "channel", "campaign_id", "cost_vnd")


def copied(event: Event) -> tuple[Any, ...]:
    row = db.session.execute(
        sa.select(*(getattr(EventRollup, name) for name in PLACE)).where(
            EventRollup.event_id == event.id
        )
    ).one()
    return tuple(row)


def own(event: Event) -> tuple[Any, ...]:
    db.session.refresh(event)
    return tuple(getattr(event, name) for name in PLACE)


def test_a_rebuild_copies_each_events_place_and_cost(month) -> None:
    full_build.rebuild()
    db.session.commit()
    for event in month.events.values():
        assert copied(event) == own(event), event.title
    assert copied(month.events["L2"]) == (
        month.commune_a.id,
        Channel.LIVESTREAM,
        month.campaign_id,
        1_000_000,
    )


def test_an_edited_event_moves_its_row_and_the_years_sums(month, make) -> None:
    full_build.rebuild()
    db.session.commit()
    officer = make.user("manager", HOME)
    l2 = month.events["L2"]
    edits: list[dict[str, Any]] = [
        {"cost_vnd": 1_250_000},
        {"org_unit": month.commune_b.code},
        {"channel": "post"},
        {"campaign_id": None},
        {"org_unit": month.province.code, "channel": "livestream", "cost_vnd": 0},
    ]
    for edit in edits:
        apply_event(l2, edit, officer)
        db.session.commit()
        assert copied(l2) == own(l2), edit
        assert_same(month)
    assert copied(l2) == (month.province.id, Channel.LIVESTREAM, None, 0)


def test_an_events_new_date_moves_its_row_with_the_rest_of_its_place(month, make) -> None:
    full_build.rebuild()
    db.session.commit()
    g1 = month.events["G1"]
    g1.planned_start = g1.planned_start.replace(month=9)
    g1.cost_vnd = 450_000
    db.session.commit()
    stored = db.session.get(EventRollup, g1.id)
    db.session.refresh(stored)
    assert (stored.local_month, stored.cost_vnd) == ("2026-09", 450_000)
    assert_same(month)


def test_an_event_created_after_the_build_has_its_row_at_its_commit(month, make) -> None:
    """Officers create events ahead of time: a planned event has nothing collected and nobody
    touched yet, and without a row every grouped report looked for the events missing one."""
    full_build.rebuild()
    db.session.commit()
    officer = make.user("manager", HOME)
    event = Event(title="Hội nghị trực tuyến tháng 12", description="")
    apply_event(event, {"org_unit": month.commune_a.code, "channel": "conference",
                        "campaign_id": month.campaign_id, "cost_vnd": 3_000_000,
                        "planned_start": month.events["L2"].planned_start}, officer)  # fmt: skip
    db.session.add(event)
    db.session.commit()
    assert copied(event) == (month.commune_a.id, Channel.CONFERENCE, month.campaign_id, 3_000_000)
    assert all_rolled()
    assert_same(month)
