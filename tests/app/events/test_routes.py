"""Event and campaign pages: forms in Vietnamese, dd/mm/yyyy, 1.700, filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Campaign, Event, OrgKind, OrgUnit
from app.orgunits import COUNTRY_CODE
from tests.conftest import HOME, OTHER, Factory, csrf_token


def test_create_event_through_the_form(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("officer")
    campaign = make.campaign(HOME)
    token = csrf_token(client, "/events/new")
    response = client.post(
        "/events/new",
        data={
            "csrf_token": token,
            "title": "Hội nghị trực tuyến 39 điểm cầu",
            "channel": "online_conference",
            "status": "scheduled",
            "org_unit": HOME,
            "campaign_id": str(campaign.id),
            "planned_start": "25/11/2030 08:00",
            "planned_end": "25/11/2030 11:30",
            "cost_vnd": "15000000",
        },
    )
    assert response.status_code == 302
    event = db.session.scalars(sa.select(Event)).one()
    assert event.planned_start == datetime(2030, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    assert event.campaign_id == campaign.id
    page = client.get(response.location).get_data(as_text=True)
    assert "25/11/2030 08:00" in page
    assert "15.000.000" in page
    assert "Hội nghị trực tuyến" in page


def home_and_a_commune() -> tuple[OrgUnit, OrgUnit]:
    """The users' province and its first commune by code."""
    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    stmt = sa.select(OrgUnit).where(OrgUnit.parent_id == province.id).order_by(OrgUnit.code)
    commune = db.session.scalars(stmt).first()
    assert commune is not None
    return province, commune


def test_the_event_page_names_its_unit_not_its_code(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """A commune's event says which commune and province by name, as an officer reads them."""
    logged_in("officer")
    province, commune = home_and_a_commune()
    for unit, shown in ((commune, f"{commune.name} · {province.name}"), (province, province.name)):
        event = make.event(unit.code, title="Hội nghị tại xã")
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        held = re.search(r"<dt>Đơn vị</dt><dd>(.*?)</dd>", page).group(1)  # type: ignore[union-attr]
        assert held == shown
        assert unit.code not in held


def test_form_errors_are_vietnamese_and_nothing_is_written(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    response = client.post(
        "/events/new",
        data={
            "csrf_token": token,
            "title": "",
            "channel": "livestream",
            "status": "scheduled",
            "org_unit": OTHER,
            "campaign_id": "",
            "planned_start": "2026-11-25",
            "cost_vnd": "-1",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Trường này là bắt buộc." in html
    assert "Thời gian không hợp lệ (định dạng dd/mm/yyyy hh:mm)." in html
    assert "Ghi một số từ 0 đến 1.000.000.000.000." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_unit_outside_scope_is_named_in_the_form(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    response = client.post(
        "/events/new",
        data={"csrf_token": token, "title": "x", "channel": "post", "status": "scheduled",
              "org_unit": OTHER, "campaign_id": ""},
    )  # fmt: skip
    assert response.status_code == 422
    assert f"Không có đơn vị với mã {OTHER}" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_end_before_start_is_refused(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    response = client.post(
        "/events/new",
        data={"csrf_token": token, "title": "x", "channel": "post", "status": "scheduled",
              "org_unit": HOME, "campaign_id": "", "planned_start": "25/11/2026 10:00",
              "planned_end": "25/11/2026 09:00"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Thời điểm kết thúc không được trước" in response.get_data(as_text=True)


def test_end_before_start_is_said_with_the_other_errors_at_once(
    client: FlaskClient, logged_in
) -> None:
    """Not only after the title and the cost are fixed: one submission, every problem."""
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    response = client.post(
        "/events/new",
        data={"csrf_token": token, "title": "", "channel": "post", "status": "scheduled",
              "org_unit": HOME, "campaign_id": "", "planned_start": "25/11/2026 10:00",
              "planned_end": "25/11/2026 09:00", "cost_vnd": "-5"},
    )  # fmt: skip
    assert response.status_code == 422
    errors = re.findall(
        r'<small class="error" role="alert">(.*?)</small>', response.get_data(as_text=True)
    )
    assert len(errors) == 3, errors
    assert any("Thời điểm kết thúc không được trước" in e for e in errors)


def test_edit_event_keeps_its_id(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("officer")
    event = make.event(HOME, title="Cũ", planned_start=datetime(2026, 11, 1, 13, tzinfo=UTC))
    form = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="01/11/2026 20:00"' in form  # shown in Vietnamese local time
    token = csrf_token(client, f"/events/{event.id}/edit")
    response = client.post(
        f"/events/{event.id}/edit",
        data={"csrf_token": token, "title": "Mới", "channel": "livestream", "status": "live",
              "org_unit": HOME, "campaign_id": "", "planned_start": "01/11/2026 20:00"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Event, event.id)
    assert (changed.title, changed.status.value) == ("Mới", "live")
    assert changed.planned_start == datetime(2026, 11, 1, 13, tzinfo=UTC)


def test_event_list_filters(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    make.event(HOME, title="Live tháng 10", planned_start=datetime(2026, 10, 5, 13, tzinfo=UTC))
    make.event(HOME, title="Bài viết tháng 11", channel="post",
               planned_start=datetime(2026, 11, 5, 2, tzinfo=UTC))  # fmt: skip
    html = client.get("/events?channel=post").get_data(as_text=True)
    assert "Bài viết tháng 11" in html
    assert "Live tháng 10" not in html
    html = client.get("/events?date_from=01/10/2026&date_to=31/10/2026").get_data(as_text=True)
    assert "Live tháng 10" in html
    assert "Bài viết tháng 11" not in html
    html = client.get("/events?date_from=2026-10-01").get_data(as_text=True)
    assert "Ngày không hợp lệ" in html


def test_event_list_filters_by_a_unit_chosen_by_name(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("viewer")
    province, commune = home_and_a_commune()
    make.event(HOME, title="Livestream của tỉnh")
    make.event(commune.code, title="Hội nghị của xã")
    html = client.get("/events").get_data(as_text=True)
    units = re.search(r'<select id="org_unit" name="org_unit">(.*?)</select>', html, re.S)
    assert units is not None
    options = re.findall(r'<option (?:selected )?value="([^"]*)">([^<]*)</option>', units.group(1))
    assert options[:2] == [("", "Tất cả"), (HOME, province.name)]
    assert (commune.code, commune.name) in options
    assert len(options) == 2 + 130  # Nghệ An's communes after the 2025 reform, by name
    html = client.get(f"/events?org_unit={commune.code}").get_data(as_text=True)
    assert "Hội nghị của xã" in html
    assert "Livestream của tỉnh" not in html
    html = client.get(f"/events?org_unit={OTHER}").get_data(as_text=True)  # not theirs
    assert "Livestream của tỉnh" in html
    assert "Hội nghị của xã" in html


def test_a_country_user_filters_events_by_province(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """The whole country's user picks among the provinces, not thousands of communes."""
    logged_in("viewer", COUNTRY_CODE)
    province, _ = home_and_a_commune()
    html = client.get("/events").get_data(as_text=True)
    units = re.search(r'<select id="org_unit" name="org_unit">(.*?)</select>', html, re.S)
    assert units is not None
    codes = re.findall(r'<option (?:selected )?value="([^"]*)">', units.group(1))
    provinces = db.session.scalars(
        sa.select(OrgUnit.code).where(OrgUnit.kind == OrgKind.PROVINCE)
    ).all()
    assert codes[:2] == ["", COUNTRY_CODE]
    assert sorted(codes[2:]) == sorted(provinces)
    assert province.code in codes


def test_create_campaign_through_the_form(client: FlaskClient, logged_in) -> None:
    logged_in("manager")
    token = csrf_token(client, "/campaigns/new")
    response = client.post(
        "/campaigns/new",
        data={"csrf_token": token, "name": "BHXH tự nguyện Q4", "org_unit": HOME,
              "scheme": "bhxh_tu_nguyen", "starts_on": "01/10/2026", "ends_on": "31/12/2026",
              "goal": "1700", "attribution_window_days": "60"},
    )  # fmt: skip
    assert response.status_code == 302
    campaign = db.session.scalars(sa.select(Campaign)).one()
    assert (campaign.starts_on, campaign.ends_on) == (date(2026, 10, 1), date(2026, 12, 31))
    assert campaign.attribution_window_days == 60
    html = client.get("/campaigns").get_data(as_text=True)
    assert "01/10/2026 – 31/12/2026" in html
    assert "1.700" in html


def test_english_numbers_use_commas(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    make.campaign(HOME, goal=1700)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/campaigns")})
    html = client.get("/campaigns").get_data(as_text=True)
    assert "1,700" in html
    assert "01/10/2026" in html  # dates stay dd/mm/yyyy


def test_a_zoom_conference_page_shows_no_viewer_figures(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """A meeting has no viewers: "Đang xem 0, Đỉnh người xem 0" beside its halls would be wrong."""
    from app.models import Channel, Platform

    logged_in("viewer")
    meeting = make.event(title="Hội nghị trực tuyến", channel=Channel.ONLINE_CONFERENCE)
    make.target(meeting, make.account(platform=Platform.ZOOM), kind="zoom_meeting")
    relayed = make.event(title="Hội nghị phát trực tiếp", channel=Channel.ONLINE_CONFERENCE)
    make.target(relayed, make.account(), kind="facebook_live", external_id="2")
    assert "Đang xem" not in client.get(f"/events/{meeting.id}").get_data(as_text=True)
    assert "Đang xem" in client.get(f"/events/{relayed.id}").get_data(as_text=True)


def test_a_post_shows_its_own_figures_without_the_live_only_ones(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """A fanpage post has no live audience: no "Đang xem", no peak, no viewers chart, no note
    about a video being opened; its views, reactions, comments and shares stay."""
    from app.models import Channel

    logged_in("viewer")
    post = make.event(title="Bài viết fanpage", channel=Channel.POST)
    make.target(post, make.account(), kind="facebook_post", external_id="55_66")
    html = client.get(f"/events/{post.id}").get_data(as_text=True)
    for gone in ("Đang xem", "Đỉnh người xem", "video được mở", "Theo dõi trực tiếp"):
        assert gone not in html
    for kept in ("Lượt xem", "Cảm xúc", "Bình luận", "Chia sẻ", "Số liệu và bình luận bài viết"):
        assert kept in html
    assert "số lượt bài viết được nhìn thấy" in html  # what a post's views are
    live = client.get(f"/events/{post.id}/live").get_data(as_text=True)
    for gone in ("Đang xem", "Đỉnh người xem", 'id="chart-viewers"'):
        assert gone not in live
    assert 'data-key="views"' in live
    assert 'data-key="comments"' in live
