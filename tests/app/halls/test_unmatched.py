"""Unmatched participants: one click assigns a platform name to a hall, for this conference (every
session with that name) and for the later ones (a remembered alias)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.halls import queries, services
from app.halls.roster import match_new_participants
from app.models import AuditLog, BridgePoint, HallAlias, Participant
from tests.app.halls.conftest import page_token, roster
from tests.conftest import OTHER, Factory, login

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
NAME = "Điểm cầu số 3 - 45 người"


def hall(event_id: int, index: int = 0) -> BridgePoint:
    halls = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == event_id).order_by(BridgePoint.id)
    ).all()
    return halls[index]


def url(event_id: int) -> str:
    return f"/events/{event_id}/participants/unmatched"


def test_assignment_moves_every_session_and_is_remembered(client, make: Factory, organiser):  # type: ignore[no-untyped-def]
    event, target = roster(make, [NAME, "Phòng họp lạ", NAME], start=START)
    page = client.get(url(event.id))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert NAME in html
    assert "Phòng họp lạ" in html
    assert "Cuộc họp Zoom" in html  # the kind in words
    assert "zoom_meeting" not in html
    first = db.session.scalar(sa.select(sa.func.min(Participant.id)))
    point = hall(event.id)
    token = page_token(client, url(event.id))
    response = client.post(url(event.id), data={"csrf_token": token, "participant": first,
                                                "bridge_point": point.id})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Participant.display_name, Participant.bridge_point_id).order_by(Participant.id)
    ).all()
    assert rows == [(NAME, point.id), ("Phòng họp lạ", None), (NAME, point.id)]
    (alias,) = db.session.scalars(sa.select(HallAlias)).all()
    assert alias.org_unit_id == point.org_unit_id
    after = client.get(url(event.id)).get_data(as_text=True)
    names_table = after[
        after.index('<table class="list unmatched phone-cards">') : after.index("</table>")
    ]
    assert NAME not in names_table
    assert "Phòng họp lạ" in names_table
    assert "later conferences will recognise" in after or "hội nghị sau" in after
    assert alias.alias_key in after  # listed as remembered
    (log,) = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "participant.assign"))
    assert log.detail == {"display_name": NAME, "participants": 2}

    # The next conference of the same province: the name finds its hall with nobody's help.
    later, later_target = roster(make, [NAME], start=START)
    assert match_new_participants(later_target) == 1
    db.session.commit()
    moved = db.session.scalar(
        sa.select(Participant.bridge_point_id).where(Participant.target_id == later_target.id)
    )
    assert db.session.get(BridgePoint, moved).org_unit_id == point.org_unit_id


def test_foreign_participants_and_halls_are_refused(client, make: Factory, organiser):  # type: ignore[no-untyped-def]
    event, _ = roster(make, [NAME], start=START)
    other, _ = roster(make, ["Một tên khác"], start=START)
    mine = db.session.scalar(sa.select(sa.func.min(Participant.id)))
    theirs = db.session.scalar(sa.select(sa.func.max(Participant.id)))
    token = page_token(client, url(event.id))
    cases = [
        {"participant": theirs, "bridge_point": hall(event.id).id},  # another event's name
        {"participant": mine, "bridge_point": hall(other.id).id},  # another event's hall
        {"participant": mine, "bridge_point": "x"},
        {"participant": "", "bridge_point": hall(event.id).id},
    ]
    for case in cases:
        response = client.post(url(event.id), data={"csrf_token": token, **case})
        assert response.status_code == 422, case
    assert client.post(url(event.id), data=cases[0]).status_code == 400  # no CSRF token
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HallAlias)) == 0
    assigned = sa.select(sa.func.count()).where(Participant.bridge_point_id.is_not(None))
    assert db.session.scalar(assigned) == 0


def test_viewers_and_other_provinces_are_refused(app, client, make: Factory, logged_in):  # type: ignore[no-untyped-def]
    event, _ = roster(make, [NAME], start=START)
    foreign, _ = roster(make, ["Bí mật"], org_unit=OTHER, start=START)
    logged_in("viewer")
    assert client.get(url(event.id)).status_code == 403
    token = page_token(client, "/events")
    pid = db.session.scalar(sa.select(sa.func.min(Participant.id)))
    body = {"csrf_token": token, "participant": pid, "bridge_point": hall(event.id).id}
    assert client.post(url(event.id), data=body).status_code == 403
    officer = app.test_client()
    login(officer, make.user("officer").email)
    assert officer.get(url(foreign.id)).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HallAlias)) == 0


def test_unmatched_names_group_sessions_and_keep_utc(make: Factory) -> None:
    event, _ = roster(make, [NAME, "Phòng họp lạ", NAME], start=START)
    names = queries.unmatched_names(event)
    assert [(n.display_name, n.sessions, n.first_join) for n in names] == [
        (NAME, 2, START),
        ("Phòng họp lạ", 1, START + timedelta(minutes=1)),
    ]
    assert all(n.first_join.tzinfo is not None for n in names)  # aware on SQLite too


def test_halls_named_as_their_old_wards_are_matched(make: Factory) -> None:
    """Vinh's wards before 2025 (Lê Lợi, Bến Thủy, Hưng Dũng, Nghi Phú) are today's Thành Vinh,
    Trường Vinh and Vinh Phú: devices named the old way find their hall by themselves."""
    names = ["UBND phường Lê Lợi - 30 người", "Điểm cầu P. Bến Thủy", "Phường Hưng Dũng 2",
             "Phường Nghi Phú (TP Vinh)", "Phòng họp lạ"]  # fmt: skip
    event, target = roster(make, names, start=START)
    assert match_new_participants(target) == 4
    halls = {p.id: p.org_unit.code for p in services.points_of(event)}
    rows = db.session.execute(
        sa.select(Participant.display_name, Participant.bridge_point_id).order_by(Participant.id)
    ).all()
    assert [halls.get(point) for _, point in rows] == ["16681", "16690", "16690", "16702", None]


def test_assigning_without_a_hall_says_so_on_the_row(client, make: Factory, organiser):  # type: ignore[no-untyped-def]
    """ "Gán" with "— chọn điểm cầu —" left as is: the select was ``required``, so the browser
    refused in its own language and the page never answered; now the page says it, on the row."""
    event, _ = roster(make, [NAME, "Phòng họp lạ"], start=START)
    first = db.session.scalar(sa.select(sa.func.min(Participant.id)))
    page = client.get(url(event.id)).get_data(as_text=True)
    assert not re.search(r"<select[^>]*required", page)  # the browser lets the form through
    token = page_token(client, url(event.id))
    empty = {"csrf_token": token, "action": "assign", "participant": first, "bridge_point": ""}
    response = client.post(url(event.id), data=empty)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    message = f"Hãy chọn điểm cầu của sự kiện này cho {NAME}."
    row = re.search(rf'<input type="hidden" name="participant" value="{first}">(.*?)</form>',
                    html, re.S)  # fmt: skip
    assert row
    assert 'aria-invalid="true"' in row.group(1)
    assert f'<small class="error" id="assign-error-{first}">{message}</small>' in row.group(1)
    assert html.count('aria-invalid="true"') == 1  # the other name's row is left alone
    assert "Phòng họp lạ" in html  # the list is still there
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HallAlias)) == 0
