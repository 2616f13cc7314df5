"""The pages where codes used to reach users show words: walk them over a small world and look
for any code of ``app.labels`` in the text a person reads (scripts, tags and attributes aside)."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import UTC, datetime

from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from app import labels
from app.extensions import db
from app.models import Attendance, Comment, Link, LinkStatus, Participant, Platform
from tests.app.followup.test_linking import NOW, _enrolment, _person
from tests.conftest import HOME, Factory

# Codes with an underscore never read as Vietnamese or English words; the others that would,
# ("live", "post", "other"…) are left out, and these few are searched as they are stored.
PLAIN_CODES = {"probabilistic", "household", "sheet", "checkin", "linear", "facebook", "youtube",
               "zoom", "leaflet", "loudspeaker", "poster", "copies", "broadcasts"}  # fmt: skip
CODES = sorted(
    {c for table in labels.CODE_SETS.values() for c in map(str, table) if "_" in c} | PLAIN_CODES
)


def visible_text(page: str) -> str:
    """What a reader sees: the body without scripts, styles, tags and attribute values."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html_lib.unescape(page)


def codes_in(page: str) -> list[str]:
    text = visible_text(page)
    return [c for c in CODES if re.search(rf"(?<![\w/.-]){re.escape(c)}(?![\w/.-])", text)]


def _world(make: Factory) -> tuple[int, int]:
    live = make.event(HOME, title="Livestream tư vấn BHXH")
    target = make.target(live, make.account(HOME), kind="facebook_live")
    conference = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference")
    zoom = make.account(HOME, platform=Platform.ZOOM, name="Zoom tỉnh")
    meeting = make.target(conference, zoom, kind="zoom_meeting", external_id="m1")
    db.session.add(Participant(target_id=meeting.id, participant_key="p1",
                               display_name="Phòng họp lạ", joined_at=NOW))  # fmt: skip
    person = _person(live.id, "Đỗ Văn An", phone="+84912000333")
    db.session.add(Attendance(person_id=person.id, event_id=conference.id, source="checkin",
                              touched_at=datetime(2026, 3, 10, 3, tzinfo=UTC)))  # fmt: skip
    db.session.add(Comment(target_id=target.id, external_id="c1", author_name="Chị Hoa",
                           message="cho em hỏi mức đóng, tư vấn giúp em", created_at=NOW,
                           is_lead=True, lead_intents=["muc_dong", "tu_van"]))  # fmt: skip
    row = _enrolment("Đỗ Văn Ân", phone="+84912000444")
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="probabilistic",
                        score=0.7, status=LinkStatus.REVIEW, created_at=NOW))  # fmt: skip
    db.session.commit()
    return live.id, conference.id


def test_pages_show_words_not_codes(client: FlaskClient, make: Factory, logged_in) -> None:
    live, conference = _world(make)
    logged_in("admin")
    pages = [
        "/",
        "/collection",
        f"/events/{live}",
        f"/events/{conference}",
        f"/events/{conference}/participants/unmatched",
        f"/events/{live}/follow-up",
        "/follow-up/review",
        "/reports/channels",
        "/reports/monthly?period=2026-11",
        "/reports/offline",
        "/users",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert codes_in(response.get_data(as_text=True)) == [], path


def file_text(path: str, data: bytes) -> str:
    """Every cell of a workbook, the text of a PDF, a CSV as it is."""
    stem = path.split("?")[0]
    if stem.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(data))
        return " | ".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
        )
    if stem.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8-sig")


def test_files_show_words_not_codes(client: FlaskClient, make: Factory, logged_in) -> None:
    live, _conference = _world(make)
    logged_in("admin")
    files = [
        f"/events/{live}/follow-up.xlsx",
        "/reports/channels.xlsx?start=01/11/2026&end=30/11/2026",
        "/reports/channels.csv?start=01/11/2026&end=30/11/2026",
        "/reports/monthly.pdf?period=2026-11",
    ]
    for path in files:
        response = client.get(path)
        assert response.status_code == 200, path
        assert codes_in(file_text(path, response.data)) == [], path


def test_the_check_finds_a_code(client: FlaskClient) -> None:
    """The walk above would see a code left on a page."""
    assert codes_in("<td>facebook_live · 1</td><td>last_touch</td>") == [
        "facebook_live",
        "last_touch",
    ]
    assert codes_in('<a href="/x?model=last_touch" title="sheet">Lần tiếp xúc cuối</a>') == []
