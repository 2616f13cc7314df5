"""File names carry the unit's name, never its internal code: "bao-cao-nghe-an-2026-10.pdf",
ASCII without spaces, and still unique when two units share a name."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import OrgKind, OrgUnit
from app.reports import parent_sheet
from app.reports.filenames import CSV_VIEW_WORDS, period_slug, slug, unit_slug
from app.reports.workbook import CSV_VIEWS
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
SAFE = re.compile(r'filename="[a-z0-9-]+\.[a-z]+"')


def test_a_slug_is_ascii_words_joined_by_hyphens() -> None:
    assert slug("Tỉnh Nghệ An") == "tinh-nghe-an"
    assert slug("  Phường Đông Vĩnh / khối 1 ") == "phuong-dong-vinh-khoi-1"
    assert len(slug("Xã " * 100)) <= 60


def test_two_units_of_one_name_get_different_names(app) -> None:
    provinces = db.session.scalars(
        select(OrgUnit).where(OrgUnit.kind == OrgKind.PROVINCE).order_by(OrgUnit.code).limit(2)
    ).all()
    twins = [
        OrgUnit(code=f"9990{n}", name="Phường Một", short_name="Phường Một", kind=OrgKind.COMMUNE,
                parent=p, path=f"{p.path}/9990{n}")
        for n, p in enumerate(provinces)
    ]  # fmt: skip
    db.session.add_all(twins)
    db.session.flush()
    names = {unit_slug(u) for u in twins}
    assert len(names) == 2
    assert all(n.startswith("phuong-mot-") for n in names)


def test_downloads_are_named_after_the_unit(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    for path, name in (
        ("/reports/monthly.pdf", "bao-cao-nghe-an-2026-10.pdf"),
        ("/reports/monthly.docx", "bao-cao-nghe-an-2026-10.docx"),
    ):
        disposition = client.get(path, query_string=MONTH).headers["Content-Disposition"]
        assert f'filename="{name}"' in disposition, disposition
        assert SAFE.search(disposition)


ENGLISH = re.compile(r"channels|month|commune|event|links|report|week", re.I)


def test_a_period_is_named_in_vietnamese_and_whole_months_as_their_month() -> None:
    d = date
    assert period_slug(d(2026, 10, 1), d(2026, 10, 31)) == "2026-10"
    assert period_slug(d(2024, 2, 1), d(2024, 2, 29)) == "2024-02"  # a leap February
    assert period_slug(d(2026, 1, 1), d(2026, 12, 31)) == "2026"
    assert period_slug(d(2026, 10, 5), d(2026, 10, 5)) == "2026-10-05"
    assert period_slug(d(2026, 10, 1), d(2026, 10, 30)) == "2026-10-01-den-2026-10-30"
    assert period_slug(d(2026, 10, 1), None) == "tu-2026-10-01"
    assert period_slug(None, d(2026, 10, 31)) == "den-2026-10-31"
    assert period_slug(None, None) == "toan-bo-thoi-gian"
    assert set(CSV_VIEW_WORDS) == {*CSV_VIEWS, parent_sheet.CSV_VIEW}


def test_channels_downloads_carry_the_unit_and_the_period_in_vietnamese_words(
    client, make, month
) -> None:
    """The tour found "so-sanh-kenh-nghe-an-channels.csv" (an English word) and the workbook
    named without the period the monthly PDF carries."""
    login(client, make.user("viewer", HOME).email)
    october = {"org_unit": HOME, "from": "2026-10-01", "to": "2026-10-31"}
    expected = {
        "/reports/channels.xlsx": "so-sanh-kenh-nghe-an-2026-10.xlsx",
        "/reports/channels.csv": "so-sanh-kenh-nghe-an-2026-10-theo-kenh.csv",
        "/reports/channels.csv?view=commune": "so-sanh-kenh-nghe-an-2026-10-theo-xa.csv",
        "/reports/channels.csv?view=month": "so-sanh-kenh-nghe-an-2026-10-theo-thang.csv",
        "/reports/channels.csv?view=event": "so-sanh-kenh-nghe-an-2026-10-theo-su-kien.csv",
    }
    for path, name in expected.items():
        url, _, view = path.partition("?view=")
        args = {**october, **({"view": view} if view else {})}
        disposition = client.get(url, query_string=args).headers["Content-Disposition"]
        assert f'filename="{name}"' in disposition, disposition
        assert SAFE.search(disposition)
        assert not ENGLISH.search(name), name
    some_days = {"org_unit": HOME, "from": "2026-10-03", "to": "2026-10-17"}
    disposition = client.get("/reports/channels.xlsx", query_string=some_days).headers[
        "Content-Disposition"
    ]
    assert 'filename="so-sanh-kenh-nghe-an-2026-10-03-den-2026-10-17.xlsx"' in disposition


def test_an_events_contact_list_carries_its_unit_and_day(client, make) -> None:
    event = make.event(
        HOME, title="Hội nghị", planned_start=datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    )
    login(client, make.user("officer", HOME).email)
    response = client.get(f"/events/{event.id}/follow-up.xlsx")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    # 01:00 on the 25th in Hà Nội: the day the officers know it by.
    assert f'filename="lien-he-nghe-an-su-kien-{event.id}-2026-11-25.xlsx"' in disposition
    assert SAFE.search(disposition)
