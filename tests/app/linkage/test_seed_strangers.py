"""The seed's conference linked straight from its two files: every own link is the same person.

The sheet and the export come from ``tests.app.followup.seed_case`` (932 attendees, 446 converted,
strangers of the same dozen communes). Each person there has a distinct folded name and birth
year, so that pair tells who is who. A model that weighed a shared commune as if communes were
country-wide rare once linked "Lê Công Dũng" (1994, sheet) to the stranger "Lê Ngọc Dũng"
(13/12/1994, export) of the same commune at 0.98.
"""

from __future__ import annotations

import csv
import io

import pytest

from app.identity.text import fold
from app.linkage import LinkStatus, PersonRecord, link
from app.orgunits import read_package_units
from tests.app.followup import seed_case
from tests.conftest import HOME


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def sides() -> tuple[list[PersonRecord], list[PersonRecord]]:
    units = sorted((u for u in read_package_units([HOME]) if u.parent_code == HOME),
                   key=lambda u: u.code)[:12]  # fmt: skip
    case = seed_case.build({u.code: u.name for u in units})
    attendees = [
        PersonRecord(
            f"a{i}",
            r["Họ và tên"],
            birth=r["Năm sinh"] or None,
            phone=r["Số điện thoại"] or None,
            id_number=r["Số CCCD"] or None,
            commune=r["Xã/Phường"] or None,
            province="Nghệ An",
        )  # fmt: skip
        for i, r in enumerate(_rows(case.sheet))
    ]
    enrolments = [
        PersonRecord(
            f"e{i}",
            r["Họ và tên"],
            birth=r["Ngày sinh"] or None,
            sex=r["Giới tính"],
            id_number=r["Số CCCD"] or None,
            phone=r["SĐT"] or None,
            commune=r["Xã/Phường"] or None,
            province="Nghệ An",
            household_ref=r["Mã hộ gia đình"] or None,
        )  # fmt: skip
        for i, r in enumerate(_rows(case.export))
    ]
    return attendees, enrolments


def _who(record: PersonRecord) -> tuple[str, str]:
    return fold(record.full_name or ""), str(record.birth)[-4:]


def test_every_own_link_of_the_seed_case_is_the_same_person(sides) -> None:
    attendees, enrolments = sides
    result = link(attendees, enrolments)
    att = {r.record_id: r for r in attendees}
    enr = {r.record_id: r for r in enrolments}
    linked = result.by_status(LinkStatus.LINKED)
    strangers = [
        (att[lk.attendee_id].full_name, enr[lk.enrolment_id].full_name)
        for lk in linked
        if _who(att[lk.attendee_id]) != _who(enr[lk.enrolment_id])
    ]
    assert strangers == []
    # and no true pair is lost: each attendee with an enrolment of their own is linked to it
    own = {_who(r) for r in enrolments}
    expected = {r.record_id for r in attendees if _who(r) in own}
    assert {lk.attendee_id for lk in linked} == expected


def test_a_shared_commune_does_not_make_two_middle_names_one_person(sides) -> None:
    attendees, enrolments = sides
    [dung] = [r for r in attendees if r.full_name == "Lê Công Dũng"]
    [stranger] = [r for r in enrolments if r.full_name == "Lê Ngọc Dũng"]
    assert (dung.commune, dung.birth) == (stranger.commune, "1994")
    assert stranger.birth == "13/12/1994"
    result = link(attendees, enrolments)
    pair = [
        lk
        for lk in result.links
        if (lk.attendee_id, lk.enrolment_id) == (dung.record_id, stranger.record_id)
    ]
    assert all(lk.status != LinkStatus.LINKED for lk in pair)
