"""A fanpage post under way on the home screen: its own figures (views, reach, reactions, shares,
comments), never "Đang xem" or "Đỉnh người xem", which a post does not have."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Channel, EngagementSample, EventStatus
from tests.app.events.provincial import stop_clock
from tests.app.home.conftest import NOW, vn
from tests.app.home.test_routes import section
from tests.conftest import HOME, Factory, login

pytestmark = pytest.mark.postgres  # the reach is read from JSON, each database its own way


def _card(client: FlaskClient, event_id: int) -> str:
    now = section(client.get("/").get_data(as_text=True), "under-way")
    found = re.search(rf'<article class="card now" data-event="{event_id}">(.*?)</article>', now,
                      re.S)  # fmt: skip
    assert found, now
    return found.group(1)


def _figure(card: str, key: str) -> str:
    found = re.search(rf'data-key="{key}"><dt[^>]*>([^<]+)</dt><dd>([^<]*)</dd>', card)
    assert found, (key, card)
    return f"{found.group(1)}: {found.group(2)}"


def test_a_post_card_shows_the_posts_figures(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = make.event(HOME, title="Bài viết hướng dẫn BHXH tự nguyện", channel=Channel.POST,
                      status=EventStatus.LIVE, planned_start=vn(25, 8),
                      actual_start=vn(25, 8))  # fmt: skip
    target = make.target(post, make.account(), kind="facebook_post", external_id="55_66")
    db.session.add(EngagementSample(target_id=target.id, sampled_at=vn(25, 9, 30), views=12345,
                                    reactions_total=210, shares=17, live_viewers=None,
                                    extra={"post_total_media_view_unique": 4321}))  # fmt: skip
    db.session.commit()
    stop_clock(monkeypatch, NOW)
    login(client, make.user("officer", HOME).email)
    card = _card(client, post.id)
    for gone in (
        "Đang xem",
        "Đỉnh người xem",
        'data-key="live_viewers"',
        'data-key="peak_viewers"',
    ):
        assert gone not in card
    assert _figure(card, "views") == "Lượt xem: 12.345"
    assert _figure(card, "reach") == "Số người tiếp cận: 4.321"
    assert _figure(card, "reactions") == "Cảm xúc: 210"
    assert _figure(card, "shares") == "Chia sẻ: 17"
    assert _figure(card, "comments") == "Bình luận: 0"


def test_a_post_not_read_yet_says_so(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = make.event(HOME, title="Bài viết mới đăng", channel=Channel.POST,
                      status=EventStatus.LIVE, planned_start=vn(25, 8),
                      actual_start=vn(25, 8))  # fmt: skip
    make.target(post, make.account(), kind="facebook_post", external_id="55_77")
    stop_clock(monkeypatch, NOW)
    login(client, make.user("officer", HOME).email)
    card = _card(client, post.id)
    assert _figure(card, "views") == "Lượt xem: chưa có"
    assert _figure(card, "reach") == "Số người tiếp cận: chưa có"
