"""A commune's officer on the province's event sees the follow-up of their commune's people only.

The province holds a conference with halls in communes A and B. People of A: an attendee who
lives there, one with no commune who checked in at A's hall, a registered commenter who lives
there, one who enrolled after the event. The same of B, and a commenter nobody registered yet
(the province's alone). A's officer sees A's on the page, in the Excel export and in the leads
API, with A's counts; the province's officer sees everyone.
"""

from __future__ import annotations

import io
import re

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from openpyxl import load_workbook

from app.auth.tokens import issue_token
from app.extensions import db
from app.followup.call_scope import unit_name
from app.models import AuditLog, Comment
from tests.app.followup.part_world import (
    MINE,
    MY_ENROLLED,
    THEIR_ENROLLED,
    THEIRS,
    World,
    part_world,
)
from tests.conftest import HOME, Factory, login

pytestmark = pytest.mark.postgres  # the part's conditions on both databases


def _spaced(phone: str) -> str:
    """How the page writes a number: national, in groups (0912 000 001)."""
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}"


def _page(client: FlaskClient, world: World) -> str:
    response = client.get(f"/events/{world.event_id}/follow-up")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _cells(client: FlaskClient, world: World) -> str:
    response = client.get(f"/events/{world.event_id}/follow-up.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None)  # fmt: skip


def test_a_commune_officer_sees_their_communes_people_only(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    login(client, make.user("officer", world.mine.code).email)
    html = _page(client, world)
    text = re.sub(r"<[^>]+>", " ", html)
    for name, phone in MINE.items():
        assert name in html
        assert phone in re.sub(r"\D", "", text) or _spaced(phone) in text, name
    assert MY_ENROLLED in html
    for name, phone in THEIRS.items():
        assert name not in html
        assert phone not in re.sub(r"\D", "", text)
        assert _spaced(phone) not in text
    assert THEIR_ENROLLED not in html
    assert "Cần gọi (đã có số điện thoại): 3 người" in html  # the commune's counts, not 6
    assert "Đã đăng ký sau sự kiện: 1" in html
    with force_locale("vi"):
        commune = unit_name(world.mine)
    assert f"Chỉ hiển thị người thuộc {commune}:" in html

    cells = _cells(client, world)
    for name, phone in MINE.items():
        assert name in cells
        assert phone in cells, name
    assert MY_ENROLLED in cells
    for name, phone in THEIRS.items():
        assert name not in cells
        assert phone not in cells, name
    assert THEIR_ENROLLED not in cells
    assert f"— người thuộc {commune}" in cells  # the file says whose list it is
    audited = db.session.scalars(
        db.select(AuditLog.detail).where(AuditLog.action.like("followup.%"))
    )
    assert [d.get("part") for d in audited] == [world.mine.code] * 2  # whose list was read
    event_page = client.get(f"/events/{world.event_id}").get_data(as_text=True)
    assert f'href="/events/{world.event_id}/follow-up"' in event_page  # the part links to it


def test_a_province_officer_sees_every_commune(client: FlaskClient, make: Factory) -> None:
    world = part_world(make)
    login(client, make.user("officer", HOME).email)
    html = _page(client, world)
    for name in (*MINE, *THEIRS, MY_ENROLLED, THEIR_ENROLLED):
        assert name in html, name
    assert "Cần gọi (đã có số điện thoại): 6 người" in html
    assert "Chỉ hiển thị người thuộc" not in html
    audited = db.session.scalars(
        db.select(AuditLog.detail).where(AuditLog.action.like("followup.%"))
    )
    assert [d.get("part") for d in audited] == [None]
    cells = _cells(client, world)
    for name, phone in (*MINE.items(), *THEIRS.items()):
        assert name in cells
        assert phone in cells, name


def _api(client: FlaskClient, make: Factory, code: str) -> dict[str, str]:
    user = make.user("officer", code)
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_leads_api_keeps_to_the_communes_people(client: FlaskClient, make: Factory) -> None:
    world = part_world(make)
    comments = dict(db.session.execute(db.select(Comment.external_id, Comment.id)).all())
    ids = ",".join(str(comments[c]) for c in ("c1", "c2", "c3"))
    url = f"/api/v1/events/{world.event_id}"
    mine = _api(client, make, world.mine.code)
    body = client.get(f"{url}/leads?comment_ids={ids}", headers=mine).get_json()
    assert [lead["person_id"] for lead in body["leads"]] == [world.my_lead]
    assert set(body["comments"]) == {str(comments["c1"])}
    assert "Võ Văn Bảy" not in str(body)
    changed = client.patch(f"{url}/leads/{world.my_lead}", json={"notes": "đã gọi"}, headers=mine)
    assert changed.status_code == 200
    for path in (f"leads/{world.their_lead}", f"comments/{comments['c2']}/lead",
                 f"comments/{comments['c3']}/lead"):  # fmt: skip
        refused = client.patch(f"{url}/{path}", json={"notes": "x"}, headers=mine)
        assert refused.status_code == 404, path
        assert refused.get_json()["message"]
    unregistered = db.select(Comment.person_id).where(Comment.external_id == "c3")
    assert db.session.scalar(unregistered) is None  # not made a person for a refused mark

    province = _api(client, make, HOME)
    body = client.get(f"{url}/leads?comment_ids={ids}", headers=province).get_json()
    assert {lead["person_id"] for lead in body["leads"]} == {world.my_lead, world.their_lead}
    assert set(body["comments"]) == {str(comments[c]) for c in ("c1", "c2", "c3")}
    changed = client.patch(f"{url}/leads/{world.their_lead}", json={"notes": "x"},
                           headers=province)  # fmt: skip
    assert changed.status_code == 200


def test_another_communes_officer_sees_their_own_part_not_mine(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    login(client, make.user("viewer", world.theirs.code).email)
    html = _page(client, world)
    assert "Trần Văn Bê" in html
    assert THEIR_ENROLLED in html
    for name in (*MINE, MY_ENROLLED):
        assert name not in html, name
    assert client.get(f"/events/{world.event_id}/follow-up.xlsx").status_code == 403
