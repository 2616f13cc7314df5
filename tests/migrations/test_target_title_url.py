"""Revision a7d3e9b1c542 gives targets a title and a link. Those of the events discovery made
take their event's title and the permalink it kept as its description; a description an officer
wrote, and every other target, stay NULL (the collectors fill them on their next read)."""

from __future__ import annotations

from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import Target
from tests.migrations.test_date_touches import Rows

BEFORE = "e3a9c1f5b207"
PERMALINK = "https://www.facebook.com/bhxhnghean/videos/551796681214/"


def test_the_upgrade_names_the_targets_of_discovered_lives(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip

        def event(title: str, origin: str, description: str) -> int:
            return rows.add("events", title=title, channel="livestream", status="ended",
                            org_unit_id=rows.unit, cost_vnd=0, description=description,
                            origin=origin)  # fmt: skip

        def target(event_id: int, kind: str, external_id: str) -> int:
            return rows.add("targets", event_id=event_id, kind=kind, external_id=external_id,
                            cursor={}, last_error="", failures=0, calls_used=0)  # fmt: skip

        found = event("Giải đáp BHXH tự nguyện", "discovered", PERMALINK)
        edited = event("Tọa đàm", "discovered", f"{PERMALINK} — bản ghi lại, xem lúc 20:00")
        manual = event("Livestream tháng 12", "manual", PERMALINK)
        named = target(found, "facebook_live", "101796681214")
        half = target(edited, "facebook_live", "101796681215")
        pasted = target(manual, "facebook_live", "101796681216")
        meeting = target(found, "zoom_meeting", "85012345678")
    upgrade()
    got = {t.id: (t.title, t.url) for t in db.session.query(Target)}
    assert got[named] == ("Giải đáp BHXH tự nguyện", PERMALINK)
    assert got[half] == ("Tọa đàm", None)  # not one address: no link taken from it
    assert got[pasted] == (None, None)
    assert got[meeting] == (None, None)
