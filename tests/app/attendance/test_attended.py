"""A sheet's visits are dated to when the people were there, never to the upload: by the sheet's
own date column (Vietnamese or English header; a day, a day and a time, or a time on the event's
day), else by the event's actual start, else by its planned start. A bad date is a problem of
its row, named by row and column, and so is a day outside the event's days. The follow-up
figures and the reports (from the sources or from their rollups) then count the enrolments paid
between the event and a late import."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance import attended
from app.attendance.cli import attendance
from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.followup.queries import event_follow_up
from app.halls.services import communes_of
from app.models import Attendance, Enrolment, ImportBatch, Link, LinkStatus, Person, Scheme
from app.reports.facts import ReportFilter
from app.reports.report import build_report
from app.reports.rollups import build, full_build, people_cells
from app.sheets.headers import CellError
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory, csrf_token

START = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
IMPORTED = START + timedelta(days=41)  # the sheet reached the office six weeks later


def excel(*args: int) -> datetime:
    """A date-formatted Excel cell as openpyxl reads it: a wall-clock time with no zone."""
    return datetime(*args, tzinfo=UTC).replace(tzinfo=None)


def vn(*args: int) -> datetime:
    """A Vietnam wall-clock time, in UTC."""
    return datetime(*args, tzinfo=attended.VN).astimezone(UTC)


@pytest.mark.parametrize(
    ("cell", "day", "clock"),
    [
        ("10/03/2026", date(2026, 3, 10), None),
        ("10-3-2026 14:30", date(2026, 3, 10), time(14, 30)),
        ("14h30 10/03/2026", date(2026, 3, 10), time(14, 30)),
        ("2026-03-11T09:15", date(2026, 3, 11), time(9, 15)),
        ("2026-03-11T02:15:00Z", date(2026, 3, 11), time(9, 15)),  # UTC → Vietnam time
        ("8h30", None, time(8, 30)),
        ("8 giờ 30 phút", None, time(8, 30)),
        ("46091", date(2026, 3, 10), None),  # a General-formatted date saved as CSV
        (46091.5, date(2026, 3, 10), time(12, 0)),
        (excel(2026, 3, 12, 0, 0), date(2026, 3, 12), None),  # a date-formatted cell
        (excel(2026, 3, 12, 7, 45), date(2026, 3, 12), time(7, 45)),
        (date(2026, 3, 12), date(2026, 3, 12), None),
        (time(7, 45), None, time(7, 45)),
    ],
)
def test_a_date_cell_is_read_as_written(cell: object, day: date | None, clock: time | None) -> None:
    assert attended.parse(cell) == attended.Written(day, clock)


@pytest.mark.parametrize("cell", ["31/02/2026", "ngày mai", "25:00", "1975", "17/05/1975", True])
def test_a_bad_date_is_refused(cell: object) -> None:
    with pytest.raises(CellError):
        attended.parse(cell)


def test_a_blank_date_cell_says_nothing() -> None:
    assert attended.parse(None) is None
    assert attended.parse("  ") is None


@pytest.fixture
def event(app: Flask, make: Factory):  # type: ignore[no-untyped-def]
    end = START + timedelta(days=1, hours=4)  # a two-day conference
    return make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=START,
                      planned_end=end)  # fmt: skip


def rows(event, header: str | None, *dates: object) -> bytes:  # type: ignore[no-untyped-def]
    """A sheet of one person per date (``header`` None: no date column, one person)."""
    code = communes_of(event)[0].code
    if header is None:
        return xlsx([["Họ và tên", "Năm sinh", "Xã/Phường"], ["Người 0", 1970, code]])
    body = [[f"Người {i}", 1970 + i, code, when] for i, when in enumerate(dates)]
    return xlsx([["Họ và tên", "Năm sinh", "Xã/Phường", header], *body])


def touches() -> dict[str, datetime]:
    stmt = sa.select(Person.full_name, Attendance.touched_at).join(
        Attendance, Attendance.person_id == Person.id
    )
    return dict(db.session.execute(stmt).all())


def imported(event, data: bytes, now: datetime = IMPORTED):  # type: ignore[no-untyped-def]
    preview = preview_attendees(event, data, "ds.xlsx")
    assert preview.issues == []
    commit_attendees(preview, user=None, now=now)
    db.session.commit()
    return touches()


@pytest.mark.parametrize("header", ["Ngày tham dự", "Thời gian điểm danh", "Date attended"])
def test_the_sheets_date_column_dates_each_visit(event, header: str) -> None:
    data = rows(
        event, header, "10/03/2026", "11/03/2026 14:30", excel(2026, 3, 11, 9, 15), "8h30", ""
    )
    assert imported(event, data) == {
        "Người 0": START,  # the day alone: the event's starting hour
        "Người 1": vn(2026, 3, 11, 14, 30),
        "Người 2": vn(2026, 3, 11, 9, 15),
        "Người 3": vn(2026, 3, 10, 8, 30),  # a time alone: on the event's day
        "Người 4": START,  # blank: the event's start
    }


def test_a_bad_date_is_a_problem_of_its_row(app: Flask, event, tmp_path) -> None:
    data = rows(event, "Ngày tham dự", "10/03/2026", "31/02/2026", "hôm qua")
    preview = preview_attendees(event, data, "ds.xlsx")
    assert {(i.row, i.field) for i in preview.issues} == {(3, "attended_at"), (4, "attended_at")}
    assert preview.issues[0].message == attended.BAD_DATE
    path = tmp_path / "ds.xlsx"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(
        attendance, ["import", str(path), "--event", str(event.id)]
    )
    assert result.exit_code == 1
    assert "row 3, attended_at: Write the date" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_a_day_outside_the_event_is_a_problem_of_its_row(event) -> None:
    data = rows(event, "Ngày tham dự", "09/03/2026", "10/03/2026", "11/03/2026 23:30",
                "12/03/2026 08:00", excel(2027, 3, 10, 0, 0), "8h30")  # fmt: skip
    preview = preview_attendees(event, data, "ds.xlsx")
    days = {"days": "10/03/2026 – 11/03/2026"}
    assert [(i.row, i.field, i.message, i.params, i.value) for i in preview.issues] == [
        (2, "attended_at", attended.NOT_ITS_DAY, days, "09/03/2026"),
        (5, "attended_at", attended.NOT_ITS_DAY, days, "12/03/2026 08:00"),
        (6, "attended_at", attended.NOT_ITS_DAY, days, "10/03/2027"),
    ]
    commit_attendees(preview, user=None, now=IMPORTED, only_valid=True)
    db.session.commit()
    assert touches() == {
        "Người 1": START,
        "Người 2": vn(2026, 3, 11, 23, 30),
        "Người 5": vn(2026, 3, 10, 8, 30),  # a time alone: on the event's first day
    }


def test_a_one_day_event_takes_its_day_only(make: Factory) -> None:
    start = vn(2026, 11, 17, 8, 0)  # the tour's conference: 17/11, 08:00-11:00
    one_day = make.event(HOME, title="Hội nghị", channel="online_conference",
                         planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    data = rows(one_day, "Ngày tham dự", "17/11/2026", "18/11/2026", "16/11/2026 23:59")
    preview = preview_attendees(one_day, data, "ds.xlsx")
    assert [(i.row, i.params) for i in preview.issues] == [
        (3, {"days": "17/11/2026"}),
        (4, {"days": "17/11/2026"}),
    ]
    one_day.actual_start = start + timedelta(days=1)  # held a day late: both days are its own
    one_day.actual_end = start + timedelta(days=1, hours=3)
    db.session.commit()
    preview = preview_attendees(one_day, data, "ds.xlsx")
    assert [(i.row, i.params) for i in preview.issues] == [(4, {"days": "17/11/2026 – 18/11/2026"})]


def test_without_the_column_the_event_dates_the_visits_not_the_upload(event) -> None:
    assert imported(event, rows(event, None)) == {"Người 0": START}  # the planned start
    event.actual_start = START + timedelta(minutes=20)
    db.session.commit()
    again = rows(event, "Ngày tham dự", "")  # the column, left blank
    assert imported(event, again)["Người 0"] == START + timedelta(minutes=20)  # actual start


def test_imported_before_the_event_the_visit_is_still_the_event(event) -> None:
    assert imported(event, rows(event, None), now=START - timedelta(days=7)) == {"Người 0": START}


def test_an_event_without_a_date_leaves_the_import_time(app: Flask, make: Factory) -> None:
    undated = make.event(HOME, title="Nhóm nhỏ", channel="small_group")
    data = rows(undated, "Giờ đến", "", "8h30")
    preview = preview_attendees(undated, data, "ds.xlsx")
    assert [(i.row, i.field, i.message) for i in preview.issues] == [
        (3, "attended_at", attended.NO_DAY)  # a time, and no day to put it on
    ]
    commit_attendees(preview, user=None, now=IMPORTED, only_valid=True)
    db.session.commit()
    assert touches() == {"Người 0": IMPORTED}


def _enrolled(person: Person, paid: date) -> None:
    batch = ImportBatch(kind="enrolments", filename="x.csv", sha256=f"{person.id:064d}",
                        created_at=IMPORTED)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    row = Enrolment(import_batch_id=batch.id, source_row=2, row_key=batch.sha256,
                    full_name=person.full_name, scheme=Scheme.BHXH_TU_NGUYEN, is_new=True,
                    paid_on=paid)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="cccd",
                        status=LinkStatus.LINKED, created_at=IMPORTED))  # fmt: skip


@pytest.mark.postgres  # the reports' and rollups' SQL is dialect-specific
@pytest.mark.parametrize("path", ["sources", "rollups"])
def test_a_late_sheet_counts_in_the_reports_and_their_rollups(
    app: Flask, make: Factory, path: str
) -> None:
    """Credit, conversion, the channel comparison, cost per enrolment and the month's people."""
    group = make.event(HOME, title="Nhóm nhỏ", channel="small_group", cost_vnd=1_000_000,
                       planned_start=START, planned_end=START + timedelta(hours=2))  # fmt: skip
    if path == "rollups":
        full_build.rebuild()
        db.session.commit()
    code = communes_of(group)[0].code
    sheet = xlsx([["Họ và tên", "Năm sinh", "Xã/Phường"], ["Người 0", 1970, code],
                  ["Người 1", 1971, code]])  # fmt: skip
    imported(group, sheet)  # six weeks after the meeting
    for person in db.session.scalars(sa.select(Person)):
        _enrolled(person, date(2026, 3, 20))  # paid ten days after the meeting
    db.session.commit()
    assert build.ready() == (path == "rollups")

    assert event_follow_up(group, 90).converted == 2
    province = group.org_unit
    report = build_report(ReportFilter(unit=province, start=date(2026, 3, 1),
                                       end=date(2026, 3, 31)))  # fmt: skip
    channel = {f.channel: f.as_dict() for f in report.by_channel()}["small_group"]
    assert (channel["enrolments"], channel["cost_per_enrolment"]) == (2, 500_000)
    assert [(m, f.as_dict()["identified"]) for m, f in report.by_month()] == [(date(2026, 3, 1), 2)]
    if path == "rollups":
        cells = people_cells.read([(province.id, "tree")], ["2026-03"], 0)
        assert cells[(province.id, "tree", "2026-03", "small_group")] == 2


def test_the_preview_page_shows_the_date_column(client, logged_in, event) -> None:
    logged_in("officer", HOME)
    url = f"/events/{event.id}/attendance/import"
    data = rows(event, "Thời gian", "11/03/2026 14:30", "30/02/2026", "18/03/2026")
    form = {"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), "ds.xlsx")}
    html = client.post(url, data=form, content_type="multipart/form-data").get_data(as_text=True)
    assert "<th>Ngày tham dự</th>" in html
    assert "11/03/2026 14:30" in html
    assert "Ghi ngày (10/03/2026) hoặc ngày và giờ (10/03/2026 08:30)." in html
    said = ("Không phải ngày diễn ra sự kiện (10/03/2026 – 11/03/2026): kiểm tra lại ngày, "
            "hoặc danh sách có đúng của sự kiện này không.")  # fmt: skip
    assert said in html
