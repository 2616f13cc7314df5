"""Who a lead marked on the live page may go to: the follow-up list's rule (``lead_assign``).

The province's officer gives a commune's person's lead (where they live, else their hall) to that
commune's officers, never another commune's, and a lead of no commune only to the province's; a
commune's officer on their commune's livestream, only to their commune's officers. The live page
reads its choices from its embedded config and the leads API, and saves through the comment's
lead route, which refuses anyone else whatever the page sends.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.followup.lead_work import update_lead
from app.models import Comment, Event, LeadWork, OrgUnit, User
from tests.app.events.provincial import communes
from tests.app.followup.part_world import part_world
from tests.app.live.commune_live import commune_live
from tests.conftest import HOME, Factory, csrf_token, login

pytestmark = pytest.mark.postgres  # the part's conditions on both databases

REFUSED = (
    "Không giao được việc liên hệ người này cho tài khoản đó: hãy chọn một cán bộ trong danh "
    "sách (xã chỉ giao cho cán bộ của chính xã mình)."
)
API_REFUSED = (
    "This lead cannot go to that user: choose one of the officers listed (a commune gives its "
    "leads to its own officers alone)."
)


def leads_config(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="leads-config">(.*?)</script>', html,
                      re.S)  # fmt: skip
    assert found, "no lead controls on the page"
    return json.loads(found.group(1))


def _holder(event_id: int, person_id: int) -> int | None:
    db.session.expire_all()
    return db.session.scalar(
        select(LeadWork.assignee_id).where(
            LeadWork.event_id == event_id, LeadWork.person_id == person_id
        )
    )


def _ids(users: list[dict[str, Any]]) -> set[int]:
    return {u["id"] for u in users}


def test_the_province_officer_gives_a_communes_lead_to_that_communes_officers_alone(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    mine, colleague = make.user("officer", world.mine.code), make.user("manager", world.mine.code)
    make.user("viewer", world.mine.code)  # sees, never holds a lead
    theirs = make.user("officer", world.theirs.code)
    province, province_colleague = make.user("officer", HOME), make.user("officer", HOME)
    comments = dict(db.session.execute(select(Comment.external_id, Comment.id)).all())
    login(client, province.email)
    page = f"/events/{world.event_id}/live"
    html = client.get(page).get_data(as_text=True)
    cfg = leads_config(html)
    assert _ids(cfg["assignees"]) == {province.id, province_colleague.id}
    home = db.session.scalar(select(OrgUnit.name).where(OrgUnit.code == HOME))
    assert cfg["organisers"] == f"Cán bộ đơn vị tổ chức ({home})"
    assert cfg["words"]["not_assignable"] == REFUSED

    # The cards' leads and the communes' officers offered for them, as the page's script asks.
    wanted = ",".join(str(comments[c]) for c in ("c1", "c2", "c3"))
    body = client.get(f"/api/v1/events/{world.event_id}/leads?comment_ids={wanted}").get_json()
    assert body["comments"][str(comments["c3"])]["person_id"] is None  # nobody registered yet
    assert body["lead_communes"] == {
        str(world.my_lead): [world.mine.id],
        str(world.their_lead): [world.theirs.id],
    }
    groups = {g["commune_id"]: _ids(g["assignees"]) for g in body["commune_assignees"]}
    assert groups == {world.mine.id: {mine.id, colleague.id}, world.theirs.id: {theirs.id}}

    headers = {"X-CSRFToken": csrf_token(client, page)}  # what the page's script sends
    url = f"/api/v1/events/{world.event_id}/comments"
    given = client.patch(f"{url}/{comments['c1']}/lead", json={"assignee_id": colleague.id},
                         headers=headers)  # fmt: skip
    assert given.status_code == 200, given.get_json()
    assert given.get_json()["assignee_name"] == colleague.email
    # Another commune's officer, as a tampered page would send: refused, the holder kept.
    refused = client.patch(f"{url}/{comments['c1']}/lead", json={"assignee_id": theirs.id},
                           headers=headers)  # fmt: skip
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"json": {"assignee_id": [API_REFUSED]}}
    assert _holder(world.event_id, world.my_lead) == colleague.id
    # A commenter of no known commune is the province's alone.
    stranger = client.patch(f"{url}/{comments['c3']}/lead", json={"assignee_id": mine.id},
                            headers=headers)  # fmt: skip
    assert stranger.status_code == 422
    assert db.session.scalar(select(LeadWork.id).where(LeadWork.assignee_id == mine.id)) is None
    kept = client.patch(f"{url}/{comments['c3']}/lead",
                        json={"assignee_id": province_colleague.id}, headers=headers)  # fmt: skip
    assert kept.status_code == 200
    assert kept.get_json()["assignee_id"] == province_colleague.id


def _commune_staff(make: Factory, unit: OrgUnit) -> tuple[User, User, User]:
    """The commune's officer and their colleague, and the province's officer."""
    return (
        make.user("officer", unit.code),
        make.user("officer", unit.code),
        make.user("officer", HOME),
    )


def test_a_commune_officer_on_their_communes_livestream_assigns_its_officers_alone(
    client: FlaskClient, make: Factory
) -> None:
    commune, other = communes()
    live = commune_live(make, commune)
    me, colleague, province = _commune_staff(make, commune)
    make.user("officer", other.code)
    login(client, me.email)
    page = f"/events/{live.event_id}/live"
    cfg = leads_config(client.get(page).get_data(as_text=True))
    assert _ids(cfg["assignees"]) == {me.id, colleague.id}
    body = client.get(
        f"/api/v1/events/{live.event_id}/leads?comment_ids={live.comment_id}"
    ).get_json()
    assert body["lead_communes"] == {str(live.person_id): [commune.id]}
    # The commune's own people: its officers are the organisers already, not a second group.
    assert body["commune_assignees"] == []

    headers = {"X-CSRFToken": csrf_token(client, page)}
    url = f"/api/v1/events/{live.event_id}/comments/{live.comment_id}/lead"
    refused = client.patch(url, json={"assignee_id": province.id}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"json": {"assignee_id": [API_REFUSED]}}
    given = client.patch(url, json={"assignee_id": colleague.id}, headers=headers)
    assert given.status_code == 200
    assert _holder(live.event_id, live.person_id) == colleague.id
    # The province sees the commune's event whole: its officer may take the lead.
    update_lead(db.session.get(Event, live.event_id), live.person_id, province,
                {"assignee_id": province.id})  # fmt: skip
    db.session.commit()
    assert _holder(live.event_id, live.person_id) == province.id
