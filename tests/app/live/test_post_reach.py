"""A post's reach (Facebook's ``post_total_media_view_unique``, kept in the sample's ``extra``)
in the event's summary: the latest value served, added up over the event's posts, and None —
"not yet read", never 0 — while no read brought it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.live.summary import event_summary
from app.models import Channel, EngagementSample
from tests.conftest import Factory

pytestmark = pytest.mark.postgres  # the JSON is read by each database its own way


def _at(minute: int) -> datetime:
    return datetime(2026, 11, 25, 3, minute, tzinfo=UTC)


def test_the_latest_reach_of_each_post_added_up(app, make: Factory) -> None:
    post = make.event(title="Bài viết fanpage", channel=Channel.POST)
    account = make.account()
    first = make.target(post, account, kind="facebook_post", external_id="55_66")
    second = make.target(post, account, kind="facebook_post", external_id="55_77")
    db.session.add_all([
        EngagementSample(target_id=first.id, sampled_at=_at(0), views=900,
                         extra={"post_total_media_view_unique": 400}),
        # A later read without the insight (refused that time) keeps the earlier reach.
        EngagementSample(target_id=first.id, sampled_at=_at(5), views=1000, extra={}),
        EngagementSample(target_id=second.id, sampled_at=_at(0), views=50,
                         extra={"post_total_media_view_unique": 12.0}),  # a float as served
        EngagementSample(target_id=second.id, sampled_at=_at(5), views=60,
                         extra={"post_total_media_view_unique": 31}),
    ])  # fmt: skip
    db.session.commit()
    summary = event_summary(post.id)
    assert summary.reach == 431
    assert [t.reach for t in summary.targets] == [400, 31]
    assert summary.views == 1060


def test_no_reach_read_is_none(app, make: Factory) -> None:
    post = make.event(title="Bài viết fanpage", channel=Channel.POST)
    target = make.target(post, make.account(), kind="facebook_post", external_id="55_66")
    db.session.add(EngagementSample(target_id=target.id, sampled_at=_at(0), views=9, extra={}))
    db.session.commit()
    assert event_summary(post.id).reach is None


@pytest.mark.committing
def test_a_web_process_reads_the_reach_compiled(app, make: Factory) -> None:
    """As a web process reads (the pool's own connections, ``app.prepared``): the key of the
    JSON is a parameter bound by name like the others."""
    from app import prepared

    post = make.event(title="Bài viết fanpage", channel=Channel.POST)
    target = make.target(post, make.account(), kind="facebook_post", external_id="55_66")
    db.session.add(EngagementSample(target_id=target.id, sampled_at=_at(0), views=9,
                                    extra={"post_total_media_view_unique": 7}))  # fmt: skip
    db.session.commit()
    assert prepared.engine() is not None
    assert event_summary(post.id).reach == 7
    assert event_summary(post.id).reach == 7  # compiled once, bound again
