"""Without JavaScript the check-in page still corrects or removes an entry of its "Vừa ghi"
(``app.halls.checkin_fix``): the list is written into the page, "Sửa" and "Xóa" are links that
open one entry's plain form with a CSRF token, and the post goes through the script's code path
(``entries.correct``): the same 12 hours, the same refusal once the person is followed up, the
same audit row, a resend answered once.

Plain form posts, as a phone without JavaScript sends them: each step follows the link or posts
the form the page before it rendered, with the fields it carried and the ones typed.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.consent import CURRENT
from app.extensions import db
from app.models import Attendance, AttendanceReport, AuditLog, LeadWork, Person
from tests.app.halls.checkin_posts import one_hall
from tests.conftest import Factory

pytestmark = [pytest.mark.postgres, pytest.mark.committing]

DUNG = {"name": "Hoàng Thị Dung", "birth": "17/05/1990", "phone": "0345 678 901",
        "hamlet": "Xóm 3", "consent": "Có"}  # fmt: skip
AN = {"name": "Nguyễn Văn An", "birth": "1970", "phone": "0912345611", "hamlet": "Xóm 1"}


def page_of(client: FlaskClient, make: Factory) -> tuple[str, int]:
    """The hall's link, its event, and two entries sent by another phone."""
    event, point = one_hall(make)
    body = {"idempotency_key": "report-0001", "head_count": 20, "attendees": [DUNG, AN],
            "consent_version": CURRENT}  # fmt: skip
    assert client.post(f"/checkin/{point.checkin_token}", json=body).status_code == 201
    return f"/checkin/{point.checkin_token}", event.id


def link(page: str, text: str, name: str) -> str:
    """The href of the link reading ``text`` on the line of ``name``."""
    line = re.search(rf"<li data-ref=[^>]*><span class=\"entry\">{name}.*?</li>", page, re.S)
    assert line, f"{name} is not listed"
    found = re.search(rf'href="([^"]+)">{text}</a>', line.group(0))
    assert found, f"no {text} on the line of {name}"
    return html.unescape(found.group(1)).split("#")[0]


def fix_form(page: str) -> tuple[str, dict[str, str]]:
    """The open entry's form: where it posts, and the fields it carries."""
    form = re.search(r'<form method="post" action="([^"]+)" class="fix".*?</form>', page, re.S)
    assert form, "no entry form open"
    fields = dict(re.findall(r'<input[^>]*name="(\w+)" value="([^"]*)"', form.group(0)))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    return html.unescape(form.group(1)).split("#")[0], fields


def refusal(page: str) -> str:
    """What the page says above "Vừa ghi" of a refused correction."""
    found = re.search(r'<p class="err" id="fix-refused" role="alert">([^<]*)</p>', page)
    assert found, "no refusal above the list"
    return html.unescape(found.group(1))


def person(name: str) -> Person | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Person).filter_by(full_name=name))


def audited() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditLog.action)
                                   .where(AuditLog.object_type == "checkin_entry")))  # fmt: skip


def test_an_entry_is_corrected_once_and_another_removed_without_script(
    client: FlaskClient, make: Factory
) -> None:
    path, _event = page_of(client, make)
    page = client.get(path).get_data(as_text=True)
    assert 'id="recent" hidden' not in page
    assert "Hoàng Thị Dung · 1990 · 03xx xxx 901 · Xóm 3" in page  # masked: anyone with the link
    opened = client.get(link(page, "Sửa", "Hoàng Thị Dung")).get_data(as_text=True)
    action, fields = fix_form(opened)
    assert action == f"{path}/fix"
    assert fields["csrf_token"]
    assert fields["action"] == "edit"
    assert fields["ref"] == "report-0001:1"
    assert fields["name"] == "Hoàng Thị Dung"
    assert fields["birth"] == "1990"
    assert fields["phone"] == ""  # blank keeps the stored one; the mask is said under it
    # Said under the box, whole: a placeholder is cut on a 390 px phone and goes when typing.
    assert 'id="fix-phone-hint">03xx xxx 901 — để trống thì giữ nguyên</p>' in opened
    assert "placeholder" not in opened.split('id="recent"')[1]
    # the keyboards of the blank form's boxes: digits for a phone number and a CCCD
    assert 'name="phone" value="" autocomplete="off" inputmode="tel"' in opened
    assert 'name="cccd" value="" autocomplete="off" inputmode="numeric"' in opened

    # Post/Redirect/Get: the answer is a redirect to the page, which says it once, so a reload
    # asks for the page again instead of posting the form a second time.
    posted = client.post(action, data={**fields, "phone": "0345 678 910"})
    assert posted.status_code == 303
    assert posted.headers["Location"] == f"{path}#recent"
    fixed = client.get(path)
    assert '<p class="ok" id="fixed" role="status">Đã sửa.</p>' in fixed.get_data(as_text=True)
    assert 'id="fixed"' not in client.get(path).get_data(as_text=True)  # a reload: said once
    dung = person("Hoàng Thị Dung")
    assert dung is not None
    assert dung.phone == "+84345678910"
    assert dung.birth_precision == "day"  # "1990" as shown: the full date stays
    again = client.post(action, data={**fields, "phone": "0345 678 910"}, follow_redirects=True)
    assert "Đã nhận trước đó — không sửa hai lần." in again.get_data(as_text=True)  # a resend
    assert audited() == ["checkin.entry_edit"]

    page = fixed.get_data(as_text=True)
    asked = client.get(link(page, "Xóa", "Nguyễn Văn An")).get_data(as_text=True)
    assert "Xóa Nguyễn Văn An khỏi danh sách của điểm cầu?" in asked
    action, fields = fix_form(asked)
    removed = client.post(action, data=fields, follow_redirects=True).get_data(as_text=True)
    assert "Đã xóa." in removed
    assert person("Nguyễn Văn An") is None
    assert "Nguyễn Văn An" not in removed
    assert db.session.scalar(sa.select(AttendanceReport.attendees)) == 1
    assert sorted(audited()) == ["checkin.entry_edit", "checkin.entry_withdraw"]


def test_refused_without_its_token_when_wrong_old_or_followed_up(
    client: FlaskClient, make: Factory
) -> None:
    path, event_id = page_of(client, make)
    opened = client.get(f"{path}?edit=report-0001:1").get_data(as_text=True)
    action, fields = fix_form(opened)

    forged = client.post(action, data={**fields, "csrf_token": "", "name": "Ai đó"})
    assert forged.status_code == 400
    assert "Biểu mẫu đã hết hạn" in forged.get_data(as_text=True)
    gone = client.post(action, data={**fields, "csrf_token": "", "ref": "report-0001:9"})
    assert gone.status_code == 400  # no entry of that name: said above the list
    assert 'id="fix-refused" role="alert">Biểu mẫu đã hết hạn' in gone.get_data(as_text=True)

    bad = client.post(action, data={**fields, "phone": "12"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'value="12"' in text
    assert 'aria-invalid="true"' in text
    assert 'aria-invalid="true"><p class="err field-error">Không phải số điện thoại' in text

    dung = person("Hoàng Thị Dung")
    assert dung is not None
    db.session.add(LeadWork(event_id=event_id, person_id=dung.id, status="called"))
    db.session.commit()
    worked = client.post(action, data={**fields, "name": "Hoàng Thị Dung B"})
    assert worked.status_code == 409
    said = refusal(worked.get_data(as_text=True))
    assert said.startswith(f"Chỗ sửa cho Hoàng Thị Dung (ghi lúc {fields['entered']}) không")
    assert "đã được chuyển cho cán bộ liên hệ" in said

    _action, an = fix_form(client.get(f"{path}?withdraw=report-0001:2").get_data(as_text=True))
    for touch in db.session.scalars(sa.select(Attendance)):
        touch.touched_at -= timedelta(hours=13)
    db.session.commit()
    old = client.post(action, data=an)
    assert old.status_code == 409
    said = refusal(old.get_data(as_text=True))  # past the list's 12 hours: named all the same
    assert re.match(r"Lệnh xóa Nguyễn Văn An \(ghi lúc \d\d:\d\d\) không được nhận: ", said)
    assert "12 giờ" in said
    assert person("Nguyễn Văn An") is not None
    assert person("Hoàng Thị Dung") is not None
    assert audited() == []


def test_a_removal_whose_entry_went_meanwhile_names_it(client: FlaskClient, make: Factory) -> None:
    """Another phone removed the entry while this form was open: the refusal says whom it was
    about as the form showed it, the entry being gone."""
    path, _event = page_of(client, make)
    action, fields = fix_form(client.get(f"{path}?withdraw=report-0001:2").get_data(as_text=True))
    assert fields["who"] == "Nguyễn Văn An"
    other = {"idempotency_key": "other-phone-1", "action": "withdraw", "ref": "report-0001:2"}
    assert client.post(f"{path}/entries", json=other).status_code == 201
    gone = client.post(action, data=fields)
    assert gone.status_code == 404
    said = refusal(gone.get_data(as_text=True))
    assert said.startswith(f"Lệnh xóa Nguyễn Văn An (ghi lúc {fields['entered']}) không được nhận:")
