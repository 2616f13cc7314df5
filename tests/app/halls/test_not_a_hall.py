"""Not a hall: the organiser's own connections (the province office's host, a staff member's
phone, a presenter) leave the unmatched list for good, in a section of their own with an undo.

Participants are stored per session (target, participant key, join time); the mark covers every
hall-less session of the event under the exact name, and a session the collector writes later
under that name is marked as it arrives (``roster.carry_not_a_hall``, in the hall-matching step).
The query-level tests run on both databases: the mark is an UPDATE with a sub-select.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.collection.steps import match_halls
from app.collection.writer import write_batch
from app.extensions import db
from app.halls import queries
from app.halls.roster import assign, mark_not_a_hall
from app.models import AuditLog, BridgePoint, Participant, Target
from collectors.base import Batch, ParticipantRecord
from tests.app.halls.conftest import HALL, HOST, PHONE, START, first_of, page_token, roster
from tests.conftest import OTHER, Factory, login


def marks() -> list[tuple[str, bool]]:
    rows = db.session.execute(
        sa.select(Participant.display_name, Participant.not_a_hall).order_by(Participant.id)
    ).all()
    return [tuple(r) for r in rows]


def url(event_id: int) -> str:
    return f"/events/{event_id}/participants/unmatched"


@pytest.mark.postgres
def test_marked_names_leave_the_unmatched_list_and_the_undo_brings_them_back(
    make: Factory,
) -> None:
    event, _ = roster(make, [HOST, HALL, HOST, PHONE])
    assert mark_not_a_hall(event.id, first_of(HOST)) == 2  # both sessions of the name
    db.session.commit()
    assert [n.display_name for n in queries.unmatched_names(event)] == [HALL, PHONE]
    (marked,) = queries.not_hall_names(event)
    assert (marked.display_name, marked.sessions, marked.first_join) == (HOST, 2, START)
    assert mark_not_a_hall(event.id, first_of(HOST)) == 0  # marked already
    assert mark_not_a_hall(event.id, first_of(HOST), marked=False) == 2
    db.session.commit()
    assert [n.display_name for n in queries.unmatched_names(event)] == [HOST, HALL, PHONE]
    assert queries.not_hall_names(event) == []


@pytest.mark.postgres
def test_a_later_poll_keeps_the_mark_and_marks_new_sessions_of_the_name(make: Factory) -> None:
    """What the runner does with a batch: upsert the sessions, then the hall-matching step."""
    event, target = roster(make, [PHONE, HALL])
    mark_not_a_hall(event.id, first_of(PHONE))
    db.session.commit()
    later = START + timedelta(minutes=40)
    batch = Batch(
        participants=(
            # The marked session seen again, now with its leave time: updated in place.
            ParticipantRecord("p0", PHONE, START, left_at=START + timedelta(minutes=30)),
            # The phone rejoins: a new session, a new row.
            ParticipantRecord("p9", PHONE, later),
            ParticipantRecord("p8", "Phòng họp lạ", later),
        )
    )
    change = write_batch(db.session.get(Target, target.id), batch, later)
    match_halls(change)
    db.session.commit()
    db.session.expire_all()
    assert marks() == [(PHONE, True), (HALL, False), (PHONE, True), ("Phòng họp lạ", False)]
    assert first_of(PHONE).left_at == START + timedelta(minutes=30)
    assert [n.display_name for n in queries.unmatched_names(event)] == [HALL, "Phòng họp lạ"]
    assert [(n.display_name, n.sessions) for n in queries.not_hall_names(event)] == [(PHONE, 2)]


def test_a_mark_stays_in_its_event(make: Factory) -> None:
    event, _ = roster(make, [HOST])
    other, other_target = roster(make, [HOST])
    mark_not_a_hall(event.id, first_of(HOST))
    db.session.commit()
    assert [n.display_name for n in queries.unmatched_names(other)] == [HOST]
    match_halls(write_batch(other_target, Batch(participants=(
        ParticipantRecord("p7", HOST, START + timedelta(hours=1)),)), START))  # fmt: skip
    assert [n.sessions for n in queries.unmatched_names(other)] == [2]


def test_a_marked_name_is_not_matched_by_itself_and_assigning_it_clears_the_mark(
    make: Factory,
) -> None:
    event, target = roster(make, [])
    point = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == event.id).order_by(BridgePoint.id)
    ).first()
    named = f"UBND {point.org_unit.name}"  # a name the matcher would give this hall
    db.session.add(Participant(target_id=target.id, participant_key="h", display_name=named,
                               joined_at=START))  # fmt: skip
    db.session.commit()
    mark_not_a_hall(event.id, first_of(named))
    match_halls(write_batch(target, Batch(participants=(
        ParticipantRecord("h2", named, START + timedelta(minutes=5)),)), START))  # fmt: skip
    assert marks() == [(named, True), (named, True)]
    with_hall = sa.select(sa.func.count()).where(Participant.bridge_point_id.is_not(None))
    assert db.session.scalar(with_hall) == 0
    # The organiser changes their mind: the name is this hall after all.
    assert assign(event.id, first_of(named), point, None) == 2
    assert marks() == [(named, False), (named, False)]


def test_the_page_marks_a_name_lists_it_apart_and_undoes_it(client, make: Factory, organiser):  # type: ignore[no-untyped-def]
    event, _ = roster(make, [HOST, HALL, HOST])
    html = client.get(url(event.id)).get_data(as_text=True)
    assert "Không phải điểm cầu" in html
    assert 'name="action" value="not_a_hall"' in html
    token = page_token(client, url(event.id))
    host = first_of(HOST).id
    response = client.post(url(event.id), data={"csrf_token": token, "action": "not_a_hall",
                                                 "participant": host})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert marks() == [(HOST, True), (HALL, False), (HOST, True)]
    page = client.get(url(event.id)).get_data(as_text=True)
    unmatched_table = page[
        page.index('<table class="list unmatched phone-cards">') : page.index("</table>")
    ]
    assert HOST not in unmatched_table
    assert HALL in unmatched_table
    apart = page[page.index('<table class="list not-halls phone-cards">') :]
    apart = apart[: apart.index("</table>")]
    assert HOST in apart
    assert 'value="undo_not_a_hall"' in apart
    assert "Hoàn tác" in apart
    assert "đã được đánh dấu không phải điểm cầu (2 lượt kết nối)" in page  # the flash
    (log,) = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "participant.not_a_hall")
    )
    assert log.detail == {"display_name": HOST, "participants": 2}

    response = client.post(url(event.id), data={"csrf_token": token, "action": "undo_not_a_hall",
                                                 "participant": host})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert marks() == [(HOST, False), (HALL, False), (HOST, False)]
    page = client.get(url(event.id)).get_data(as_text=True)
    assert 'class="list not-halls' not in page
    unmatched_table = page[
        page.index('<table class="list unmatched phone-cards">') : page.index("</table>")
    ]
    assert HOST in unmatched_table


def test_the_page_says_all_is_done_when_the_rest_are_marked(client, make: Factory, organiser):  # type: ignore[no-untyped-def]
    event, _ = roster(make, [PHONE])
    token = page_token(client, url(event.id))
    client.post(url(event.id), data={"csrf_token": token, "action": "not_a_hall",
                                     "participant": first_of(PHONE).id})  # fmt: skip
    page = client.get(url(event.id)).get_data(as_text=True)
    assert "hoặc được đánh dấu không phải điểm cầu" in page


def test_bad_marks_are_refused_and_nothing_changes(app, client, make: Factory, organiser):  # type: ignore[no-untyped-def]
    event, _ = roster(make, [HOST])
    roster(make, [PHONE])
    token = page_token(client, url(event.id))
    cases = [
        {"action": "not_a_hall", "participant": first_of(PHONE).id},  # another event's name
        {"action": "not_a_hall", "participant": "x"},
        {"action": "undo_not_a_hall", "participant": ""},
        {"action": "delete_everything", "participant": first_of(HOST).id},
    ]
    for case in cases:
        response = client.post(url(event.id), data={"csrf_token": token, **case})
        assert response.status_code == 422, case
        assert "Unknown action" not in response.get_data(as_text=True)  # Vietnamese words
    body = {"action": "not_a_hall", "participant": first_of(HOST).id}
    assert client.post(url(event.id), data=body).status_code == 400  # no CSRF token
    assert db.session.scalar(sa.select(sa.func.count()).where(Participant.not_a_hall)) == 0
    # A viewer may not mark; an officer of another province does not see the event.
    viewer = app.test_client()
    login(viewer, make.user("viewer").email)
    viewer_token = page_token(viewer, "/events")
    refused = viewer.post(url(event.id), data={"csrf_token": viewer_token, **body})
    assert refused.status_code == 403
    foreign = app.test_client()
    login(foreign, make.user("officer", OTHER).email)
    foreign_token = page_token(foreign, "/events")
    assert (
        foreign.post(url(event.id), data={"csrf_token": foreign_token, **body}).status_code == 404
    )
    assert db.session.scalar(sa.select(sa.func.count()).where(Participant.not_a_hall)) == 0
