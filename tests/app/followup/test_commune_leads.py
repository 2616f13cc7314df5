"""A commune's officer assigns the leads of their part of the province's event, only to their
commune's officers; the province's officer still assigns every lead.

The world is the province's conference with halls in communes A and B (``part_world``). A's
officer works from A's follow-up list (the editor sends the session's PATCH) or the leads API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from app.auth.tokens import issue_token
from app.extensions import db
from app.followup.call_scope import unit_name
from app.followup.lead_assign import (
    NotAllowed,
    NotAssignable,
    NotInPart,
    assignable_users,
    assignee_choices,
)
from app.followup.lead_work import update_lead
from app.models import AuditLog, Comment, Event, LeadWork, OrgUnit, User
from tests.app.followup.part_world import World, part_world
from tests.conftest import HOME, Factory, csrf_token, login

pytestmark = pytest.mark.postgres  # the part's conditions on both databases

REFUSED_USER = (
    "Không giao được việc liên hệ người này cho tài khoản đó: hãy chọn một cán bộ trong danh "
    "sách (xã chỉ giao cho cán bộ của chính xã mình)."
)
# The API speaks English to scripts (app.errors); the pages' scripts say it in their own words.
API_REFUSED_USER = (
    "This lead cannot go to that user: choose one of the officers listed (a commune gives its "
    "leads to its own officers alone)."
)
API_NOT_MINE = "This person is not among the people of your unit in this event."
API_NOT_OFFICER = "Marking leads needs the officer role or higher."


@dataclass(frozen=True)
class Staff:
    me: User  # A's officer
    colleague: User  # A's manager
    my_viewer: User
    their_officer: User  # B's
    province: User  # the province's officer
    province_colleague: User


def _staff(make: Factory, world: World) -> Staff:
    mine, theirs = world.mine.code, world.theirs.code
    return Staff(make.user("officer", mine), make.user("manager", mine), make.user("viewer", mine),
                 make.user("officer", theirs), make.user("officer", HOME),
                 make.user("officer", HOME))  # fmt: skip


def _holder(world: World, person_id: int) -> int | None:
    db.session.expire_all()
    return db.session.scalar(
        select(LeadWork.assignee_id).where(
            LeadWork.event_id == world.event_id, LeadWork.person_id == person_id
        )
    )


def test_a_commune_officer_assigns_their_people_to_their_communes_officers(
    make: Factory,
) -> None:
    world = part_world(make)
    staff = _staff(make, world)
    event = db.session.get(Event, world.event_id)
    assert {u.id for u in assignable_users(event, staff.me)} == {staff.me.id, staff.colleague.id}

    update_lead(event, world.my_lead, staff.me, {"assignee_id": staff.colleague.id})
    db.session.commit()
    assert _holder(world, world.my_lead) == staff.colleague.id
    update_lead(event, world.my_lead, staff.me, {"assignee_id": str(staff.me.id)})  # themselves
    db.session.commit()
    assert _holder(world, world.my_lead) == staff.me.id
    audited = db.session.scalars(select(AuditLog.detail).where(AuditLog.action == "lead.update"))
    assert [(d["old"], d["new"]) for d in audited] == [
        (None, staff.colleague.id),
        (staff.colleague.id, staff.me.id),
    ]

    for other in (staff.their_officer, staff.province, staff.my_viewer):
        with pytest.raises(NotAssignable) as caught, force_locale("vi"):  # a page's language
            update_lead(event, world.my_lead, staff.me, {"assignee_id": other.id})
        assert caught.value.field == "assignee_id"
        assert caught.value.message == REFUSED_USER  # said in the language of the page asking
    with pytest.raises(NotAssignable):
        update_lead(event, world.my_lead, staff.me, {"assignee_id": 987654})  # nobody's id
    with pytest.raises(NotInPart):  # B's lead, even to A's own officer
        update_lead(event, world.their_lead, staff.me, {"assignee_id": staff.me.id})
    with pytest.raises(NotAllowed):
        update_lead(event, world.my_lead, staff.my_viewer, {"assignee_id": staff.my_viewer.id})
    db.session.rollback()
    assert _holder(world, world.my_lead) == staff.me.id
    assert _holder(world, world.their_lead) is None


def test_a_lead_the_province_gave_keeps_its_holder_until_the_commune_reassigns_it(
    make: Factory,
) -> None:
    world = part_world(make)
    staff = _staff(make, world)
    event = db.session.get(Event, world.event_id)
    update_lead(event, world.my_lead, staff.province, {"assignee_id": staff.province.id})
    db.session.commit()
    # The commune's editor sends the holder back unchanged with the status it marks.
    work = update_lead(event, world.my_lead, staff.me,
                       {"status": "call_back", "assignee_id": staff.province.id,
                        "next_call_on": "31/12/2099"})  # fmt: skip
    assert (work.status.value, work.assignee_id) == ("call_back", staff.province.id)
    update_lead(event, world.my_lead, staff.me, {"assignee_id": staff.colleague.id})
    db.session.commit()
    with pytest.raises(NotAssignable):  # once moved, the province's officer is not A's to choose
        update_lead(event, world.my_lead, staff.me, {"assignee_id": staff.province.id})
    db.session.rollback()
    assert _holder(world, world.my_lead) == staff.colleague.id


def test_the_province_officer_assigns_every_communes_leads(make: Factory) -> None:
    world = part_world(make)
    staff = _staff(make, world)
    event = db.session.get(Event, world.event_id)
    for person in (world.my_lead, world.their_lead):
        update_lead(event, person, staff.province, {"assignee_id": staff.province_colleague.id})
    db.session.commit()
    assert _holder(world, world.my_lead) == staff.province_colleague.id
    assert _holder(world, world.their_lead) == staff.province_colleague.id
    # The province's own officers, as before: a commune's staff see only their part.
    choices = assignee_choices(event, staff.province)
    assert set(choices) == {staff.province.id, staff.province_colleague.id}


def _api(user: User) -> dict[str, str]:
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_leads_api_lets_a_commune_assign_only_within_it(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    staff = _staff(make, world)
    url = f"/api/v1/events/{world.event_id}"
    mine = _api(staff.me)
    body = client.get(f"{url}/leads", headers=mine).get_json()
    assert {a["id"] for a in body["assignees"]} == {staff.me.id, staff.colleague.id}

    given = client.patch(f"{url}/leads/{world.my_lead}", json={"assignee_id": staff.colleague.id},
                         headers=mine)  # fmt: skip
    assert given.status_code == 200
    assert given.get_json()["assignee_name"] == staff.colleague.email

    to_other = client.patch(f"{url}/leads/{world.my_lead}",
                            json={"assignee_id": staff.their_officer.id}, headers=mine)  # fmt: skip
    assert to_other.status_code == 422
    assert to_other.get_json()["message"] == f"assignee_id: {API_REFUSED_USER}"
    assert to_other.get_json()["errors"] == {"json": {"assignee_id": [API_REFUSED_USER]}}
    comments = dict(db.session.execute(select(Comment.external_id, Comment.id)).all())
    for path in (f"leads/{world.their_lead}", f"comments/{comments['c2']}/lead"):
        refused = client.patch(f"{url}/{path}", json={"assignee_id": staff.me.id}, headers=mine)
        assert refused.status_code == 404, path
        assert refused.get_json()["message"] == API_NOT_MINE
    viewer = client.patch(f"{url}/leads/{world.my_lead}", json={"assignee_id": None},
                          headers=_api(staff.my_viewer))  # fmt: skip
    assert viewer.status_code == 403
    assert viewer.get_json()["message"] == API_NOT_OFFICER
    assert _holder(world, world.my_lead) == staff.colleague.id
    assert _holder(world, world.their_lead) is None

    province = client.patch(f"{url}/leads/{world.their_lead}",
                            json={"assignee_id": staff.province.id},
                            headers=_api(staff.province))  # fmt: skip
    assert province.status_code == 200
    assert _holder(world, world.their_lead) == staff.province.id


def _editor_choices(html: str) -> set[str]:
    """The values of the follow-up editor's assignee options (but "nobody")."""
    editor = html[html.index('id="lead-editor"') :]
    select_html = re.search(r'<select name="assignee_id">(.*?)</select>', editor, re.S)
    assert select_html is not None
    return {v for v in re.findall(r'<option value="([^"]*)"', select_html[1]) if v}


def test_the_follow_up_page_offers_and_saves_only_the_communes_officers(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    staff = _staff(make, world)
    login(client, staff.me.email)
    page = f"/events/{world.event_id}/follow-up"
    html = client.get(page).get_data(as_text=True)
    assert _editor_choices(html) == {str(staff.me.id), str(staff.colleague.id)}
    assert staff.their_officer.email not in html
    assert staff.province.email not in html
    headers = {"X-CSRFToken": csrf_token(client, page)}  # what the page's editor sends
    url = f"/api/v1/events/{world.event_id}/leads"
    saved = client.patch(f"{url}/{world.my_lead}", headers=headers,
                         json={"status": "call_back", "assignee_id": staff.colleague.id,
                               "next_call_on": "31/12/2099", "notes": "gọi lại"})  # fmt: skip
    assert saved.status_code == 200
    assert _holder(world, world.my_lead) == staff.colleague.id
    refused = client.patch(f"{url}/{world.my_lead}", headers=headers,
                           json={"status": "call_back", "assignee_id": staff.province.id,
                                 "next_call_on": "31/12/2099", "notes": "gọi lại"})  # fmt: skip
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["json"]["assignee_id"] == [API_REFUSED_USER]
    outside = client.patch(f"{url}/{world.their_lead}", headers=headers,
                           json={"assignee_id": staff.me.id})  # fmt: skip
    assert outside.status_code == 404
    assert _holder(world, world.my_lead) == staff.colleague.id
    assert _holder(world, world.their_lead) is None
    # The page names the holder on the row; its editor offers the commune's officers alone.
    html = client.get(page).get_data(as_text=True)
    assert f'data-assignee="{staff.colleague.id}"' in html
    assert _editor_choices(html) == {str(staff.me.id), str(staff.colleague.id)}


@pytest.mark.parametrize(
    ("name", "vi", "en"),
    [
        ("Phường Thành Vinh", "phường Thành Vinh", "Thành Vinh ward"),
        ("Xã Nghi Phong", "xã Nghi Phong", "Nghi Phong commune"),
        ("Thị trấn Quán Hành", "thị trấn Quán Hành", "Quán Hành township"),
        ("Đặc khu Cồn Cỏ", "đặc khu Cồn Cỏ", "Cồn Cỏ special zone"),
        ("Nghi Lộc", "xã Nghi Lộc", "Nghi Lộc commune"),  # no kind word: a commune
    ],
)
def test_a_communes_name_in_a_sentence_follows_the_language(
    app: object, name: str, vi: str, en: str
) -> None:
    unit = OrgUnit(name=name)
    with force_locale("vi"):
        assert unit_name(unit) == vi
    with force_locale("en"):
        assert unit_name(unit) == en


def test_the_part_notice_speaks_english_on_an_english_interface(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    officer = make.user("officer", world.mine.code)
    officer.locale = "en"
    db.session.commit()
    login(client, officer.email)
    html = client.get(f"/events/{world.event_id}/follow-up").get_data(as_text=True)
    assert world.mine.name.startswith("Phường ")
    bare = world.mine.name.removeprefix("Phường ")
    assert f"Only people of {bare} ward are shown:" in html
    assert "phường" not in html.lower().replace(world.mine.name.lower(), "")
