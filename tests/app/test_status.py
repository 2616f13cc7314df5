"""Collection status in plain words, on /collection and in the API."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Platform
from tests.conftest import HOME, Factory


def test_status_page_and_api_explain_a_paused_account(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    account = make.account(HOME, name="Fanpage hết hạn", health="auth_expired")
    event = make.event(HOME, title="Live tối nay")
    make.target(event, account, paused_reason="auth_expired", last_error="token expired (code 190)")
    healthy = make.account(HOME, name="Kênh ổn", rate_limit_usage={"usage_pct": 42})
    make.account(HOME, name="Kênh YouTube", rate_limit_usage={"quota_units": 475,
                                                            "quota_limit": 10_000})  # fmt: skip
    make.target(event, healthy, external_id="2", status="live")
    user = logged_in("viewer")
    html = client.get("/collection").get_data(as_text=True)
    assert "Mã truy cập đã hết hạn: cần cấp quyền lại cho tài khoản này" in html
    assert "Tạm dừng: mã truy cập của tài khoản đã hết hạn" in html
    assert "token expired (code 190)" in html
    assert "Đang phát trực tiếp: đang thu thập" in html
    assert "42 %" in html
    assert '"Hạn mức YouTube đã dùng hôm nay">475 / 10.000</td>' in html  # of the day's allowance
    assert '"Hạn mức nền tảng đã dùng">—</td>' in html  # an account with no such allowance
    # No title known yet: named by its kind, linked to the address rebuilt from its id.
    assert (
        '<a class="object-title" href="https://www.facebook.com/2" target="_blank" '
        'rel="noopener noreferrer">Video trực tiếp Facebook</a>'
    ) in html
    assert "facebook_live" not in html
    assert '<td data-label="Nền tảng">Facebook</td>' in html
    assert ">facebook</td>" not in html
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    targets = client.get(f"/api/v1/events/{event.id}/targets", headers=headers).get_json()
    states = {t["external_id"]: t["state"] for t in targets}
    assert states == {
        "1": "Paused: the account's access token expired",
        "2": "Live: collecting",
    }
    accounts = client.get("/api/v1/accounts", headers=headers).get_json()
    assert {a["name"]: a["health"] for a in accounts} == {
        "Fanpage hết hạn": "auth_expired",
        "Kênh ổn": "ok",
        "Kênh YouTube": "ok",
    }
    assert all("credentials" not in a for a in accounts)


def test_status_page_names_each_object_by_its_title_the_ids_folded(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    """An officer knows an object by its title, not by the platform's id: /collection lists it
    as the event page does (title linked to its permalink, its kind and platform in words), the
    platform's id only in the technical fold; an object of unknown title is named by its kind."""
    account = make.account(HOME, name="Fanpage BHXH")
    event = make.event(HOME, title="Hội nghị đối thoại tháng 12")
    make.target(event, account, external_id="101796681214", status="live",
                title="Đối thoại trực tuyến về BHXH tự nguyện",
                url="https://www.facebook.com/bhxh/videos/987654321/")  # fmt: skip
    youtube = make.account(HOME, name="Kênh YouTube", platform=Platform.YOUTUBE)
    make.target(event, youtube, kind="youtube_live", external_id="dQw4w9WgXcQ")
    logged_in("viewer")
    html = client.get("/collection").get_data(as_text=True)
    main = html.split("<main", 1)[1]
    visible = re.sub(r'<details class="technical">.*?</details>', "", main, flags=re.S)
    assert (
        '<a class="object-title" href="https://www.facebook.com/bhxh/videos/987654321/" '
        'target="_blank" rel="noopener noreferrer">Đối thoại trực tuyến về BHXH tự nguyện</a>'
    ) in visible
    assert "Video trực tiếp Facebook" in visible  # the kind and platform, in words
    assert (  # no title yet: its kind, linked to the address rebuilt from its id
        '<a class="object-title" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" '
        'target="_blank" rel="noopener noreferrer">Phát trực tiếp YouTube</a>'
    ) in visible
    assert f'href="/events/{event.id}">Hội nghị đối thoại tháng 12</a>' in visible
    text = re.sub(r"<[^>]*>", " ", visible)  # the ids live in the links' addresses alone
    for raw in ("101796681214", "dQw4w9WgXcQ", "facebook_live", "youtube_live"):
        assert raw not in text
    assert "Mã trên nền tảng: 101796681214" in main  # in the fold, for an administrator
    assert "Mã trên nền tảng: dQw4w9WgXcQ" in main


def test_facebook_objects_without_a_permalink_link_to_the_address_rebuilt_from_their_id(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    """A post's id is "<page id>_<post id>" (the sandbox's permalink for it is
    facebook.com/<page id>/posts/<post id>); a live is its LiveVideo id, which facebook.com opens
    as it is. Neither had a link when the platform gave no permalink."""
    account = make.account(HOME, name="Fanpage BHXH Nghệ An")
    event = make.event(HOME, title="Tuần lễ BHYT")
    make.target(event, account, kind="facebook_post", external_id="104857601234567_8812345678",
                status="published")  # fmt: skip
    make.target(event, account, kind="facebook_live", external_id="1029384756", status="live")
    make.target(event, account, kind="facebook_post", external_id="not-a-post-id")
    logged_in("viewer")
    html = client.get("/collection").get_data(as_text=True)
    links = re.findall(r'<a class="object-title" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert sorted(links) == [
        ("https://www.facebook.com/1029384756", "Video trực tiếp Facebook"),
        ("https://www.facebook.com/104857601234567/posts/8812345678", "Bài viết Facebook"),
    ], links
    assert '<span class="object-title">Bài viết Facebook</span>' in html  # no id to rebuild from
