"""Attendee-sheet import on both databases: preview writes nothing, a bad row refuses the whole
file unless the valid rows are explicitly chosen, duplicates are named, the same file twice
writes nothing, rows land in their commune's hall; the CLI and the organiser page around it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance.cli import attendance
from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls.services import communes_of, set_bridge_points
from app.models import Attendance, ImportBatch, Person
from app.sheets.issues import FileRejected
from tests.app.halls.test_checkin_sheet import post_big
from tests.app.sheets.files import csv_text, xlsx
from tests.conftest import HOME, Factory, csrf_token

# Also on PostgreSQL: a file confirmed twice meets a unique index inside a SAVEPOINT.
pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HEADER = ["STT", "Họ và tên", "Năm sinh", "SĐT", "CCCD", "Thôn/Xóm", "Xã/Phường"]


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def conference(app: Flask, make: Factory):  # type: ignore[no-untyped-def]
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    communes = communes_of(event)[:2]
    set_bridge_points(event, [c.code for c in communes], {})
    db.session.commit()
    return event, communes


def sheet(communes, *extra_rows):  # type: ignore[no-untyped-def]
    first, second = communes
    rows = [
        HEADER,
        [1, "Nguyễn Thị Hoà", 1975, "0912345678", "040175001234", "Xóm 3", first.name],
        [2, "Trần Văn Nam", "17/05/1980", "", "", "Thôn Đông", f"xã {first.name.lower()}"],
        [3, "Lê Thị Mai", 1990, "0987654321", "", "Xóm Trại", second.code],
        *extra_rows,
    ]
    return xlsx(rows)


def test_preview_writes_nothing_and_commit_writes_every_row(conference) -> None:
    event, communes = conference
    preview = preview_attendees(event, sheet(communes), "ds.xlsx")
    assert preview.ok
    assert [r.commune.code for r in preview.rows] == [communes[0].code] * 2 + [communes[1].code]
    assert count(Person) == 0
    result = commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    assert (result.created, result.imported, result.left_out) == (True, 3, 0)
    people = {p.full_name: p for p in db.session.scalars(sa.select(Person))}
    assert people["Nguyễn Thị Hoà"].cccd == "040175001234"
    assert people["Trần Văn Nam"].birth_date == "1980-05-17"
    assert people["Lê Thị Mai"].phone == "+84987654321"
    touches = db.session.scalars(sa.select(Attendance)).all()
    assert {t.source for t in touches} == {"sheet"}
    halls = {t.person_id: t.bridge_point_id for t in touches}
    from app.halls.services import points_of

    by_unit = {p.org_unit_id: p.id for p in points_of(event)}
    assert halls[people["Lê Thị Mai"].id] == by_unit[communes[1].id]
    assert halls[people["Trần Văn Nam"].id] == by_unit[communes[0].id]
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert (batch.kind, batch.rows_ok, batch.event_id) == ("attendees", 3, event.id)


def test_the_same_file_twice_writes_nothing_the_second_time(conference) -> None:
    event, communes = conference
    data = sheet(communes)
    commit_attendees(preview_attendees(event, data, "ds.xlsx"), user=None, now=NOW)
    db.session.commit()
    again = preview_attendees(event, data, "copy of ds.xlsx")
    assert again.already is not None
    result = commit_attendees(again, user=None, now=NOW)
    db.session.commit()
    assert result.created is False
    assert (count(Person), count(ImportBatch)) == (3, 1)


def test_bad_rows_are_named_and_nothing_is_written(conference) -> None:
    event, communes = conference
    bad = [
        [4, "Phạm Văn Long", "31/02/70", "12345", "040070001", "Xóm 1", communes[0].code],
        [5, "", 1980, "", "", "", communes[0].code],
        [6, "Hồ Văn Tư", 1985, "", "", "", "Xã Không Có Thật"],
    ]
    preview = preview_attendees(event, sheet(communes, *bad), "ds.xlsx")
    named = {(i.row, i.field) for i in preview.issues}
    assert named == {(5, "birth"), (5, "phone"), (5, "cccd"), (6, "name"), (7, "commune")}
    with pytest.raises(FileRejected):
        commit_attendees(preview, user=None, now=NOW)
    db.session.rollback()
    assert (count(Person), count(ImportBatch)) == (0, 0)
    # Only on explicit request: the valid rows, with the others recorded in the batch report.
    result = commit_attendees(preview, user=None, now=NOW, only_valid=True)
    db.session.commit()
    assert (result.imported, result.left_out) == (3, 3)
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert batch.report["left_out_rows"] == [5, 6, 7]
    assert "12345" not in str(batch.report)  # cell values are personal data: not stored


def test_duplicates_within_the_file_are_reported(conference) -> None:
    event, communes = conference
    dupes = [
        [4, "NGUYỄN THỊ HOÀ", 1975, "", "", "", communes[0].code],  # same name and birth as row 2
        [5, "Khác Tên", 1960, "", "040175001234", "", communes[0].code],  # same CCCD as row 2
    ]
    preview = preview_attendees(event, sheet(communes, *dupes), "ds.xlsx")
    assert [(i.row, i.params.get("row")) for i in preview.issues] == [(5, 2), (6, 2)]


def test_a_province_sheet_without_commune_needs_one(conference) -> None:
    event, communes = conference
    rows = [HEADER[:-1], [1, "Nguyễn Văn A", 1975, "", "", "Xóm 1"]]
    with pytest.raises(FileRejected, match="commune"):
        preview_attendees(event, xlsx(rows), "ds.xlsx")
    preview = preview_attendees(event, xlsx(rows), "ds.xlsx", commune_code=communes[1].code)
    assert preview.ok
    assert preview.rows[0].commune.code == communes[1].code


def test_cli_rejects_reports_and_imports(app: Flask, conference, tmp_path) -> None:
    event, communes = conference
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(sheet(communes, [4, "X", "1/13/75", "", "", "", communes[0].code]))
    result = runner.invoke(attendance, ["import", str(bad), "--event", str(event.id)])
    assert result.exit_code == 1
    assert "row 5, birth" in result.output
    assert count(Person) == 0
    good = tmp_path / "good.csv"
    rows = [HEADER[:-1], [1, "Nguyễn Văn A", 1975, "", "", "Xóm 1"]]
    good.write_bytes(csv_text(rows, ";").encode("utf-8-sig"))
    args = ["import", str(good), "--event", str(event.id), "--commune", communes[0].code]
    dry = runner.invoke(attendance, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert count(Person) == 0
    done = runner.invoke(attendance, args)
    assert done.exit_code == 0, done.output
    assert "Imported 1 attendees" in done.output
    twice = runner.invoke(attendance, args)
    assert "Already imported" in twice.output
    assert count(Person) == 1
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused = runner.invoke(attendance, ["import", str(empty), "--event", str(event.id)])
    assert refused.exit_code == 1
    assert "The file is empty." in refused.output


def test_page_preview_survives_until_confirmed(client, logged_in, conference) -> None:
    event, communes = conference
    logged_in("officer", HOME)
    url = f"/events/{event.id}/attendance/import"
    token = csrf_token(client, url)
    bad_row = [4, "Phạm Văn Long", "1970", "12345", "", "", communes[0].code]
    data = {"csrf_token": token, "file": (io.BytesIO(sheet(communes, bad_row)), "ds.xlsx")}
    page = client.post(url, data=data, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Không phải số điện thoại Việt Nam." in html  # the issue, in Vietnamese
    assert count(Person) == 0
    stash_id = re.search(r'name="stash" value="([^"]+)"', html).group(1)
    # Confirming all rows is not offered; only the explicit "valid rows only" button is.
    assert 'name="only_valid"' in html
    assert ">Chỉ nhập 3 dòng hợp lệ</button>" in html
    refused = client.post(url, data={"csrf_token": token, "stash": stash_id})
    assert refused.status_code == 422
    assert count(Person) == 0
    done = client.post(url, data={"csrf_token": token, "stash": stash_id, "only_valid": "1"})
    assert done.status_code == 302
    assert count(Person) == 3
    gone = client.post(url, data={"csrf_token": token, "stash": stash_id, "only_valid": "1"})
    assert gone.status_code == 410  # used once, then deleted


def test_another_user_cannot_confirm_a_stash(client, logged_in, conference, make) -> None:
    from tests.conftest import login

    event, communes = conference
    logged_in("officer", HOME)
    url = f"/events/{event.id}/attendance/import"
    token = csrf_token(client, url)
    data = {"csrf_token": token, "file": (io.BytesIO(sheet(communes)), "ds.xlsx")}
    html = client.post(url, data=data, content_type="multipart/form-data").get_data(as_text=True)
    stash_id = re.search(r'name="stash" value="([^"]+)"', html).group(1)
    client.post("/logout", data={"csrf_token": token})
    login(client, make.user("officer", HOME).email)
    token = csrf_token(client, url)
    assert client.post(url, data={"csrf_token": token, "stash": stash_id}).status_code == 410
    assert count(Person) == 0


def test_page_refuses_a_50_mb_upload_in_words(client, logged_in, conference) -> None:
    event, _communes = conference
    logged_in("officer", HOME)
    url = f"/events/{event.id}/attendance/import"
    token = csrf_token(client, url)
    response = post_big(client, url, "file", {"csrf_token": token})
    assert response.status_code == 413
    assert "giới hạn là 20 MB" in response.get_data(as_text=True)
    assert count(ImportBatch) == 0


def test_the_event_page_links_to_the_import(client, logged_in, conference) -> None:
    event, _communes = conference
    logged_in("officer", HOME)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/attendance/import" in html


def test_the_event_page_shows_who_came_after_an_import_weeks_later(
    client, logged_in, conference
) -> None:
    """The import said "3 attendees imported from late.xlsx"; the event page showed nothing of
    them, only the follow-up list did."""
    event, communes = conference
    logged_in("officer", HOME)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Người dự có tên trong danh sách" not in html  # nobody yet: no empty section
    preview = preview_attendees(event, sheet(communes), "late.xlsx")
    commit_attendees(preview, user=None, now=NOW + timedelta(days=21))
    db.session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    facts = re.search(r'<dl class="facts attendees">(.*?)</dl>', html, re.S)
    assert facts
    assert "Người dự có tên trong danh sách</dt><dd>3 <small" in facts.group(1)
    assert "late.xlsx" in html
    row = re.search(r"<td>late\.xlsx</td><td>([^<]*)</td><td class=\"num\">(\d+)</td>", html)
    assert row
    assert row.group(2) == "3"


def test_one_valid_row_reads_right_in_english(client, logged_in, conference) -> None:
    """Not "Import only the 1 valid rows"."""
    event, communes = conference
    logged_in("officer", HOME)
    url = f"/events/{event.id}/attendance/import"
    client.post("/language/en", data={"csrf_token": csrf_token(client, url)})
    bad = [[n, "Phạm Văn Long", "1970", "12345", "", "", communes[0].code] for n in (2, 3)]
    rows = [HEADER, [1, "Nguyễn Thị Hoà", 1975, "", "", "", communes[0].name], *bad]
    data = {"csrf_token": csrf_token(client, url), "file": (io.BytesIO(xlsx(rows)), "ds.xlsx")}
    html = client.post(url, data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert ">Import only the 1 valid row</button>" in html


def test_named_attendees_are_not_read_as_the_head_count(client, logged_in, conference) -> None:
    """The page said "Số người đã dự 48" above "Số người có mặt 932/1.053": to an officer the same
    thing twice, with two numbers. The first counts people known by name, and says so."""
    event, communes = conference
    preview = preview_attendees(event, sheet(communes), "ds.xlsx")
    commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    logged_in("officer", HOME)
    url = f"/events/{event.id}"
    html = client.get(url).get_data(as_text=True)
    section = html[html.index("<h2>Người dự</h2>") : html.index("<h2>Cảnh báo</h2>")]
    assert "Số người đã dự" not in html
    assert "Người dự có tên trong danh sách</dt><dd>3 " in section
    hint = re.search(r'<p class="hint named-vs-present">(.*?)</p>', section, re.S)
    assert hint
    assert "“Số người có mặt” bên dưới" in hint.group(1)
    assert "Số người có mặt</dt><dd>0/" in html  # the head counts, under the halls
    client.post("/language/en", data={"csrf_token": csrf_token(client, url)})
    english = client.get(url).get_data(as_text=True)
    assert "People identified by name</dt><dd>3 " in english
    assert "is under “People present” below" in english
