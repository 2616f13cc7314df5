"""A commune officer imports their own hall's attendee sheet at the province's conference, weeks
after it (tests/app/events/provincial.py): the link has expired and no new one is issued, so the
event page points to the import. The rows land on their hall and their commune, dated at the
event; a row of another commune refuses the whole file; another commune's hall, an event where
they have no hall and the organiser's whole import stay out of reach. On both databases."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import Attendance, Event, EventStatus, ImportBatch, OrgUnit, Person
from tests.app.events.provincial import (
    SECRET,
    START,
    Provincial,
    communes,
    hall,
    provincial,
    stop_clock,
)
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory, csrf_token, login

pytestmark = pytest.mark.postgres

LATER = START + timedelta(weeks=3)  # the paper list reaches the commune office three weeks on
HEADER = ["STT", "Họ và tên", "Năm sinh", "SĐT", "Thôn/Xóm", "Đồng ý"]
ROWS = [
    [1, "Nguyễn Văn Bình", 1968, "0912 345 678", "Xóm 3", "Có"],
    [2, "Hồ Thị Thu", "12/04/1975", "", "Xóm Đông", "Có"],
    [3, "Đặng Văn Lực", 1982, "0987654321", "Xóm Trại", ""],
]


@pytest.fixture
def world(app, make: Factory, monkeypatch: pytest.MonkeyPatch) -> Provincial:
    world = provincial(make)
    event = db.session.get(Event, world.conference)
    event.status = EventStatus.ENDED
    event.actual_end = START + timedelta(hours=3)
    db.session.commit()
    stop_clock(monkeypatch, LATER)
    for module in ("app.attendance.routes", "app.attendance.sheet"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: LATER)
    return world


def unit(code: str) -> OrgUnit:
    return db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == code)).one()


def upload(client: FlaskClient, url: str, data: bytes, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, url)
    body = {"csrf_token": token, "file": (io.BytesIO(data), "ds-diem-cau.xlsx"), **form}
    return client.post(url, data=body, content_type="multipart/form-data"), token


def stash_of(html: str) -> str:
    found = re.search(r'name="stash" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def sheet_rows(event_id: int) -> list[tuple[str, int | None, int | None]]:
    stmt = (
        sa.select(Person.full_name, Person.commune_id, Attendance.bridge_point_id)
        .join(Attendance, Attendance.person_id == Person.id)
        .where(Attendance.event_id == event_id, Attendance.source == "sheet")
    )
    return [tuple(r) for r in db.session.execute(stmt)]


def test_the_event_page_points_to_the_import_once_the_link_is_gone(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, make.user("officer", world.mine).email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    name = unit(world.mine).name
    assert world.my_token not in html  # expired a day after the event
    assert "sự kiện đã kết thúc nên không cấp liên kết mới" in html
    assert "hãy đề nghị đơn vị tổ chức cấp liên kết mới" not in html
    button = re.search(r'<a class="button hall-import" href="([^"]+)">([^<]+)</a>', html)
    assert button is not None
    assert button.group(1) == f"/events/{world.conference}/attendance/import"
    assert button.group(2) == f"Nhập danh sách người tham dự của điểm cầu {name}"


def test_a_revoked_link_during_the_event_still_asks_for_a_new_one(
    client: FlaskClient, world: Provincial, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, START + timedelta(hours=1))
    hall(world.my_hall).checkin_revoked_at = START + timedelta(minutes=50)
    db.session.commit()
    login(client, make.user("officer", world.mine).email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert "hãy đề nghị đơn vị tổ chức cấp liên kết mới, hoặc nhập danh sách" in html
    assert 'class="button hall-import"' in html


def test_a_commune_officer_imports_their_halls_sheet_weeks_later(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, make.user("officer", world.mine).email)
    url = f"/events/{world.conference}/attendance/import"
    mine, theirs = unit(world.mine), unit(world.theirs)
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Nhập danh sách người tham dự của điểm cầu {mine.name}</h1>" in html
    assert 'name="commune"' not in html  # the hall's commune, no other to choose
    assert theirs.name not in html
    assert SECRET not in html
    # The commune field is theirs to post, but a hall's sheet is that hall's whatever it says.
    preview, token = upload(client, url, xlsx([HEADER, *ROWS]), commune=theirs.code)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Nhập 3 người dự</button>" in html
    assert sheet_rows(world.conference) == []  # a preview writes nothing
    done = client.post(url, data={"csrf_token": token, "stash": stash_of(html)})
    assert done.status_code == 302
    assert done.location.endswith(f"/events/{world.conference}")
    rows = sheet_rows(world.conference)
    assert sorted(r[0] for r in rows) == sorted(r[1] for r in ROWS)
    assert {(r[1], r[2]) for r in rows} == {(mine.id, world.my_hall)}
    touched = db.session.scalars(
        sa.select(Attendance.touched_at).where(
            Attendance.event_id == world.conference, Attendance.source == "sheet"
        )
    ).all()
    assert {t.replace(tzinfo=None) for t in touched} == {START.replace(tzinfo=None)}  # not LATER
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert batch.created_at.replace(tzinfo=None) == LATER.replace(tzinfo=None)
    assert batch.report["origin"] == f"page:hall:{world.my_hall}"
    event_page = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert "ds-diem-cau.xlsx" in event_page  # the flash: imported from that file
    assert "Hồ Thị Thu" in event_page
    assert "Người tham dự có tên trong danh sách: 4" in event_page  # and Nguyễn Thị Lan


def test_a_row_of_another_commune_refuses_the_whole_file(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, make.user("officer", world.mine).email)
    url = f"/events/{world.conference}/attendance/import"
    theirs = unit(world.theirs)
    header = [*HEADER, "Xã/Phường"]
    rows = [[*r, unit(world.mine).name] for r in ROWS]
    rows.append([4, "Vũ Thị Hạnh", 1979, "", "Xóm 9", "Có", theirs.name])
    preview, token = upload(client, url, xlsx([header, *rows]))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    mine = unit(world.mine).name
    assert f"Danh sách này thuộc điểm cầu {mine}, không phải xã/phường này." in html
    refused = client.post(url, data={"csrf_token": token, "stash": stash_of(html)})
    assert refused.status_code == 422
    assert sheet_rows(world.conference) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_another_communes_hall_and_the_whole_event_stay_out_of_reach(
    app: Flask, client: FlaskClient, world: Provincial, make: Factory
) -> None:
    officer = make.user("officer", world.mine)
    login(client, officer.email)
    data = xlsx([HEADER, *ROWS])
    before = sheet_rows(world.not_mine), sheet_rows(world.in_person)
    # Only the other commune has a hall there; attendees alone (no hall): nothing to import into.
    for event_id in (world.not_mine, world.in_person):
        url = f"/events/{event_id}/attendance/import"
        assert client.get(url).status_code == 404, event_id
        assert client.get(f"/events/{event_id}/attendance/import-template.xlsx").status_code == 404
        assert upload(client, url, data)[0].status_code == 404, event_id
    assert (sheet_rows(world.not_mine), sheet_rows(world.in_person)) == before
    # A viewer of the commune sees the hall but imports nothing.
    client = app.test_client()
    login(client, make.user("viewer", world.mine).email)
    url = f"/events/{world.conference}/attendance/import"
    assert client.get(url).status_code == 403
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert 'class="button hall-import"' not in html
    # The other commune's officer imports into their own hall, never into "mine".
    client = app.test_client()
    login(client, make.user("officer", world.theirs).email)
    preview, token = upload(client, url, data)
    client.post(url, data={"csrf_token": token, "stash": stash_of(preview.get_data(as_text=True))})
    assert {r[2] for r in sheet_rows(world.conference)} == {world.their_hall}


def test_the_template_names_their_commune_only(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    from openpyxl import load_workbook

    login(client, make.user("officer", world.mine).email)
    response = client.get(f"/events/{world.conference}/attendance/import-template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    cells = {c for ws in book for row in ws.iter_rows(values_only=True) for c in row if c}
    assert unit(world.mine).name in cells
    assert unit(world.theirs).name not in cells


def test_a_head_count_without_names_reads_true_beside_no_list(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    mine, _ = communes()
    event = make.event(
        HOME, title="Hội nghị sơ kết quý IV", channel="online_conference",
        status=EventStatus.ENDED, planned_start=START + timedelta(days=7),
        planned_end=START + timedelta(days=7, hours=2),
    )  # fmt: skip
    (point,) = services.set_bridge_points(event, [mine.code], {mine.code: 40},
                                          now=START)  # fmt: skip
    services.record_report(point, "so-luong-1", 35, [], START + timedelta(days=7, minutes=20))
    db.session.commit()
    login(client, make.user("officer", world.mine).email)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "<dt>Số người có mặt (điểm danh số lượng)</dt>" in html
    assert 'data-key="head_count">35<' in html
    assert "Người tham dự có tên trong danh sách: 0 — chưa nhập danh sách" in html


def test_the_printed_hall_cards_name_the_commune_without_its_code(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{world.conference}/bridge-points/print").get_data(as_text=True)
    mine = unit(world.mine)
    assert f"<h2>{mine.name}</h2>" in html
    assert "Mã xã/phường" not in html
    assert f">{mine.code}<" not in html
