"""Every poll that reads an object's title keeps the target's title as the platform says it now,
whichever the platform: a live renamed after its link was checked, or tracked before titles were
kept, is named right on the event page and /collection after its next poll. The collectors say it
in their ``Batch`` (YouTube's ``videos.list`` snippet, Zoom's topic, Teams' subject, the
BigBlueButton meeting's name, the Zalo article's title); the writer keeps it, as for Facebook.
Against the sandbox's platforms over loopback HTTP, through the real runner, on both databases.
"""

from __future__ import annotations

import pytest
from flask import Flask

from app.collection import runner
from app.collection.targets import add_target
from app.extensions import db
from app.models import Channel, Platform, Target
from sandbox import Sandbox
from sandbox.conferences import TARGET_KINDS
from tests.app.collection import pasted
from tests.app.collection.pasted import connect_all
from tests.conftest import Factory

pytestmark = pytest.mark.postgres
served, sandbox = pasted.served, pasted.sandbox

STALE = "Tên cũ, trước khi đổi"
YOUTUBE_PAGE = "https://www.youtube.com/watch?v="


def poll(target_id: int, sandbox: Sandbox, t: float) -> Target:
    """One run of the target with the sandbox at ``t``; the target as stored after it."""
    sandbox.clock.set(t)
    at = sandbox.scenario.datetime_at(t)  # the conference plays on the same epoch
    [result] = runner.run_targets([target_id], clock=lambda: at, publish=lambda *a: None)
    assert result.outcome == "ok", result
    db.session.expire_all()
    return db.session.get(Target, target_id)


def test_a_youtube_poll_renames_the_target_and_keeps_its_link(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    accounts = connect_all(make, sandbox)
    p = sandbox.scenario.params
    event = make.event(channel=Channel.LIVESTREAM)
    page = YOUTUBE_PAGE + p.youtube_video_id
    target = add_target(event.id, "youtube_live", p.youtube_video_id, title=STALE, url=page,
                        account_id=accounts["youtube"].id)  # fmt: skip
    db.session.commit()
    target = poll(target.id, sandbox, sandbox.scenario.live_start + 120)
    assert target.status == "live"
    assert (target.title, target.url) == (p.title, page)
    target.title = target.url = None  # a target from before titles were kept
    db.session.commit()
    target = poll(target.id, sandbox, sandbox.scenario.live_start + 180)
    # YouTube says no link: a video's address is built from its id, as a pasted one's is
    assert (target.title, target.url) == (p.title, page)


@pytest.mark.parametrize("platform", ["zoom", "teams", "bbb"])
def test_a_meeting_poll_renames_the_target(
    app: Flask, make: Factory, sandbox: Sandbox, platform: str
) -> None:
    accounts = connect_all(make, sandbox)
    conference = sandbox.conferences.conference
    event = make.event(channel=Channel.ONLINE_CONFERENCE)
    target = add_target(event.id, TARGET_KINDS[platform], sandbox.conferences.external_id(platform),
                        title=STALE, account_id=accounts[platform].id)  # fmt: skip
    db.session.commit()
    target = poll(target.id, sandbox, conference.start + 600)  # under way
    assert target.title == conference.params.title


def test_a_zalo_poll_renames_the_article(app: Flask, make: Factory, sandbox: Sandbox) -> None:
    app.config.update(ZALO_API_URL=sandbox.zalo_api_url, ZALO_OAUTH_URL=sandbox.zalo_oauth_url)
    sandbox.zalo.seed_article("z1", created=0, total_view=120, title="Hướng dẫn gia hạn thẻ BHYT")
    account = make.account(platform=Platform.ZALO, name="Zalo OA BHXH",
                           credentials=sandbox.zalo.credentials())  # fmt: skip
    event = make.event(channel=Channel.POST)
    target = add_target(event.id, "zalo_article", "z1", title=STALE, account_id=account.id)
    db.session.commit()
    target = poll(target.id, sandbox, 60)
    assert target.title == "Hướng dẫn gia hạn thẻ BHYT"
