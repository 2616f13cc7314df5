"""Attendee sheets written with the communes of before the 1 July 2025 reform.

The seed's province conference (932 people, 39 communes) with every row's Xã/Phường written the
old way — with district and province, by name only, by legacy code, without accents, abbreviated —
imports whole, each person in the 2025 commune (and hall) the official conversion gives. An old
commune divided between several of today's communes is never guessed: the preview lists it with
its candidates, and the user's answer places its rows on confirmation (page and CLI).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance.cli import attendance
from app.attendance.places import OLD_OTHER_COMMUNE
from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls.services import communes_of, points_of, set_bridge_points
from app.identity.text import fold
from app.models import Attendance, Event, OrgUnit, Person
from app.orgunits import load_units, read_package_units
from app.sheets.issues import FileRejected
from tests.app.attendance.legacy_nghe_an import LEGACY
from tests.app.followup import seed_case
from tests.app.sheets.files import csv_text
from tests.conftest import HOME, Factory, csrf_token

# Also on PostgreSQL: the seed sheet's 932 rows go through the real import.
pytestmark = pytest.mark.postgres

START = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)
HA_TINH = "42"
DAI_NAI = "Phường Đại Nài, thành phố Hà Tĩnh, tỉnh Hà Tĩnh"  # → Thành Sen or Hà Huy Tập
KY_LOI = "Xã Kỳ Lợi, thị xã Kỳ Anh, tỉnh Hà Tĩnh"  # → Sông Trí, Vũng Áng or Hoành Sơn
HEADER = ["Họ và tên", "Năm sinh", "Số điện thoại", "Xã/Phường"]
WARD_SHORT = {"Xã ": "X. ", "Phường ": "P. ", "Thị trấn ": "TT. "}
DISTRICT_SHORT = {"Huyện ": "H. ", "Thành phố ": "TP. ", "Thị xã ": "TX. "}


def _abbreviated(text: str, table: dict[str, str]) -> str:
    for word, short in table.items():
        if text.startswith(word):
            return short + text[len(word) :]
    return text


# Old communes of one district whose names differ only by their tones (Châu Bính and Châu Bình,
# Nậm Cắn and Nậm Càn): typed without accents nobody can tell them apart, so those keep theirs.
TWINS = {
    key
    for key, n in Counter(fold(f"{w}, {d}") for olds in LEGACY.values() for _, w, d in olds).items()
    if n > 1
}


def legacy_address(new_code: str, i: int) -> str:
    """Row ``i`` of commune ``new_code`` as people write it: one of its old communes, five ways."""
    olds = LEGACY[new_code]
    code, ward, district = olds[i % len(olds)]
    district_lower = district[0].lower() + district[1:]  # "huyện Yên Thành", "thành phố Vinh"
    plain = fold(f"{ward}, {district}")
    return [
        f"{ward}, {district_lower}, tỉnh Nghệ An",  # "Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An"
        ward,  # the name only
        code,  # the legacy code
        f"{ward}, {district}" if plain in TWINS else f"{plain}, nghe an",  # without accents
        f"{_abbreviated(ward, WARD_SHORT)} - {_abbreviated(district, DISTRICT_SHORT)}",
    ][i % 5]


def province_conference(make: Factory) -> tuple[Event, dict[str, OrgUnit]]:
    """The seed article's conference: the province's first 39 communes, each a bridge point."""
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện", channel="online_conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    communes = {u.code: u for u in sorted(communes_of(event), key=lambda u: u.code)[:39]}
    assert set(communes) == set(LEGACY)
    set_bridge_points(event, list(communes), {})
    db.session.commit()
    return event, communes


def legacy_sheet(case: seed_case.SeedCase) -> tuple[bytes, dict[int, str]]:
    """The seed's attendee sheet with its Xã/Phường column rewritten the pre-2025 way; and each
    row's true 2025 commune, by the row number the user sees."""
    rows = list(csv.reader(io.StringIO(case.sheet.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    column = header.index("Xã/Phường")
    truth: dict[int, str] = {}
    per_commune: dict[str, int] = {}
    for number, (row, human) in enumerate(zip(body, case.attendees, strict=True), start=2):
        assert row[column] == human.commune
        i = per_commune[human.commune] = per_commune.get(human.commune, -1) + 1
        row[column] = legacy_address(human.commune, i)
        truth[number] = human.commune
    return csv_text([header, *body], ",").encode("utf-8-sig"), truth


def test_a_province_sheet_written_before_the_reform_imports_whole(make: Factory) -> None:
    event, communes = province_conference(make)
    case = seed_case.build({code: unit.name for code, unit in communes.items()})
    data, truth = legacy_sheet(case)

    preview = preview_attendees(event, data, "danh-sach-hoi-nghi-tinh.csv")
    assert [i.line() for i in preview.issues] == []
    assert len(preview.rows) == len(preview.valid) == seed_case.ATTENDEES
    assert preview.choices == []
    assert {r.number: r.commune.code for r in preview.rows} == truth
    result = commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    assert (result.imported, result.left_out) == (seed_case.ATTENDEES, 0)
    halls = {p.id: p.org_unit.code for p in points_of(event)}
    stored = db.session.execute(
        sa.select(Attendance.source_ref, OrgUnit.code, Attendance.bridge_point_id)
        .join(Person, Person.id == Attendance.person_id)
        .join(OrgUnit, OrgUnit.id == Person.commune_id)
    ).all()
    by_row = {int(ref.rsplit(":", 1)[1]): (code, halls[point]) for ref, code, point in stored}
    assert by_row == {number: (code, code) for number, code in truth.items()}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An", "17605"),  # the issue's own example
        ("Xã Châu Bính, huyện Quỳ Châu", "16792"),  # accents tell it from Châu Bình (16804)
        ("Xã Châu Bình", "16804"),
        ("Thị trấn Kim Sơn", "16738"),
        ("TT Kim Sơn, H. Quế Phong", "16738"),
        ("16741", "16744"),  # old Xã Thông Thụ's code
        ("xa xa luong, huyen tuong duong", "16876"),  # Xá Lượng, typed plain
    ],
)
def test_one_old_commune_written_any_way(make: Factory, written: str, code: str) -> None:
    event = make.event(HOME, title="Hội nghị", channel="conference", planned_start=START)
    rows = [HEADER, ["Nguyễn Văn An", 1975, "", written]]
    preview = preview_attendees(event, csv_text(rows, ",").encode(), "ds.csv")
    assert preview.ok, [i.line() for i in preview.issues]
    assert preview.rows[0].commune.code == code


# --- an old commune divided in 2025: the user chooses --------------------------------------------


@pytest.fixture
def ha_tinh(make: Factory) -> Event:
    """A conference of Hà Tĩnh, whose old Phường Đại Nài and Xã Kỳ Lợi were divided in 2025."""
    load_units(db.session, read_package_units([HA_TINH]), "test")
    event = make.event(HA_TINH, title="Hội nghị trực tuyến Hà Tĩnh", channel="online_conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    set_bridge_points(event, "all", {})
    db.session.commit()
    return event


def split_sheet() -> bytes:
    rows = [
        HEADER,
        ["Nguyễn Văn An", 1975, "0912345678", DAI_NAI],
        ["Trần Thị Bình", 1980, "", KY_LOI],
        ["Lê Văn Cường", 1990, "", "Phường Đại Nài, TP Hà Tĩnh"],  # the same commune, written short
        ["Phạm Thị Dung", 1985, "", "Phường Nam Hà, thành phố Hà Tĩnh"],  # not divided
    ]
    return csv_text(rows, ",").encode()


def communes_of_people() -> dict[str, str]:
    return dict(
        db.session.execute(
            sa.select(Person.full_name, OrgUnit.code).join(OrgUnit, OrgUnit.id == Person.commune_id)
        ).all()
    )


def test_a_divided_commune_is_a_choice_never_a_guess(ha_tinh: Event) -> None:
    preview = preview_attendees(ha_tinh, split_sheet(), "ds.csv")
    choices = {c.written: c for c in preview.choices}
    assert set(choices) == {DAI_NAI, KY_LOI, "Phường Đại Nài, TP Hà Tĩnh"}
    dai_nai = choices[DAI_NAI]
    assert {u.code for u in dai_nai.candidates} == {"18073", "18652"}
    assert {u.name for u in dai_nai.candidates} == {"Phường Thành Sen", "Phường Hà Huy Tập"}
    assert {u.code for u in choices[KY_LOI].candidates} == {"18754", "18823", "18832"}
    assert dai_nai.rows == [2]  # written otherwise ("…, TP Hà Tĩnh"): a choice of its own
    assert {i.row for i in preview.issues} == {2, 3, 4}
    assert preview.only_choices
    assert preview.importable == 4
    assert [r.row is not None for r in preview.rows] == [False, False, False, True]
    with pytest.raises(FileRejected):
        commit_attendees(preview, user=None, now=NOW)
    assert communes_of_people() == {}

    short = choices["Phường Đại Nài, TP Hà Tĩnh"]
    answers = {dai_nai.key: "18652", choices[KY_LOI].key: "18823", short.key: "18073"}
    chosen = preview_attendees(ha_tinh, split_sheet(), "ds.csv", choices=answers)
    assert chosen.ok, [i.line() for i in chosen.issues]
    commit_attendees(chosen, user=None, now=NOW)
    db.session.commit()
    assert communes_of_people() == {
        "Nguyễn Văn An": "18652",
        "Trần Thị Bình": "18823",
        "Lê Văn Cường": "18073",
        "Phạm Thị Dung": "18073",  # Nam Hà became part of Thành Sen, whole
    }


def test_a_sheet_filed_under_one_commune_answers_the_choice(ha_tinh: Event) -> None:
    """The organiser chose the list's commune: a divided old commune is it when it is one of the
    candidates, and refused, naming them, when it is not."""
    rows = [HEADER, ["Nguyễn Văn An", 1975, "", DAI_NAI]]
    data = csv_text(rows, ",").encode()
    chosen = preview_attendees(ha_tinh, data, "ds.csv", commune_code="18652")  # Hà Huy Tập
    assert chosen.ok, [i.line() for i in chosen.issues]
    assert (chosen.choices, chosen.rows[0].commune.code) == ([], "18652")
    other = preview_attendees(ha_tinh, data, "ds.csv", commune_code="18754")  # of Kỳ Lợi's
    # a split old commune, named with the communes it is part of now (a tour found it unsaid)
    assert [(i.row, i.message) for i in other.issues] == [(2, OLD_OTHER_COMMUNE)]
    assert set(other.issues[0].params["communes"].split(", ")) == {
        "Phường Thành Sen",
        "Phường Hà Huy Tập",
    }


def test_an_answer_outside_the_candidates_is_ignored(ha_tinh: Event) -> None:
    from app.sheets.communes import choice_key

    preview = preview_attendees(ha_tinh, split_sheet(), "ds.csv",
                                choices={choice_key(DAI_NAI): "18754"})  # fmt: skip
    assert next(c for c in preview.choices if c.written == DAI_NAI).chosen is None
    assert 2 in {i.row for i in preview.issues}


def test_the_page_lists_the_choice_and_applies_it(client, logged_in, ha_tinh: Event) -> None:
    from app.sheets.communes import choice_key

    logged_in("officer", HA_TINH)
    url = f"/events/{ha_tinh.id}/attendance/import"
    token = csrf_token(client, url)
    upload = {"csrf_token": token, "file": (io.BytesIO(split_sheet()), "ds.csv")}
    page = client.post(url, data=upload, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "đã được chia cho nhiều xã/phường năm 2025" in html  # the issue, in Vietnamese
    assert "Xã/phường cần chọn" in html
    field = f"commune-choice-{choice_key(DAI_NAI)}"
    select = html[html.index(f'name="{field}"') : html.index("</select>", html.index(field))]
    assert re.findall(r'<option value="(\d+)"', select) == ["18073", "18652"]
    assert "Phường Hà Huy Tập" in select
    assert "Nhập 4 người dự" in html  # all four, once the choices are made
    head = html[html.index('<table class="preview') :]
    head = head[: head.index("</thead>")]
    columns = re.findall(r"<th>([^<]+)</th>", head)
    assert "Xã/phường" in columns  # the sheet's own column
    assert "Xã/phường đã khớp" in columns  # the commune Lan Tỏa matched
    assert len(columns) == len(set(columns)), columns  # no two columns named alike
    stash_id = re.search(r'name="stash" value="([^"]+)"', html).group(1)

    unanswered = client.post(url, data={"csrf_token": token, "stash": stash_id})
    assert unanswered.status_code == 422
    assert communes_of_people() == {}
    assert len(re.findall(r'<select id="commune-choice-[0-9a-f]+"', html)) == 3
    answers = {field: "18652"}
    answers[f"commune-choice-{choice_key(KY_LOI)}"] = "18832"
    answers[f"commune-choice-{choice_key('Phường Đại Nài, TP Hà Tĩnh')}"] = "18652"
    done = client.post(url, data={"csrf_token": token, "stash": stash_id, **answers})
    assert done.status_code == 302, done.get_data(as_text=True)
    assert communes_of_people() == {
        "Nguyễn Văn An": "18652",
        "Trần Thị Bình": "18832",
        "Lê Văn Cường": "18652",
        "Phạm Thị Dung": "18073",
    }


def test_cli_lists_the_choice_and_takes_the_answer(app: Flask, ha_tinh: Event, tmp_path) -> None:
    file = tmp_path / "ds.csv"
    rows = [HEADER, ["Nguyễn Văn An", 1975, "", DAI_NAI], ["Lê Thị Mai", 1990, "", KY_LOI]]
    file.write_bytes(csv_text(rows, ",").encode())
    runner = app.test_cli_runner()
    args = ["import", str(file), "--event", str(ha_tinh.id)]
    refused = runner.invoke(attendance, args)
    assert refused.exit_code == 1
    assert f"choose for '{DAI_NAI}' (rows 2): 18073 Phường Thành Sen, 18652 Phường Hà Huy Tập" in (
        refused.output
    )
    assert communes_of_people() == {}
    done = runner.invoke(
        attendance, [*args, "--choose", f"{DAI_NAI}=18073", "--choose", f"{KY_LOI}=18754"]
    )
    assert done.exit_code == 0, done.output
    assert communes_of_people() == {"Nguyễn Văn An": "18073", "Lê Thị Mai": "18754"}
    bad = runner.invoke(attendance, [*args, "--choose", "18073"])
    assert bad.exit_code == 2
    assert "WRITTEN=CODE" in bad.output
