"""Linkage through the database: the seed's conference end to end, idempotent re-runs, officer
decisions that outlive re-runs, withdrawn consent, and households."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.attendance.sheet import commit_attendees, preview_attendees
from app.auth.tokens import issue_token
from app.consent import CURRENT
from app.extensions import db
from app.followup.linking import run_linkage
from app.identity.text import fold
from app.models import (
    Attendance,
    AuditLog,
    Enrolment,
    ImportBatch,
    Link,
    LinkStatus,
    OrgKind,
    OrgUnit,
    Person,
    Scheme,
)
from app.personal_data import blind_index
from tests.app.followup import seed_case
from tests.conftest import HOME, Factory

# Also on PostgreSQL: linkage reads and writes in bulk.
pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
SEEN = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


def _communes(count: int = 12) -> dict[str, str]:
    province = db.session.scalars(select(OrgUnit).where(OrgUnit.code == HOME)).one()
    rows = db.session.execute(
        select(OrgUnit.code, OrgUnit.name)
        .where(OrgUnit.parent_id == province.id, OrgUnit.kind == OrgKind.COMMUNE)
        .order_by(OrgUnit.code)
        .limit(count)
    )
    return {code: name for code, name in rows}


def _links() -> set[tuple[int, int, str, str, float]]:
    return {
        (lk.person_id, lk.enrolment_id, lk.method, lk.status.value, round(lk.score, 6))
        for lk in db.session.scalars(select(Link))
    }


@pytest.mark.parametrize(
    "imported_at",
    [SEEN + timedelta(days=30), SEEN - timedelta(days=7)],
    ids=["imported-30-days-after", "imported-7-days-before"],
)
def test_seed_conference_932_attendees_446_converted(
    app: Flask, client: FlaskClient, make: Factory, tmp_path: Path, imported_at: datetime
) -> None:
    """The figures hold whenever the sheet is imported: the visits carry the conference's day.

    Imported a month late, visits dated by the upload lost every enrolment of that month; a week
    early (the registration list, before the conference ends), they closed the window early.
    """
    case = seed_case.build(_communes())
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện", planned_start=SEEN,
                       planned_end=SEEN + timedelta(hours=3))  # fmt: skip
    preview = preview_attendees(event, case.sheet, "danh-sach-hoi-nghi.csv")
    assert preview.issues == []
    commit_attendees(preview, user=None, now=imported_at)
    db.session.commit()
    assert db.session.query(Person).count() == seed_case.ATTENDEES

    export = tmp_path / "xuat-bhxh-tn.csv"
    export.write_bytes(case.export)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["followup", "import-enrolments", str(export)])
    assert result.exit_code == 0, result.output
    assert "Full linkage" in result.output  # linkage ran by itself after the import
    assert "Review queue:" in result.output

    # Household members count with their attendee, never as people of their own.
    household = db.session.scalars(select(Link).where(Link.method == "household")).all()
    assert len(household) >= case.counts["household"] - 10
    assert {lk.status for lk in household} == {LinkStatus.LINKED}
    assert db.session.query(Person).count() == seed_case.ATTENDEES

    # Re-running, incrementally or in full, changes nothing.
    before = _links()
    again = runner.invoke(args=["followup", "link"])
    assert "New links: 0" in again.output, again.output
    full = runner.invoke(args=["followup", "link", "--full"])
    assert "New links: 0" in full.output, full.output
    db.session.expire_all()
    assert _links() == before

    token = issue_token(make.user("viewer", HOME))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    figures = client.get(f"/api/v1/events/{event.id}/conversion", headers=headers).get_json()
    assert figures["identified"] == seed_case.ATTENDEES
    assert figures["converted"] == seed_case.CONVERTED
    assert figures["rate"] == round(seed_case.CONVERTED / seed_case.ATTENDEES, 4)
    assert f"{figures['converted'] / figures['identified']:.1%}" == "47.9%"
    assert set(db.session.scalars(select(Attendance.touched_at))) == {SEEN}  # not imported_at


# ---- small worlds, both backends -----------------------------------------------------------


def _person(event_id: int, name: str, *, born: str = "1980-05-12", phone: str | None = None,
            cccd: str | None = None, **kw) -> Person:  # fmt: skip
    values = {"consent_agreed": True, "consent_at": SEEN, "consent_version": CURRENT, **kw}
    person = Person(full_name=name, name_folded=fold(name), birth_date=born,
                    birth_year=int(born[:4]), phone=phone, phone_bidx=blind_index("phone", phone),
                    cccd=cccd, cccd_bidx=blind_index("cccd", cccd), **values)  # fmt: skip
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event_id, source="sheet",
                              touched_at=SEEN))  # fmt: skip
    return person


_batches = iter(range(10**6))


def _enrolment(name: str, *, born: str = "1980-05-12", phone: str | None = None,
               cccd: str | None = None, household: str | None = None,
               paid: date = date(2026, 3, 20)) -> Enrolment:  # fmt: skip
    batch = ImportBatch(kind="enrolments", filename="x.csv", sha256=f"{next(_batches):064d}",
                        created_at=NOW)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    row = Enrolment(import_batch_id=batch.id, source_row=2, row_key=batch.sha256, full_name=name,
                    name_folded=fold(name), birth_date=born, birth_year=int(born[:4]),
                    phone=phone, phone_bidx=blind_index("phone", phone), cccd=cccd,
                    cccd_bidx=blind_index("cccd", cccd), scheme=Scheme.BHYT_HO_GIA_DINH,
                    is_new=True, paid_on=paid, household_ref=household)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


def test_a_rejected_pair_is_never_proposed_again(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    person = _person(event.id, "Nguyễn Thị Hòa", cccd="040180000123")
    row = _enrolment("NGUYEN THI HOA", cccd="040180000123")
    run = run_linkage(NOW)
    db.session.commit()
    assert run.new_links == {"cccd": 1}
    link = db.session.scalars(select(Link)).one()
    link.status = LinkStatus.REJECTED
    db.session.commit()
    for full in (False, True):
        again = run_linkage(NOW, full=full)
        db.session.commit()
        assert sum(again.new_links.values()) == 0
    assert _links() == {(person.id, row.id, "cccd", "rejected", 1.0)}


def test_confirmed_links_survive_and_reruns_change_nothing(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    a = _person(event.id, "Trần Văn Nam", phone="+84912345678")
    b = _person(event.id, "Lê Thị Mai", cccd="040190000456", born="1990-01-01")
    _enrolment("Tran Van Nam", phone="+84912345678")
    _enrolment("Lê Thị Mai", cccd="040190000456", born="1990-01-01")
    first = run_linkage(NOW)
    db.session.commit()
    assert first.new_links == {"phone_given": 1, "cccd": 1}
    link = db.session.scalars(select(Link).where(Link.person_id == a.id)).one()
    link.status = LinkStatus.CONFIRMED
    db.session.commit()
    snapshot = _links()
    for full in (False, True):
        run_linkage(NOW, full=full)
        db.session.commit()
        assert _links() == snapshot
    assert b.id in {p for p, *_ in snapshot}


def test_withdrawn_consent_is_not_linked(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    _person(event.id, "Phạm Văn Đức", cccd="040075000111", born="1975-02-02",
            consent_withdrawn_at=SEEN)  # fmt: skip
    _enrolment("Phạm Văn Đức", cccd="040075000111", born="1975-02-02")
    run = run_linkage(NOW, full=True)
    db.session.commit()
    assert sum(run.new_links.values()) == 0
    assert db.session.query(Link).count() == 0


def test_household_member_in_a_later_file_joins_the_owner(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    owner = _person(event.id, "Hồ Văn Bảy", cccd="040070000777", born="1970-07-07")
    _enrolment("Hồ Văn Bảy", cccd="040070000777", born="1970-07-07", household="HGD1")
    run_linkage(NOW)
    db.session.commit()
    member = _enrolment("Hồ Thị Tám", born="1972-08-08", household="HGD1")
    db.session.commit()
    run = run_linkage(NOW)
    db.session.commit()
    assert run.full is False
    assert run.new_links == {"household": 1}
    link = db.session.scalars(select(Link).where(Link.enrolment_id == member.id)).one()
    assert (link.person_id, link.status) == (owner.id, LinkStatus.LINKED)
    assert db.session.query(Person).count() == 1


def test_each_run_is_audited_with_counts_only(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    _person(event.id, "Võ Thị Thủy", cccd="040185000222", born="1985-03-03")
    _enrolment("VO THI THUY", cccd="040185000222", born="1985-03-03")
    run_linkage(NOW)
    db.session.commit()
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "followup.link")).one()
    assert entry.detail["new_links"] == {"cccd": 1}
    assert "THUY" not in str(entry.detail).upper()


def test_an_enrolment_links_only_people_inside_the_importing_unit(
    app: Flask, make: Factory, unit
) -> None:
    """A province-40 import never links a province-46 person (nor says one exists)."""
    from tests.conftest import OTHER

    theirs = make.event(OTHER)
    ours = make.event(HOME)
    commune = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == unit(OTHER).id).limit(1)
    ).one()
    stranger = _person(theirs.id, "Hồ Văn Lâm", cccd="046080000777", commune_id=commune.id)
    lead = _person(theirs.id, "Võ Thị Lan", phone="+84912000333")  # no commune: seen in 46
    neighbour = _person(ours.id, "Đặng Văn Hải", cccd="040080000888")
    rows = [
        _enrolment("Hồ Văn Lâm", cccd="046080000777"),
        _enrolment("Võ Thị Lan", phone="+84912000333"),
        _enrolment("Đặng Văn Hải", cccd="040080000888"),
    ]
    for row in rows:
        row.org_unit_id = unit(HOME).id  # imported by the province-40 office
    db.session.commit()
    run = run_linkage(NOW, full=True)
    db.session.commit()
    linked = {(lk.person_id, lk.enrolment_id) for lk in db.session.scalars(select(Link))}
    assert linked == {(neighbour.id, rows[2].id)}
    assert sum(run.new_links.values()) == 1
    assert stranger.id not in {p for p, _ in linked}

    # The same rows imported by province 46 link its own people.
    for row in rows[:2]:
        row.org_unit_id = unit(OTHER).id
    db.session.commit()
    run_linkage(NOW, full=True)
    db.session.commit()
    linked = {(lk.person_id, lk.enrolment_id) for lk in db.session.scalars(select(Link))}
    assert {(stranger.id, rows[0].id), (lead.id, rows[1].id)} <= linked
