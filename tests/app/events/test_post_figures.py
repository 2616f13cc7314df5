"""A post event's page shows its reach beside its views: "Số người tiếp cận", or "chưa có"
while Facebook has not served it."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.testing import FlaskClient

from app.extensions import db
from app.models import Channel, EngagementSample
from tests.conftest import Factory


def test_a_post_shows_its_reach(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    post = make.event(title="Bài viết fanpage", channel=Channel.POST)
    target = make.target(post, make.account(), kind="facebook_post", external_id="55_66")
    html = client.get(f"/events/{post.id}").get_data(as_text=True)
    assert '<dd class="post-reach">chưa có</dd>' in html
    read_at = datetime(2026, 11, 25, tzinfo=UTC)
    reach = {"post_total_media_view_unique": 4321}
    db.session.add(
        EngagementSample(target_id=target.id, sampled_at=read_at, views=12345, extra=reach)
    )
    db.session.commit()
    html = client.get(f"/events/{post.id}").get_data(as_text=True)
    assert ">Số người tiếp cận</dt>" in html
    assert '<dd class="post-reach">4.321</dd>' in html
    assert "số người được hiển thị bài viết" in html  # what the reach counts


def test_a_livestream_shows_no_reach(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    live = make.event(title="Livestream tháng 11")
    make.target(live, make.account(), external_id="live-1")
    assert "Số người tiếp cận" not in client.get(f"/events/{live.id}").get_data(as_text=True)
