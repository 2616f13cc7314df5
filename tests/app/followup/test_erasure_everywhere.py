"""Erasing a person leaves nothing that identifies them, in any table: a scan of every text
column of every row (so a column added later and forgotten by the erasure fails here), and the
person's page after erasure shows only what the counts keep."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import JSON, Integer, String, Text, select

from app.consent import CURRENT
from app.extensions import db
from app.models import (
    Attendance,
    Comment,
    Enrolment,
    ImportBatch,
    LeadCall,
    LeadStatus,
    LeadWork,
    Link,
    LinkStatus,
    OrgUnit,
    Person,
    Scheme,
)
from app.personal_data import EncryptedText, blind_index
from tests.conftest import HOME, Factory, csrf_token, login

pytestmark = pytest.mark.postgres

SEEN = datetime(2026, 11, 8, 1, 30, tzinfo=UTC)  # the village meeting, imported weeks later
NAME, FOLDED = "Đoàn Thị Xuyến", "doan thi xuyen"
PHONE, NATIONAL = "+84935117284", "0935117284"
CCCD, BHXH = "044137009921", "4413700992"
HAMLET, WRITTEN_COMMUNE = "Tổ dân phố Đông Hải 3", "P. Trường Vinh cũ (xã Vinh Tân)"
BIRTH_YEAR = 1937


def _seed(make: Factory) -> Person:
    home = db.session.scalars(select(OrgUnit).where(OrgUnit.code == HOME)).one()
    commune = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == home.id)).first()
    event = make.event(HOME, title="Họp dân tổ Đông Hải về BHYT hộ gia đình")
    target = make.target(event, make.account(HOME))
    person = Person(full_name=NAME, name_folded=FOLDED, commune_id=commune.id,
                    commune_text=WRITTEN_COMMUNE, birth_date="1937-02-14", birth_year=BIRTH_YEAR,
                    birth_precision="day", hamlet=HAMLET, gender="female", consent_agreed=True,
                    consent_at=SEEN, consent_version=CURRENT, consent_source="sheet:4")  # fmt: skip
    person.set_identifiers(phone=PHONE, cccd=CCCD, bhxh_code=BHXH)
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                              source_ref=f"{NAME} · {NATIONAL}", touched_at=SEEN))  # fmt: skip
    lead = dict(target_id=target.id, author_name=NAME, author_external_id="fb-100044",
                created_at=SEEN, lead_intents=[])  # fmt: skip
    db.session.add(Comment(external_id="c1", message=f"Tư vấn giúp em, sđt {NATIONAL}",
                           is_lead=True, phone=PHONE, phone_bidx=blind_index("phone", PHONE),
                           person_id=person.id, **lead))  # fmt: skip
    # The same author's other comment, never tied to the person: it holds their address.
    db.session.add(Comment(external_id="c2", message=f"Nhà em ở {HAMLET}", **lead))
    db.session.add(LeadWork(event_id=event.id, person_id=person.id,
                            notes=f"Đã gọi {NATIONAL}, hẹn chị {NAME} thứ Hai"))  # fmt: skip
    caller = make.user("officer", HOME)  # and the call that wrote it (app.followup.call_log)
    db.session.add(LeadCall(event_id=event.id, person_id=person.id, user_id=caller.id,
                            idempotency_key="k" * 32, status=LeadStatus.CALLED, called_at=SEEN,
                            notes=f"Đã gọi {NATIONAL}, hẹn chị {NAME} thứ Hai"))  # fmt: skip
    batch = ImportBatch(kind="enrolments", filename="bhyt-thang-11.xlsx", sha256="a" * 64,
                        org_unit_id=home.id, created_at=SEEN)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    for row, status in ((1, LinkStatus.LINKED), (2, LinkStatus.REVIEW)):
        enrolment = Enrolment(import_batch_id=batch.id, source_row=row, row_key=f"k{row}",
                              commune_id=commune.id, scheme=Scheme.BHYT_HO_GIA_DINH,
                              paid_on=date(2026, 11, 20), amount_vnd=1_263_600, full_name=NAME,
                              name_folded=FOLDED, birth_year=BIRTH_YEAR, birth_date="1937-02-14",
                              gender="female", commune_text=WRITTEN_COMMUNE,
                              household_ref=f"HGĐ {NAME}", source_ref=f"dòng {row}")  # fmt: skip
        enrolment.set_identifiers(phone=PHONE, cccd=CCCD, bhxh_code=BHXH)
        db.session.add(enrolment)
        db.session.flush()
        db.session.add(Link(person_id=person.id, enrolment_id=enrolment.id, method="cccd",
                            status=status, created_at=SEEN))  # fmt: skip
    db.session.commit()
    return person


NEEDLES = (
    NAME,
    FOLDED,
    NATIONAL,
    PHONE,
    CCCD,
    BHXH,
    HAMLET,
    WRITTEN_COMMUNE,
    "Xuyến",
    str(BIRTH_YEAR),
)


def _left_behind(needles: tuple[str, ...]) -> list[str]:
    """Every table, every row: the text columns (read decrypted) and the birth columns."""
    found = []
    db.session.expire_all()
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns
            if isinstance(c.type, String | Text | JSON | EncryptedText)
            or (isinstance(c.type, Integer) and ("birth" in c.name or "year" in c.name))
        ]  # fmt: skip
        if not columns:
            continue
        for row in db.session.execute(select(*columns)).all():
            for column, value in zip(columns, row, strict=True):
                text = "" if value is None else str(value)
                found += [
                    f"{table.name}.{column.name}: {n}" for n in needles if n and _has(text, n)
                ]
    return found


def _has(text: str, needle: str) -> bool:
    """``needle`` as a word of ``text``: "1937" inside another row's random token or hash
    ("…ab1937cd…") is not the birth year (it failed one run in a few hundred)."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(needle)}(?![0-9A-Za-z])", text) is not None


def _needles() -> tuple[str, ...]:
    return (*NEEDLES, blind_index("phone", PHONE), blind_index("cccd", CCCD),
            blind_index("bhxh_code", BHXH))  # fmt: skip


def test_erasing_leaves_no_trace_in_any_table(client: FlaskClient, make: Factory) -> None:
    person = _seed(make)
    assert len(_left_behind(_needles())) > 20  # the scan sees the data before the erasure
    login(client, make.user("admin", HOME).email)
    token = csrf_token(client, "/people")
    done = client.post(f"/people/{person.id}",
                       data={"csrf_token": token, "action": "erase", "confirm": "yes"})  # fmt: skip
    assert done.status_code == 303
    left = _left_behind(_needles())
    assert left == [], "\n".join(left)
    gone = db.session.get(Person, person.id)
    assert (gone.commune_id, gone.birth_year, gone.gender) == (None, None, None)
    # What the statistics need stays: the attendance and the linked enrolment still count.
    kept: Any = db.session.execute(select(Attendance.event_id, Attendance.touched_at)).all()
    assert len(kept) == 1
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.source_row == 1)).one()
    assert (enrolment.scheme, enrolment.paid_on, enrolment.amount_vnd) == (
        Scheme.BHYT_HO_GIA_DINH, date(2026, 11, 20), 1_263_600)  # fmt: skip
    assert db.session.scalar(select(Link.status).where(Link.enrolment_id == enrolment.id)) == (
        LinkStatus.LINKED
    )
    assert len(db.session.scalars(select(Comment)).all()) == 2  # the comments still count


def test_the_erased_persons_page_shows_only_what_the_counts_keep(
    client: FlaskClient, make: Factory
) -> None:
    person = _seed(make)
    commune = db.session.get(OrgUnit, person.commune_id).name
    login(client, make.user("admin", HOME).email)
    token = csrf_token(client, "/people")
    client.post(f"/people/{person.id}",
                data={"csrf_token": token, "action": "erase", "confirm": "yes"})  # fmt: skip
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "không còn thông tin nào nhận diện được người này" in page
    for held in (NAME, str(BIRTH_YEAR), "14/02/1937", HAMLET, commune, NATIONAL,
                 "Họp dân tổ Đông Hải", "Nữ"):  # fmt: skip
        assert held not in page, held
    assert "Được tính trong 1 lần tham gia và 1 hồ sơ đóng" in page
    client.post("/language/en", data={"csrf_token": csrf_token(client, f"/people/{person.id}")})
    english = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Counted in 1 attendance and 1 enrolment, with no name" in english  # not "1 attendances"
