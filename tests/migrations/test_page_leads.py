"""Revision b29fe9f8be11 unmarks the page's own comments already stored, on both databases.

A database at the previous head gets what the application wrote before: the page's replies under
its live and under its post marked as leads with the office's phone, a person made of them with a
comment touch and a link; viewers' leads; a person who is both (a page reply and a lead of their
own at the same event); one whose comment touch came only from a page reply but who also signed a
sheet; a YouTube channel's message on an account that does not name its channel; built rollups.
After ``upgrade``: the page's comments are plain comments, the page's person is gone with its
touch and link, every viewer and every other touch is as it was, and the rollups wait for a
rebuild.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import Attendance, Comment, Link, Person, RollupState
from tests.migrations.test_date_touches import Rows

BEFORE = "8b392b5047f5"
PAGE = "104729318856412"
SEEN = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
OFFICE = "+842383844112"


def test_the_upgrade_unmarks_the_pages_own_comments(empty: Flask, backend: str) -> None:  # noqa: F811
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        event = rows.event("Livestream", planned_start=SEEN)

        def account(platform: str, page: str | None) -> int:
            return rows.add("platform_accounts", platform=platform, name=platform,
                            org_unit_id=rows.unit, external_id=page, credentials=b"x",
                            health="ok", health_detail="", rate_limit_usage={})  # fmt: skip

        def target(kind: str, external_id: str, account_id: int | None) -> int:
            return rows.add("targets", event_id=event, account_id=account_id, kind=kind,
                            external_id=external_id, cursor={}, last_error="", failures=0,
                            calls_used=0)  # fmt: skip

        live = target("facebook_live", "1029384756", account("facebook", PAGE))
        post = target("facebook_post", f"{PAGE}_77", None)  # the page is in the post id
        chat = target("youtube_live", "bhxhTNLive1", account("youtube", None))

        def person(name: str, source: str | None = "comment") -> int:
            return rows.add("people", full_name=name, name_folded=name, hamlet="",
                            commune_text="", consent_source=source)  # fmt: skip

        def touch(person_id: int, source: str) -> int:
            return rows.add("attendances", person_id=person_id, event_id=event, source=source,
                            source_ref="", touched_at=SEEN)  # fmt: skip

        def comment(target_id: int, author: str, person_id: int | None, phone: str | None) -> int:
            return rows.add("comments", target_id=target_id, external_id=f"c{len(c)}",
                            author_name=author, author_external_id=author, message="liên hệ",
                            created_at=SEEN, is_lead=True, lead_intents=["lien_he"],
                            phone=phone and phone.encode(), phone_bidx=phone,
                            person_id=person_id)  # fmt: skip

        page_person, viewer = person("bhxh tinh"), person("hoa")
        both, signed = person("lan"), person("minh", "sheet")
        t = {
            "page": touch(page_person, "comment"),
            "viewer": touch(viewer, "comment"),
            "both": touch(both, "comment"),
            "signed by comment": touch(signed, "comment"),
            "signed by sheet": touch(signed, "sheet"),
        }
        c: dict[str, int] = {}
        c["page under the live"] = comment(live, PAGE, page_person, OFFICE)
        c["page under the post"] = comment(post, PAGE, page_person, None)
        c["page answering lan"] = comment(live, PAGE, both, None)
        c["page answering minh"] = comment(live, PAGE, signed, OFFICE)
        c["viewer"] = comment(live, "9001", viewer, "+84912345678")
        c["lan herself"] = comment(chat, "UClan", both, None)
        c["the channel"] = comment(chat, "UCchannel", None, None)
        batch = rows.add("import_batches", kind="enrolments", filename="x.csv", sha256="e" * 64,
                         rows_total=1, rows_ok=1, rows_rejected=0, report={},
                         created_at=SEEN)  # fmt: skip
        enrolment = rows.add("enrolments", import_batch_id=batch, source_row=2, row_key="r",
                             scheme="bhxh_tu_nguyen", is_new=True, payment_method="",
                             agent_name="", full_name="x", name_folded="x",
                             commune_text="")  # fmt: skip
        rows.add("links", person_id=page_person, enrolment_id=enrolment, method="phone",
                 score=1.0, status="linked", created_at=SEEN + timedelta(days=1))  # fmt: skip
        rows.conn.execute(
            sa.insert(sa.Table("rollup_state", rows.meta, autoload_with=conn)).values(
                name="event_facts", built_at=rows.at(SEEN)
            )
        )

    upgrade()

    # Read past the ORM: the phones above are stand-ins, not the application's ciphertext.
    stored = {
        row.id: row[1:]
        for row in db.session.execute(
            sa.select(
                Comment.id,
                Comment.is_lead,
                Comment.lead_intents,
                Comment.phone_bidx,
                Comment.person_id,
                sa.column("phone"),
            )  # fmt: skip
        )
    }
    marks = {name: stored[i][:4] for name, i in c.items()}
    assert marks == {
        "page under the live": (False, [], None, None),
        "page under the post": (False, [], None, None),
        "page answering lan": (False, [], None, None),
        "page answering minh": (False, [], None, None),
        "viewer": (True, ["lien_he"], "+84912345678", viewer),
        "lan herself": (True, ["lien_he"], None, both),
        "the channel": (True, ["lien_he"], None, None),  # not told apart without the channel id
    }
    assert stored[c["page under the live"]][4] is None
    assert bytes(stored[c["viewer"]][4]) == b"+84912345678"
    left = set(db.session.scalars(sa.select(Attendance.id)))
    assert {name for name, i in t.items() if i in left} == {
        "viewer", "both", "signed by sheet",
    }  # fmt: skip
    assert set(db.session.scalars(sa.select(Person.id))) == {viewer, both, signed}
    assert db.session.scalars(sa.select(Link)).all() == []
    assert db.session.get(RollupState, "event_facts") is None  # rebuilt by `reports rollup`
