"""File names carry the unit's name, never its internal code: "bao-cao-nghe-an-2026-10.pdf",
ASCII without spaces, and still unique when two units share a name."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import OrgKind, OrgUnit
from app.reports.filenames import slug, unit_slug
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
        ("/reports/channels.xlsx", "so-sanh-kenh-nghe-an.xlsx"),
        ("/reports/channels.csv", "so-sanh-kenh-nghe-an-channels.csv"),
    ):
        disposition = client.get(path, query_string=MONTH).headers["Content-Disposition"]
        assert f'filename="{name}"' in disposition, disposition
        assert SAFE.search(disposition)
