"""Post channels through the real runner: Facebook posts and Zalo OA articles on the sandbox.

What is pinned: post samples and comments are stored; the slow post schedule reaches
``next_run_at``; a Zalo refresh token (single-use) rotated during a run is stored encrypted in
the account — also when the run then fails — so the next run does not spend a dead token; targets
of both kinds can be created through ``/api/v1/events/<id>/targets`` for a ``post`` event; and the
app refuses to start with a retired Facebook metric configured.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.auth.tokens import issue_token
from app.collection import runner
from app.config import TestConfig
from app.extensions import db
from app.followup.rights import erase_comments
from app.models import (
    Channel,
    Comment,
    EngagementSample,
    Platform,
    PlatformAccount,
    Target,
)
from collectors.facebook.metrics import MetricError
from sandbox import Sandbox
from tests.app.collection.conftest import Player

# Also on PostgreSQL: post samples upserted, a token rotation committed apart from a failed run.
pytestmark = pytest.mark.postgres


def _post_target(make: Any, sandbox: Sandbox, post_id: str) -> Target:
    page = sandbox.scenario.params.page_id
    account = make.account(
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        external_id=page,
    )
    event = make.event(title="Bài đăng fanpage", channel=Channel.POST)
    return make.target(event, account, kind="facebook_post", external_id=post_id)


def _run(player: Player, target_id: int) -> runner.RunResult:
    (result,) = runner.run_targets([target_id], clock=player.now, publish=player._publish)
    db.session.expire_all()
    return result


def _zalo_target(make: Any, sandbox: Sandbox, credentials: dict[str, str]) -> Target:
    account = make.account(platform=Platform.ZALO, name="Zalo OA BHXH", credentials=credentials)
    event = make.event(title="Bài viết Zalo: BHXH tự nguyện", channel=Channel.POST)
    return make.target(event, account, kind="zalo_article", external_id="z1")


@pytest.fixture
def zalo_urls(app: Flask, sandbox: Sandbox) -> None:
    app.config.update(ZALO_API_URL=sandbox.zalo_api_url, ZALO_OAUTH_URL=sandbox.zalo_oauth_url)


def test_facebook_post_samples_comments_and_slow_schedule(
    app: Flask, make: Any, sandbox: Sandbox, player: Player
) -> None:
    post = sandbox.facebook.seed_post("8001", created=0, comments=12, media_view=900,
                                      reactions={"LIKE": 40, "LOVE": 9}, shares=6)  # fmt: skip
    target = _post_target(make, sandbox, post.id)
    sandbox.advance(3600)
    assert _run(player, target.id).outcome == "ok"
    sandbox.advance(900)
    assert _run(player, target.id).outcome == "ok"  # twice: no duplicates
    rows = db.session.scalars(sa.select(EngagementSample).order_by(EngagementSample.sampled_at))
    samples = list(rows)
    assert len(samples) == 2
    last = samples[-1]
    assert (last.views, last.reactions_like, last.reactions_love, last.shares) == (900, 40, 9, 6)
    assert last.reactions_total == 49
    assert last.comments == 12
    stored = set(db.session.scalars(sa.select(Comment.external_id)))
    assert stored == {c.id for c in post.comments}
    target = db.session.get(Target, target.id)
    assert target.status == "published"
    scale = app.config.get("COLLECTOR_INTERVAL_SCALE", 1.0)
    expected = player.now() + timedelta(seconds=900 * scale)
    assert abs((target.next_run_at - expected).total_seconds()) < 1


def test_post_comments_deleted_or_hidden_leave_and_an_unhidden_one_comes_back(
    app: Flask, make: Any, sandbox: Sandbox, player: Player
) -> None:
    """Graph never reports a deletion: a later run re-reads the thread and the writer marks
    the comments it no longer lists; one the page unhid is shown again, and an erased one read
    again gets neither its text nor its author back."""
    post = sandbox.facebook.seed_post("8002", created=0, comments=10, comment_every=60)
    target = _post_target(make, sandbox, post.id)
    sandbox.advance(3600)
    assert _run(player, target.id).outcome == "ok"
    deleted, hidden, erased = post.comments[1], post.comments[3], post.comments[6]
    erase_comments(Comment.external_id == erased.id, player.now())
    db.session.commit()
    now = int(sandbox.clock.now())
    sandbox.facebook.change_post_comment(deleted.id, deleted_at=now)
    sandbox.facebook.change_post_comment(hidden.id, hidden_at=now)
    sandbox.advance(900)
    assert _run(player, target.id).outcome == "ok"
    assert _removed() == {deleted.id, hidden.id}
    kept = db.session.scalars(sa.select(Comment).where(Comment.external_id == erased.id)).one()
    assert (kept.message, kept.author_name, kept.phone, kept.deleted_at) == ("", "", None, None)

    sandbox.facebook.change_post_comment(hidden.id, hidden_at=None)
    sandbox.advance(900)
    assert _run(player, target.id).outcome == "ok"
    assert _removed() == {deleted.id}


def _removed() -> set[str]:
    removed = sa.select(Comment.external_id).where(Comment.deleted_at.is_not(None))
    return set(db.session.scalars(removed))


def test_zalo_token_rotation_is_stored_encrypted_in_the_account(
    app: Flask, make: Any, sandbox: Sandbox, player: Player, zalo_urls: None
) -> None:
    zalo = sandbox.zalo
    zalo.seed_article("z1", created=0, total_view=300, total_share=7)
    old = zalo.credentials()
    target = _zalo_target(make, sandbox, old)
    zalo.expire_tokens()
    sandbox.advance(60)
    result = _run(player, target.id)
    assert result.outcome == "ok", result.error
    account = db.session.get(PlatformAccount, target.account_id)
    assert account.credentials["refresh_token"] == zalo.refresh_token != old["refresh_token"]
    assert account.credentials["access_token"] == zalo.access_token
    assert account.credentials["secret_key"] == old["secret_key"]  # the rest is kept
    raw = db.session.execute(
        sa.text("SELECT credentials FROM platform_accounts WHERE id = :id"), {"id": account.id}
    ).scalar_one()
    assert zalo.refresh_token not in str(raw)  # encrypted at rest

    # The next run after the token dies again refreshes with the stored pair, not the spent one.
    zalo.expire_tokens()
    sandbox.advance(900)
    result = _run(player, target.id)
    assert result.outcome == "ok", result.error
    assert zalo.refreshes == 2
    assert old["refresh_token"] in zalo.spent
    views = list(db.session.scalars(sa.select(EngagementSample.views)))
    assert views == [300, 300]
    assert db.session.get(Target, target.id).paused_reason is None


def test_a_rotation_before_a_failed_run_is_still_stored(
    app: Flask, make: Any, sandbox: Sandbox, player: Player, zalo_urls: None
) -> None:
    zalo = sandbox.zalo
    zalo.seed_article("z1", created=0)
    target = _zalo_target(make, sandbox, zalo.credentials())
    zalo.fail_next("token_expired")
    zalo.fail_next("rate_limit")  # the call retried with the new token
    sandbox.advance(60)
    assert _run(player, target.id).outcome == "rate_limited"
    account = db.session.get(PlatformAccount, target.account_id)
    assert account.credentials["refresh_token"] == zalo.refresh_token
    sandbox.advance(600)
    assert _run(player, target.id).outcome == "ok"


def test_a_spent_refresh_token_pauses_the_account(
    app: Flask, make: Any, sandbox: Sandbox, player: Player, zalo_urls: None
) -> None:
    zalo = sandbox.zalo
    zalo.seed_article("z1", created=0)
    old = zalo.credentials()
    target = _zalo_target(make, sandbox, old)
    zalo.expire_tokens()
    sandbox.advance(60)
    assert _run(player, target.id).outcome == "ok"
    # Someone restores the old credentials by hand: Zalo refuses the spent refresh token.
    account = db.session.get(PlatformAccount, target.account_id)
    account.credentials = dict(old)
    db.session.commit()
    zalo.expire_tokens()
    sandbox.advance(900)
    result = _run(player, target.id)
    assert result.outcome == "auth_expired"
    assert "-14014" in result.error
    assert db.session.get(PlatformAccount, target.account_id).health == "auth_expired"


@pytest.mark.parametrize(
    ("kind", "platform"), [("facebook_post", Platform.FACEBOOK), ("zalo_article", Platform.ZALO)]
)
def test_post_targets_are_created_through_the_api(
    client: FlaskClient, make: Any, kind: str, platform: Platform
) -> None:
    officer = make.user("officer")
    headers = {"Authorization": f"Bearer {issue_token(officer)}"}
    db.session.commit()
    account = make.account(platform=platform, name="Kênh bài viết")
    event = make.event(title="Bài viết tháng 11", channel=Channel.POST)
    response = client.post(
        f"/api/v1/events/{event.id}/targets",
        json={"platform": kind, "external_id": "123_456", "account_id": account.id},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["platform"] == kind


def test_the_app_refuses_to_start_with_a_retired_metric(tmp_path: Path) -> None:
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}",
        INSTANCE_PATH=str(tmp_path / "instance"),
        FACEBOOK_POST_METRICS=("post_media_view", "post_impressions"),
    )
    with pytest.raises(MetricError, match="post_impressions was retired.*post_media_view"):
        create_app(config)
