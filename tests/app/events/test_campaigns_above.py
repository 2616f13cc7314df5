"""A campaign run by a unit above the user's: the province's campaign seen from its communes.

Nghệ An (40) runs "BHXH tự nguyện Q4/2026"; Xã Anh Sơn (17329) holds a conference in it and runs
a small campaign of its own; its neighbour Xã Anh Sơn Đông (17365) runs one too, and Huế (46) its
own. Anh Sơn's users see the province's campaign (marked as the province's), may put their events
in it and open its report in part, but may not change it (403, no edit link); the neighbour's and
Huế's campaigns stay out of sight (404), on the pages and in the API alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Campaign, Event
from app.scoping import campaigns_seen, get_campaign_view
from tests.app.events.provincial import stop_clock
from tests.conftest import HOME, OTHER, Factory, csrf_token, login

ANH_SON, ANH_SON_DONG = "17329", "17365"
PROVINCE_CAMPAIGN = "BHXH tự nguyện Q4/2026"
RUN_BY_PROVINCE = "Do Tỉnh Nghệ An tổ chức"


@dataclass(frozen=True)
class Campaigns:
    province: int
    mine: int  # Xã Anh Sơn's own
    neighbour: int  # Xã Anh Sơn Đông's
    elsewhere: int  # Huế's
    conference: int  # Anh Sơn's conference in the province's campaign


@pytest.fixture
def world(app, make: Factory) -> Campaigns:
    province = make.campaign(HOME, name=PROVINCE_CAMPAIGN, goal=1700)
    mine = make.campaign(ANH_SON, name="Tuyên truyền chợ phiên Anh Sơn", goal=40)
    neighbour = make.campaign(ANH_SON_DONG, name="Chiến dịch riêng Anh Sơn Đông", goal=30)
    elsewhere = make.campaign(OTHER, name="Chiến dịch Huế", goal=900)
    conference = make.event(ANH_SON, title="Hội nghị xã Anh Sơn", channel="online_conference",
                            campaign=province,
                            planned_start=datetime(2026, 11, 20, 1, tzinfo=UTC))  # fmt: skip
    return Campaigns(province.id, mine.id, neighbour.id, elsewhere.id, conference.id)


def rows(html: str) -> dict[int, str]:
    """The campaign list's rows by campaign id."""
    return {
        int(i): row for i, row in re.findall(r'<tr data-campaign="(\d+)">(.*?)</tr>', html, re.S)
    }


def test_scoping_sees_the_units_above_never_the_siblings(world: Campaigns, make: Factory) -> None:
    officer = make.user("officer", ANH_SON)
    seen = set(db.session.scalars(campaigns_seen(sa.select(Campaign.id), officer)))
    assert seen == {world.province, world.mine}
    assert get_campaign_view(world.province, officer).whole is False
    assert get_campaign_view(world.mine, officer).whole is True
    province_manager = make.user("manager", HOME)
    seen = set(db.session.scalars(campaigns_seen(sa.select(Campaign.id), province_manager)))
    assert seen == {world.province, world.mine, world.neighbour}
    assert get_campaign_view(world.province, province_manager).whole is True


def test_the_commune_lists_the_provinces_campaign_marked(
    client: FlaskClient, world: Campaigns, make: Factory
) -> None:
    login(client, make.user("manager", ANH_SON).email)
    html = client.get("/campaigns").get_data(as_text=True)
    assert "Chưa có chiến dịch nào" not in html
    listed = rows(html)
    assert set(listed) == {world.province, world.mine}
    assert PROVINCE_CAMPAIGN in listed[world.province]
    assert RUN_BY_PROVINCE in listed[world.province]
    assert f"/campaigns/{world.province}/edit" not in html  # not theirs to change
    assert RUN_BY_PROVINCE not in listed[world.mine]
    assert f"/campaigns/{world.mine}/edit" in listed[world.mine]
    assert "Chiến dịch riêng Anh Sơn Đông" not in html
    assert "Chiến dịch Huế" not in html


def test_the_neighbour_sees_the_province_not_anh_sons(
    client: FlaskClient, world: Campaigns, make: Factory
) -> None:
    login(client, make.user("officer", ANH_SON_DONG).email)
    listed = rows(client.get("/campaigns").get_data(as_text=True))
    assert set(listed) == {world.province, world.neighbour}
    assert client.get(f"/reports/campaigns/{world.mine}").status_code == 404
    assert client.get(f"/reports/campaigns/{world.province}").status_code == 200
    choices = client.get("/events/new").get_data(as_text=True)
    assert "Tuyên truyền chợ phiên Anh Sơn" not in choices


def test_choosing_the_provinces_campaign_for_a_new_event_saves_it(
    client: FlaskClient, world: Campaigns, make: Factory
) -> None:
    login(client, make.user("officer", ANH_SON).email)
    form = client.get("/events/new").get_data(as_text=True)
    option = re.search(rf'<option value="{world.province}">([^<]*)</option>', form)
    assert option, "the province's campaign is not offered"
    assert option.group(1) == f"{PROVINCE_CAMPAIGN} (do Tỉnh Nghệ An tổ chức)"
    assert f'<option value="{world.neighbour}">' not in form
    token = csrf_token(client, "/events/new")
    response = client.post("/events/new", data={
        "csrf_token": token, "title": "Livestream xã Anh Sơn tháng 12", "channel": "livestream",
        "status": "scheduled", "org_unit": ANH_SON, "campaign_id": str(world.province),
        "planned_start": "05/12/2030 19:30",
    })  # fmt: skip
    assert response.status_code == 302
    event = db.session.scalars(
        sa.select(Event).where(Event.title == "Livestream xã Anh Sơn tháng 12")
    ).one()
    assert event.campaign_id == world.province
    assert event.org_unit.code == ANH_SON


def test_a_neighbours_campaign_cannot_be_chosen(
    client: FlaskClient, world: Campaigns, make: Factory
) -> None:
    login(client, make.user("officer", ANH_SON).email)
    token = csrf_token(client, "/events/new")
    response = client.post("/events/new", data={
        "csrf_token": token, "title": "Sự kiện lạc", "channel": "livestream",
        "status": "scheduled", "org_unit": ANH_SON, "campaign_id": str(world.neighbour),
    })  # fmt: skip
    assert response.status_code == 422
    assert db.session.scalar(sa.select(Event.id).where(Event.title == "Sự kiện lạc")) is None


def test_the_commune_may_not_edit_the_provinces_campaign(
    client: FlaskClient, world: Campaigns, make: Factory
) -> None:
    login(client, make.user("manager", ANH_SON).email)
    assert client.get(f"/campaigns/{world.province}/edit").status_code == 403
    token = csrf_token(client, "/campaigns")
    posted = client.post(f"/campaigns/{world.province}/edit", data={
        "csrf_token": token, "name": "Đổi tên", "org_unit": ANH_SON, "scheme": "bhxh_tu_nguyen",
        "starts_on": "01/10/2026", "ends_on": "31/12/2026", "goal": "1",
        "attribution_window_days": "90",
    })  # fmt: skip
    assert posted.status_code == 403
    assert "Bạn không có quyền" in posted.get_data(as_text=True)
    assert client.get(f"/campaigns/{world.neighbour}/edit").status_code == 404
    assert client.get(f"/campaigns/{world.mine}/edit").status_code == 200
    db.session.expire_all()
    campaign = db.session.get(Campaign, world.province)
    assert (campaign.name, campaign.goal, campaign.org_unit.code) == (PROVINCE_CAMPAIGN, 1700, HOME)


def test_the_api_lists_and_uses_the_provinces_campaign_but_refuses_changes(
    client: FlaskClient, world: Campaigns, make: Factory
) -> None:
    user = make.user("manager", ANH_SON)
    headers = {"Authorization": f"Bearer {issue_token(user)}"}
    db.session.commit()
    listing = client.get("/api/v1/campaigns?per_page=100", headers=headers).get_json()
    assert {c["id"] for c in listing["items"]} == {world.province, world.mine}
    one = client.get(f"/api/v1/campaigns/{world.province}", headers=headers)
    assert one.status_code == 200
    assert one.get_json()["org_unit"] == HOME
    refused = client.patch(f"/api/v1/campaigns/{world.province}", json={"goal": 1},
                           headers=headers)  # fmt: skip
    assert refused.status_code == 403
    assert refused.get_json()["message"].startswith("This campaign is run by a unit above yours")
    hidden = client.patch(f"/api/v1/campaigns/{world.neighbour}", json={"goal": 1},
                          headers=headers)  # fmt: skip
    assert hidden.status_code == 404
    assert client.get(f"/api/v1/campaigns/{world.elsewhere}", headers=headers).status_code == 404
    created = client.post("/api/v1/events", headers=headers, json={
        "title": "Bài viết xã Anh Sơn", "channel": "post", "org_unit": ANH_SON,
        "campaign_id": world.province,
    })  # fmt: skip
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["campaign_id"] == world.province
    db.session.expire_all()
    assert db.session.get(Campaign, world.province).goal == 1700


def test_the_home_screen_shows_the_provinces_campaign_running(
    client: FlaskClient, world: Campaigns, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch)  # 25/11/2026: inside the campaign's dates (01/10 to 31/12)
    login(client, make.user("officer", ANH_SON).email)
    html = client.get("/").get_data(as_text=True)
    assert "Hôm nay không có chiến dịch nào đang chạy" not in html
    card = re.search(rf'<div class="card campaign" data-campaign="{world.province}">(.*?)</div>',
                     html, re.S)  # fmt: skip
    assert card, "the province's campaign is not shown as running"
    assert RUN_BY_PROVINCE in card.group(1)
    assert "người tham gia mới tại Xã Anh Sơn" in card.group(1)
    assert f'data-campaign="{world.neighbour}"' not in html
