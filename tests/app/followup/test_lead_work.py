"""Working a lead: officers of the event's unit change it, viewers cannot, each change audited;
several comments by one commenter are one lead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.events.services import FieldError
from app.extensions import db
from app.followup.lead_assign import NotAllowed, assignable_users
from app.followup.lead_work import person_of_comment, update_lead, work_of_event
from app.models import AuditLog, Comment, Event, LeadCall, LeadStatus, LeadWork, utcnow
from app.timeparse import VN
from tests.app.followup.lead_world import lead_world
from tests.conftest import HOME, OTHER, Factory

NEXT_CALL = utcnow().astimezone(VN).date() + timedelta(days=18)  # a day ahead, whenever run

pytestmark = pytest.mark.postgres  # lead work on both databases


def test_marking_one_comment_marks_the_commenter_and_is_audited(make: Factory) -> None:
    world = lead_world(make)
    officer = make.user("officer", HOME)
    event = db.session.get(Event, world.event_id)
    person = person_of_comment(event, world.first)
    assert person_of_comment(event, world.second) == person  # the same commenter, one lead
    assert person_of_comment(event, world.other) != person
    changes = {"status": "called", "assignee_id": officer.id, "notes": "Gọi lại sau 17h",
               "next_call_on": NEXT_CALL.strftime("%d/%m/%Y")}  # fmt: skip
    update_lead(event, person, officer, changes)
    db.session.commit()
    work = work_of_event(event.id)[person]
    assert work.status == LeadStatus.CALLED
    assert (work.assignee_id, work.notes) == (officer.id, "Gọi lại sau 17h")
    assert work.next_call_on == NEXT_CALL
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "lead.update")).all()
    changes = {r.detail["field"]: (r.detail["old"], r.detail["new"]) for r in rows}
    assert changes["status"] == ("new", "called")
    assert changes["assignee_id"] == (None, officer.id)
    assert changes["next_call_on"] == (None, NEXT_CALL.isoformat())
    assert "Gọi" not in str(changes["notes"])  # the log says notes changed, not what they say
    assert all(r.user_id == officer.id and r.object_id == str(work.id) for r in rows)
    # A second change writes old → new again; an unchanged value writes nothing.
    update_lead(event, person, officer, {"status": "Hẹn lại", "assignee_id": officer.id})
    db.session.commit()
    last = db.session.scalars(select(AuditLog).where(AuditLog.action == "lead.update")).all()
    assert len(last) == len(rows) + 1
    assert (last[-1].detail["old"], last[-1].detail["new"]) == ("called", "call_back")


def test_viewers_may_not_work_leads(make: Factory) -> None:
    world = lead_world(make)
    event = db.session.get(Event, world.event_id)
    person = person_of_comment(event, world.first)
    with pytest.raises(NotAllowed):
        update_lead(event, person, make.user("viewer", HOME), {"status": "called"})


def test_bad_values_name_their_field(make: Factory) -> None:
    world = lead_world(make)
    officer = make.user("officer", HOME)
    stranger = make.user("officer", OTHER)
    event = db.session.get(Event, world.event_id)
    person = person_of_comment(event, world.first)
    cases = [({"status": "maybe"}, "status"), ({"assignee_id": stranger.id}, "assignee_id"),
             ({"assignee_id": make.user("viewer", HOME).id}, "assignee_id"),
             ({"next_call_on": "31/02/2026"}, "next_call_on"), ({"colour": "red"}, "colour"),
             ({"notes": "x" * 3000}, "notes"),
             ({"next_call_on": "01/01/2020"}, "next_call_on")]  # fmt: skip
    for changes, field in cases:
        with pytest.raises(FieldError) as caught:
            update_lead(event, person, officer, changes)
        assert caught.value.field == field
    with pytest.raises(FieldError) as caught:
        person_of_comment(event, world.plain)
    assert caught.value.field == "comment_id"
    assert db.session.scalar(select(LeadWork)) is None


def test_assignees_are_officers_of_the_event_unit(make: Factory) -> None:
    world = lead_world(make)
    officer, manager = make.user("officer", HOME), make.user("manager", HOME)
    make.user("viewer", HOME)
    make.user("officer", OTHER)
    event = db.session.get(Event, world.event_id)
    assert {u.id for u in assignable_users(event, officer)} == {officer.id, manager.id}


def test_merged_people_keep_the_lead_changed_last(make: Factory) -> None:
    from app.followup.call_log import record_call
    from app.followup.lead_work import move_lead_work

    world = lead_world(make)
    officer = make.user("officer", HOME)
    event = db.session.get(Event, world.event_id)
    lan, binh = person_of_comment(event, world.first), person_of_comment(event, world.other)
    record_call(event, lan, officer, "a" * 32, {"status": "called"}, now=utcnow())
    record_call(event, binh, officer, "b" * 32, {"status": "enrolled"}, now=utcnow())
    db.session.commit()
    move_lead_work(lan, [binh])
    rows = db.session.scalars(select(LeadWork)).all()
    assert [(r.person_id, r.status) for r in rows] == [(lan, LeadStatus.ENROLLED)]
    # Both calls happened: both are the survivor's (the other person's would go with them).
    calls = db.session.scalars(select(LeadCall).order_by(LeadCall.id)).all()
    assert [(c.person_id, c.status) for c in calls] == [
        (lan, LeadStatus.CALLED),
        (lan, LeadStatus.ENROLLED),
    ]
    assert db.session.get(Comment, world.other).person_id == binh  # comments move elsewhere


def test_a_wrong_number_needs_a_number(make: Factory) -> None:
    """Bình wrote only "Tư vấn giúp tôi": no number, so none can be wrong; Lan left hers."""
    world = lead_world(make)
    officer = make.user("officer", HOME)
    event = db.session.get(Event, world.event_id)
    with pytest.raises(FieldError) as caught:
        update_lead(event, person_of_comment(event, world.other), officer,
                    {"status": "wrong_number"})  # fmt: skip
    assert caught.value.field == "status"
    assert caught.value.message == (
        "This person left no phone number, so it cannot be a wrong number."
    )
    lan = person_of_comment(event, world.first)
    assert update_lead(event, lan, officer, {"status": "wrong_number"}).status == (
        LeadStatus.WRONG_NUMBER
    )


def test_called_needs_a_number(make: Factory) -> None:
    """The tour marked Bình, who left no number, "Đã gọi": nobody can have called him."""
    world = lead_world(make)
    officer = make.user("officer", HOME)
    event = db.session.get(Event, world.event_id)
    binh = person_of_comment(event, world.other)
    with pytest.raises(FieldError) as caught:
        update_lead(event, binh, officer, {"status": "called"})
    assert caught.value.field == "status"
    assert caught.value.message.startswith("This person left no phone number, so they cannot")
    # What can be learnt without a phone still can be marked: an answer under the comment.
    assert update_lead(event, binh, officer, {"status": "not_interested"}).status == (
        LeadStatus.NOT_INTERESTED
    )
    # Lan's lead made from her comment without a number: her earlier comment carried one.
    lan = person_of_comment(event, world.second)
    assert update_lead(event, lan, officer, {"status": "called"}).status == LeadStatus.CALLED
