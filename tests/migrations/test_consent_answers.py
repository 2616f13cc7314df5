"""Revision e5c0a7d19b43: automatic consent stamps are not answers; comment leads get their basis.

A database at the previous head holds what the application wrote before: an attendee of a sheet
and one of a check-in stamped "sheet-v1" / "checkin-v1" at the import time whatever they had
said, a person made from a comment lead, and an answer recorded some other way. After
``upgrade``: the stamps are gone (nobody counts as agreeing), the lead is held under the public
comment basis, the other answer is untouched, and the new columns exist on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import Person
from tests.migrations.test_date_touches import Rows

BEFORE = "d7a3c5e81f42"
STAMPED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def test_the_upgrade_removes_automatic_stamps(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)

        def person(name: str, **kw: object) -> int:
            return rows.add("people", full_name=name, name_folded=name, hamlet="",
                            commune_text="", **kw)  # fmt: skip

        ids = {
            "sheet": person("sheet", consent_at=STAMPED, consent_version="sheet-v1",
                            consent_source="sheet:1"),
            "checkin": person("checkin", consent_at=STAMPED, consent_version="checkin-v1",
                              consent_source="checkin:4"),
            "lead": person("lead", consent_source="comment"),
            "asked": person("asked", consent_at=STAMPED, consent_version="MD-2026-01",
                            consent_source="paper form"),
        }  # fmt: skip
    upgrade()
    db.session.expire_all()
    people = {p.full_name: p for p in db.session.scalars(sa.select(Person))}
    for name in ("sheet", "checkin"):
        stamped = people[name]
        assert (stamped.consent_agreed, stamped.consent_at, stamped.consent_version) == (
            None, None, None), name  # fmt: skip
        assert stamped.consent_source == f"{name}:{1 if name == 'sheet' else 4}"
    assert (people["lead"].legal_basis, people["lead"].consent_agreed) == ("public_comment", None)
    assert people["sheet"].legal_basis is None
    assert (people["asked"].consent_at, people["asked"].consent_version) == (STAMPED, "MD-2026-01")
    assert set(ids.values()) == {p.id for p in people.values()}
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("enrolments")}
    assert {"consent_agreed", "consent_version", "consent_at", "erased_at"} <= columns
    assert "erased_at" in {c["name"] for c in sa.inspect(db.engine).get_columns("comments")}
