"""The touring manager's follow-up findings: the province hands a commune's people to that
commune's officers (never another's), status labels in the reader's language, "Sai số điện
thoại", the enrolled-after rows told apart, every named person accounted for, and a commune's
Excel named for the commune.

The world is the province's conference with halls in communes A and B (``part_world``).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from app.auth.tokens import issue_token
from app.consent import CURRENT
from app.extensions import db
from app.followup.lead_assign import NotAssignable
from app.followup.lead_status import parse_status, status_label
from app.followup.lead_work import update_lead
from app.identity.text import fold
from app.models import Attendance, Enrolment, Event, LeadStatus, LeadWork, Link, Person, User
from app.reports.filenames import unit_slug
from tests.app.followup.part_world import MET, MY_ENROLLED, THEIR_ENROLLED, World, part_world
from tests.conftest import HOME, Factory, csrf_token, login

pytestmark = pytest.mark.postgres  # the part's conditions on both databases

REFUSED_USER = (
    "Không giao được việc liên hệ người này cho tài khoản đó: hãy chọn một cán bộ trong danh "
    "sách (xã chỉ giao cho cán bộ của chính xã mình)."
)


def _person(name: str) -> int:
    found = db.session.scalar(select(Person.id).where(Person.name_folded == fold(name)))
    assert found is not None, name
    return found


def _holder(world: World, person_id: int) -> int | None:
    db.session.expire_all()
    return db.session.scalar(
        select(LeadWork.assignee_id).where(
            LeadWork.event_id == world.event_id, LeadWork.person_id == person_id
        )
    )


def test_the_province_gives_a_communes_people_to_that_communes_officers_alone(
    make: Factory,
) -> None:
    world = part_world(make)
    province = make.user("officer", HOME)
    mine, theirs = make.user("officer", world.mine.code), make.user("officer", world.theirs.code)
    mine_viewer = make.user("viewer", world.mine.code)
    event = db.session.get(Event, world.event_id)
    hall_only = _person("Lê Thị Hà")  # no commune recorded: A's by A's hall

    update_lead(event, world.my_lead, province, {"assignee_id": mine.id})
    update_lead(event, hall_only, province, {"assignee_id": mine.id})
    update_lead(event, world.their_lead, province, {"assignee_id": theirs.id})
    db.session.commit()
    assert _holder(world, world.my_lead) == mine.id
    assert _holder(world, hall_only) == mine.id
    assert _holder(world, world.their_lead) == theirs.id
    for person, other in ((world.my_lead, theirs), (world.their_lead, mine),
                          (world.my_lead, mine_viewer)):  # fmt: skip
        with pytest.raises(NotAssignable) as caught, force_locale("vi"):  # a page's language
            update_lead(event, person, province, {"assignee_id": other.id})
        assert caught.value.message == REFUSED_USER
    db.session.rollback()
    # The commune's officer works it as theirs, and keeps it within the commune.
    update_lead(event, world.my_lead, mine, {"status": "call_back", "next_call_on": "31/12/2099"})
    db.session.commit()
    assert _holder(world, world.my_lead) == mine.id


def _api(user: User) -> dict[str, str]:
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_leads_api_refuses_another_communes_officer(client: FlaskClient, make: Factory) -> None:
    world = part_world(make)
    province = make.user("officer", HOME)
    mine, theirs = make.user("officer", world.mine.code), make.user("officer", world.theirs.code)
    listed = client.get(f"/api/v1/events/{world.event_id}/leads", headers=_api(province))
    body = listed.get_json()
    assert body["lead_communes"][str(world.my_lead)] == [world.mine.id]
    groups = {g["commune_id"]: {a["id"] for a in g["assignees"]} for g in body["commune_assignees"]}
    assert groups == {world.mine.id: {mine.id}, world.theirs.id: {theirs.id}}
    assert province.id in {a["id"] for a in body["assignees"]}
    url = f"/api/v1/events/{world.event_id}/leads/{world.my_lead}"
    refused = client.patch(url, json={"assignee_id": theirs.id}, headers=_api(province))
    assert refused.status_code == 422
    english = (  # the API speaks English to scripts (app.errors); the page's editor has its words
        "This lead cannot go to that user: choose one of the officers listed (a commune gives its "
        "leads to its own officers alone)."
    )
    assert refused.get_json()["errors"] == {"json": {"assignee_id": [english]}}
    assert _holder(world, world.my_lead) is None
    given = client.patch(url, json={"assignee_id": mine.id}, headers=_api(province))
    assert given.status_code == 200
    assert given.get_json()["assignee_id"] == mine.id
    assert _holder(world, world.my_lead) == mine.id


def _editor(html: str) -> str:
    editor = html[html.index('id="lead-editor"') :]
    found = re.search(r'<select name="assignee_id">(.*?)</select>', editor, re.S)
    assert found is not None
    return found[1]


def _row_button(html: str, name: str) -> str:
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(name)}(?:(?!</tr>).)*</tr>", html, re.S)
    assert row is not None, name
    button = re.search(r'<button type="button" class="lead-edit"[^>]*>', row[0])
    assert button is not None
    return button[0]


def test_the_province_page_groups_the_communes_officers_and_the_commune_sees_its_lead(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    province = make.user("officer", HOME)
    mine, theirs = make.user("officer", world.mine.code), make.user("officer", world.theirs.code)
    login(client, province.email)
    page = f"/events/{world.event_id}/follow-up"
    html = client.get(page).get_data(as_text=True)
    menu = _editor(html)
    groups = dict(re.findall(r'<optgroup label="([^"]+)"[^>]*>(.*?)</optgroup>', menu, re.S))
    a_label = f"Cán bộ {world.mine.name[0].lower()}{world.mine.name[1:]}"  # "Cán bộ phường …"
    b_label = f"Cán bộ {world.theirs.name[0].lower()}{world.theirs.name[1:]}"
    assert f'value="{mine.id}"' in groups[a_label]
    assert f'value="{theirs.id}"' in groups[b_label]
    assert f'value="{mine.id}"' not in groups[b_label]
    organisers = next(v for k, v in groups.items() if k.startswith("Cán bộ đơn vị tổ chức"))
    assert f'value="{province.id}"' in organisers
    assert f'data-commune="{world.mine.id}"' in menu
    assert f'data-communes="{world.mine.id}"' in _row_button(html, "Đinh Văn Ánh")
    assert f'data-communes="{world.theirs.id}"' in _row_button(html, "Võ Văn Bảy")
    assert 'data-communes=""' in _row_button(html, "Khách Lạ")  # nobody's commune yet

    headers = {"X-CSRFToken": csrf_token(client, page)}
    saved = client.patch(f"/api/v1/events/{world.event_id}/leads/{world.my_lead}",
                         json={"assignee_id": mine.id}, headers=headers)  # fmt: skip
    assert saved.status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})
    login(client, mine.email)
    theirs_page = client.get(page).get_data(as_text=True)
    button = _row_button(theirs_page, "Đinh Văn Ánh")
    assert f'data-assignee="{mine.id}"' in button
    assert f'<span class="lead-assignee">{mine.email}</span>' in theirs_page  # named as theirs
    mine_only = client.get(f"{page}?assignee={mine.id}").get_data(as_text=True)
    assert "Đinh Văn Ánh" in mine_only
    assert "Nguyễn Thị An" not in mine_only.split('id="enrolled-after"')[0]


def test_status_labels_follow_the_interface_language(client: FlaskClient, make: Factory) -> None:
    world = part_world(make)
    officer = make.user("officer", HOME)
    login(client, officer.email)
    page = f"/events/{world.event_id}/follow-up"
    headers = {"X-CSRFToken": csrf_token(client, page)}
    url = f"/api/v1/events/{world.event_id}/leads"
    vi = client.patch(f"{url}/{world.my_lead}", json={"status": "enrolled"}, headers=headers)
    assert vi.status_code == 200
    assert (vi.get_json()["status"], vi.get_json()["status_label"]) == ("enrolled", "Đã đăng ký")
    listed = client.get(url, headers=headers).get_json()
    assert {s["value"]: s["label"] for s in listed["statuses"]}["wrong_number"] == (
        "Sai số điện thoại"
    )
    assert client.post("/language/en", data={"csrf_token": csrf_token(client, page)}).status_code
    en = client.patch(f"{url}/{world.my_lead}", json={"status": "called"}, headers=headers)
    assert en.get_json()["status_label"] == "Called"
    # A script's token: the account's language (the choice was saved to it), else Vietnamese.
    script = client.application.test_client()
    token = _api(officer)
    assert script.get(url, headers=token).get_json()["leads"][0]["status_label"] == "Called"
    db.session.get(User, officer.id).locale = None
    db.session.commit()
    assert script.get(url, headers=token).get_json()["leads"][0]["status_label"] == "Đã gọi"


def test_wrong_number_reads_as_a_wrong_phone_number(app: object) -> None:
    with force_locale("vi"):
        assert status_label(LeadStatus.WRONG_NUMBER) == "Sai số điện thoại"
    with force_locale("en"):
        assert status_label(LeadStatus.WRONG_NUMBER) == "Wrong number"
    for typed in ("Sai số điện thoại", "sai so dien thoai", "sai số", "wrong_number"):
        assert parse_status(typed) == LeadStatus.WRONG_NUMBER, typed


def namesake(world: World, *, twin: bool = True) -> None:
    """A second person named like A's enrolled one, on the call list (born 1990, no hamlet, no
    phone), and the enrolled one's birth year and hamlet recorded."""
    enrolled_one = db.session.get(Person, _person(MY_ENROLLED))
    assert enrolled_one is not None
    enrolled_one.birth_year, enrolled_one.hamlet = 1968, "Xóm 3"
    if not twin:
        return
    other = Person(full_name=MY_ENROLLED, name_folded=fold(MY_ENROLLED), birth_year=1990,
                   commune_id=world.mine.id, consent_agreed=True, consent_at=MET,
                   consent_version=CURRENT)  # fmt: skip
    db.session.add(other)
    db.session.flush()
    db.session.add(Attendance(person_id=other.id, event_id=world.event_id, source="sheet",
                              touched_at=MET))  # fmt: skip


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_the_enrolled_rows_carry_birth_year_and_hamlet(client: FlaskClient, make: Factory) -> None:
    world = part_world(make)
    namesake(world)
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{world.event_id}/follow-up").get_data(as_text=True)
    enrolled = _table(html, "enrolled-table")
    assert "Năm sinh" in enrolled
    assert "Xã/phường, thôn/xóm" in enrolled
    row = re.search(rf"<tr>(?:(?!</tr>).)*{MY_ENROLLED}(?:(?!</tr>).)*</tr>", enrolled, re.S)
    assert row is not None
    assert ">1968<" in row[0]
    assert "<small>Xóm 3</small>" in row[0]
    theirs = re.search(rf"<tr>(?:(?!</tr>).)*{THEIR_ENROLLED}(?:(?!</tr>).)*</tr>", enrolled, re.S)
    assert theirs is not None
    assert 'class="enrolled-born" data-label="Năm sinh">—<' in theirs[0]  # no birth year known
    calls = _table(html, "no-phone-table")  # the namesake, still to reach (no number)
    assert MY_ENROLLED in calls
    assert "sinh năm 1990" in calls
    book = load_workbook(io.BytesIO(client.get(f"/events/{world.event_id}/follow-up.xlsx").data))
    sheet = book["Đã đăng ký sau sự kiện"]
    assert [c.value for c in sheet[3]][:4] == ["Họ và tên", "Năm sinh", "Xã/phường", "Thôn/xóm"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[MY_ENROLLED][1:4] == (1968, world.mine.name, "Xóm 3")
    assert rows[THEIR_ENROLLED][1] is None


def refusing(world: World, name: str, **kw: object) -> None:
    row = Person(full_name=name, name_folded=fold(name), commune_id=world.mine.id, **kw)
    db.session.add(row)
    db.session.flush()
    db.session.add(Attendance(person_id=row.id, event_id=world.event_id, source="sheet",
                              touched_at=MET))  # fmt: skip


def test_the_page_accounts_for_everyone_named(client: FlaskClient, make: Factory) -> None:
    world = part_world(make)
    refusing(world, "Ngô Văn Từ", consent_agreed=False, consent_at=MET, consent_version=CURRENT)
    refusing(world, "Mai Thị Rút", consent_agreed=True, consent_at=MET, consent_version=CURRENT,
              consent_withdrawn_at=MET)  # fmt: skip
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    page = f"/events/{world.event_id}/follow-up"
    html = client.get(page).get_data(as_text=True)
    line = re.search(r'id="call-accounting">([^<]*)<', html)
    assert line is not None
    assert line[1] == (
        "Được ghi tên: 9 = 5 cần gọi + 0 chưa có số điện thoại + 2 đã đăng ký sau sự kiện + 2 "
        "không thuộc danh sách nào (1 không đồng ý liên hệ; 1 đã rút lại đồng ý hoặc đã xóa dữ "
        "liệu). Danh sách còn có 1 người bình luận chưa được ghi tên."
    )
    # The line reads the page's own lists: the head's counts agree (5 named + Khách Lạ to call).
    assert "Cần gọi, có số điện thoại: 6" in html or "6" in html.split('class="call-counts"')[1]
    # A filter narrows the tables, not the account of the event's people.
    filtered = client.get(f"{page}?status=called").get_data(as_text=True)
    assert re.search(r'id="call-accounting">([^<]*)<', filtered)[1] == line[1]  # type: ignore[index]
    # The commune's officer: their people alone (An, Hà, Ánh, the enrolled one, the two refusing).
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})
    login(client, make.user("officer", world.mine.code).email)
    part = client.get(page).get_data(as_text=True)
    mine = re.search(r'id="call-accounting">([^<]*)<', part)
    assert mine is not None
    assert mine[1].startswith("Được ghi tên: 6 = 3 cần gọi + 0 chưa có số điện thoại + 1 đã đăng")
    assert "chưa được ghi tên" not in mine[1]


def test_a_communes_excel_is_named_for_the_commune(client: FlaskClient, make: Factory) -> None:
    world = part_world(make)
    login(client, make.user("officer", world.mine.code).email)
    answer = client.get(f"/events/{world.event_id}/follow-up.xlsx")
    assert answer.status_code == 200
    disposition = answer.headers["Content-Disposition"]
    assert (
        f'filename="lien-he-{unit_slug(world.mine)}-su-kien-{world.event_id}-2026-03-10.xlsx"'
        in (disposition)
    )
    # Not the province's name for the whole list (the commune's own name may carry its
    # province's after it, when another unit shares its name: unit_slug).
    assert 'filename="lien-he-nghe-an-su-kien' not in disposition
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, make.user("officer", HOME).email)
    whole = client.get(f"/events/{world.event_id}/follow-up.xlsx").headers["Content-Disposition"]
    assert f'filename="lien-he-nghe-an-su-kien-{world.event_id}-2026-03-10.xlsx"' in whole


def test_an_enrolment_before_the_event_is_said_in_a_managers_words(
    client: FlaskClient, make: Factory
) -> None:
    """One of the enrolled paid before the conference: not credited to it, and the line says why
    in words a manager reads (before the event or past the follow-up period, a renewal, another
    scheme: which one is not known without counting again)."""
    world = part_world(make)
    link = db.session.scalars(select(Link).where(Link.person_id == _person(MY_ENROLLED))).one()
    enrolment = db.session.get(Enrolment, link.enrolment_id)
    assert enrolment is not None
    enrolment.paid_on = MET.date() - timedelta(days=30)
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{world.event_id}/follow-up").get_data(as_text=True)
    line = re.search(r'id="call-accounting">([^<]*)<', html)
    assert line is not None
    assert "1 đã đăng ký sau sự kiện" in line[1]  # the other one
    assert (
        "1 đã đăng ký nhưng không được tính cho sự kiện này vì đăng ký trước sự kiện hoặc quá "
        "thời hạn theo dõi, là gia hạn chứ không phải đăng ký mới, hoặc thuộc loại hình chiến "
        "dịch không vận động"
    ) in line[1]
    assert "ngoài thời hạn hoặc loại hình" not in html
