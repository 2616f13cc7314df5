"""``POST /api/v1/events/<id>/targets`` with ``{"url"}``: the link as copied, checked with the
platform (the sandbox, over loopback HTTP) before the target is created.

201 answers the target (``platform`` is its kind, ``external_id`` the object the platform named:
a Facebook link's video id becomes its live's id, a Teams join link its meeting id); 422 names the
problem in ``url`` (or ``account_id``) and writes nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.collection.fit import MEETING_KINDS
from app.extensions import db
from app.models import AuditLog, Channel, Platform, PlatformAccount, Target
from app.timeparse import VN
from sandbox import Sandbox
from tests.app.api.test_field_errors import assert_field_error
from tests.app.collection import pasted
from tests.app.collection.pasted import connect_all, links
from tests.conftest import Factory

MEETING = Channel.ONLINE_CONFERENCE
LINKS = ("facebook", "facebook_watch", "youtube", "zoom", "zoom_id", "teams", "meet", "bbb")


served, sandbox = pasted.served, pasted.sandbox  # the sandbox the links are checked against


@pytest.fixture
def officer(make: Factory) -> dict[str, str]:
    user = make.user("officer")
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def post(client: FlaskClient, event_id: int, headers: dict, **body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/events/{event_id}/targets", json=body, headers=headers)


@pytest.mark.parametrize("name", LINKS)
def test_a_link_as_copied_becomes_the_target_the_platform_names(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict, name: str
) -> None:
    accounts = connect_all(make, sandbox)
    url, kind, external_id = links(sandbox)[name]
    event = make.event(channel=MEETING if kind in MEETING_KINDS else Channel.LIVESTREAM)
    response = post(client, event.id, officer, url=url)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["platform"], body["external_id"]) == (kind, external_id)
    assert body["account_id"] == accounts[kind.split("_")[0]].id
    target = db.session.get(Target, body["id"])
    assert (target.event_id, target.kind, target.external_id) == (event.id, kind, external_id)
    assert not {"pwd", "password", "QmhYaE"} & set(target.external_id.split("="))
    assert (body["title"], body["url"]) == (target.title, target.url)  # added, nothing renamed
    parts = set(re.split(r"[=&?]", body["url"] or ""))
    assert not {"pwd", "password", "checksum", "QmhYaE"} & parts
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "target.create"))
    assert [a.object_id for a in audit] == [str(target.id)]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://fb.watch/qR7xYz1AbC/", "A short Facebook link (fb.watch) only shows which video"),
        ("javascript:alert(1)", "Only web links starting with http:// or https://"),
        ("https://facebook.com.evil.example/bhxh/videos/5566778899001122",
         "Lan Tỏa does not collect from facebook.com.evil.example"),
        ("https://www.facebook.com/bhxhnghean", "This is the address of a Facebook page"),
        ("https://www.youtube.com/watch?v=bhxhClip001", "YouTube says this is not a live"),
        ("https://www.youtube.com/watch?v=zzzzzzzzzzz", "YouTube finds nothing for this link"),
        ("https://zoom.us/j/81234567890", "Zoom finds nothing for this link"),
        ("https://meet.google.com/abc-defg-hij", "Google Meet finds nothing for this link"),
        ("https://bbb.other.example/bigbluebutton/api/join?meetingID=x",
         "None of your unit's BigBlueButton servers is bbb.other.example"),
        ("https://youtu.be/bhxhTNLive1\nhttps://youtu.be/bhxhTNLive1", "Give one link."),
    ],
)  # fmt: skip
def test_a_link_that_cannot_be_tracked_answers_422_saying_why(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict, url: str, reason: str
) -> None:
    connect_all(make, sandbox)
    event = make.event(channel=Channel.SMALL_GROUP)  # a channel that may stream and meet
    response = post(client, event.id, officer, url=url)
    assert assert_field_error(response, "url").startswith(reason)
    assert db.session.scalars(sa.select(Target)).all() == []


def test_without_an_account_of_the_platform_the_link_is_refused(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    make.account(name="Fanpage")  # Facebook only
    event = make.event(channel=MEETING)
    url = links(sandbox)["zoom"][0]
    reason = assert_field_error(post(client, event.id, officer, url=url), "url")
    assert reason == (
        "No Zoom account is connected for your unit. Ask a manager to connect one first."
    )


def test_an_expired_token_says_which_account_to_connect_again(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    connect_all(make, sandbox)
    sandbox.facebook.expire_token()
    event = make.event()
    response = post(client, event.id, officer, url=links(sandbox)["facebook"][0])
    reason = assert_field_error(response, "url")
    assert reason.startswith("The Facebook account “Fanpage BHXH Nghệ An” must be connected again")


def test_the_same_object_twice_is_refused(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    connect_all(make, sandbox)
    event = make.event()
    url, _, _ = links(sandbox)["facebook"]
    assert post(client, event.id, officer, url=url).status_code == 201
    again = post(client, event.id, officer, url=links(sandbox)["facebook_watch"][0])
    assert assert_field_error(again, "url") == "This is already collected for the event."


def test_a_live_another_event_tracks_is_refused_naming_that_event(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    """Tracked by two events, one live's figures would count twice in the unit's reports."""
    from datetime import UTC, datetime

    connect_all(make, sandbox)
    first = make.event(title="Livestream hỏi đáp tháng 12",
                       planned_start=datetime(2026, 12, 3, 13, 0, tzinfo=UTC))  # fmt: skip
    url, _, _ = links(sandbox)["facebook"]
    assert post(client, first.id, officer, url=url).status_code == 201
    second = make.event(title="Livestream thử")
    again = post(client, second.id, officer, url=links(sandbox)["facebook_watch"][0])
    assert assert_field_error(again, "url") == (
        "This is already tracked by the event “Livestream hỏi đáp tháng 12” (03/12/2026). "
        "Tracked by two events, its figures would count twice in the reports: track it in that "
        "event only."
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 1


def test_a_live_another_province_tracks_is_its_own_business(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    """A national live relayed by two provinces: each province's reports count it once."""
    from tests.conftest import OTHER

    connect_all(make, sandbox)
    url, _, _ = links(sandbox)["facebook"]
    ours = make.event()
    assert post(client, ours.id, officer, url=url).status_code == 201
    target = db.session.scalars(sa.select(Target)).one()
    target.event_id = make.event(OTHER, title="Livestream của tỉnh khác").id
    db.session.commit()  # now only the other province's event tracks it
    assert post(client, ours.id, officer, url=url).status_code == 201


def test_account_id_picks_among_several_accounts(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    accounts = connect_all(make, sandbox)
    other = make.account(name="Fanpage huyện", credentials=accounts["facebook"].credentials,
                         external_id=sandbox.scenario.params.page_id)  # fmt: skip
    event = make.event()
    url = links(sandbox)["facebook"][0]
    chosen = post(client, event.id, officer, url=url, account_id=other.id)
    assert chosen.get_json()["account_id"] == other.id
    youtube = db.session.scalars(
        sa.select(PlatformAccount).where(PlatformAccount.platform == Platform.YOUTUBE)
    ).one()
    refused = post(client, make.event().id, officer, url=url, account_id=youtube.id)
    assert assert_field_error(refused, "url").startswith("No Facebook account is connected")


def test_url_and_the_object_itself_are_two_forms_not_one(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    event = make.event()
    both = post(client, event.id, officer, url="https://youtu.be/bhxhTNLive1",
                platform="youtube_live", external_id="bhxhTNLive1")  # fmt: skip
    assert both.status_code == 422
    assert "platform" in both.get_json()["errors"]["json"]
    neither = post(client, event.id, officer, account_id=1)
    assert set(neither.get_json()["errors"]["json"]) == {"platform", "external_id"}


@pytest.mark.parametrize(
    ("channel", "name", "words"),
    [
        (Channel.LIVESTREAM, "meet", "Google Meet meeting cannot be tracked in an event of the "
         "Livestream channel, which has no meeting"),
        (Channel.POST, "bbb", "BigBlueButton meeting cannot be tracked in an event of the Post "
         "channel"),
        (Channel.ONLINE_CONFERENCE, "facebook", "Facebook live video cannot be tracked in an "
         "event of the Online conference channel"),
    ],
)  # fmt: skip
def test_an_object_the_event_s_channel_cannot_have_is_refused(
    client: FlaskClient,
    make: Factory,
    sandbox: Sandbox,
    officer: dict,
    channel: Channel,
    name: str,
    words: str,
) -> None:
    accounts = connect_all(make, sandbox)
    event = make.event(channel=channel)
    url, kind, external_id = links(sandbox)[name]
    assert assert_field_error(post(client, event.id, officer, url=url), "url").startswith(words)
    # The same object named by its id is refused too, in ``platform``.
    account = accounts[kind.split("_")[0]].id
    direct = post(client, event.id, officer, platform=kind, external_id=external_id,
                  account_id=account)  # fmt: skip
    assert assert_field_error(direct, "platform").startswith(words)
    assert db.session.scalars(sa.select(Target)).all() == []


@pytest.mark.postgres
def test_the_target_answers_its_title_and_where_it_opens(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    connect_all(make, sandbox)
    p = sandbox.scenario.params
    event = make.event(channel=Channel.LIVESTREAM)
    body = post(client, event.id, officer, url=links(sandbox)["facebook_watch"][0]).get_json()
    assert body["title"] == p.title
    assert body["url"] == f"https://www.facebook.com/{p.page_id}/videos/{p.video_id}/"
    listed = client.get(f"/api/v1/events/{event.id}/targets", headers=officer).get_json()
    assert [(t["title"], t["url"]) for t in listed] == [(body["title"], body["url"])]
    # Named by platform and id, nothing is said of it yet: null, not a made-up title.
    other = make.event(channel=Channel.LIVESTREAM)
    account = db.session.scalars(sa.select(PlatformAccount)).first()
    assert account is not None
    assert account.platform == Platform.FACEBOOK
    bare = post(client, other.id, officer, platform="facebook_live", external_id="1234567890123",
                account_id=account.id).get_json()  # fmt: skip
    assert (bare["title"], bare["url"], bare["external_id"]) == (None, None, "1234567890123")


def test_a_link_starting_days_from_the_planned_event_is_tracked_with_a_warning(
    client: FlaskClient, make: Factory, sandbox: Sandbox, officer: dict
) -> None:
    """As on the links page, a live that starts more than three hours from the event's planned
    start (or on another day in Hà Nội) is tracked, not refused, and the answer says so in
    English under ``warnings``; one that fits has none."""
    connect_all(make, sandbox)
    start = sandbox.scenario.datetime_at(sandbox.scenario.live_start)
    local = start.astimezone(VN)
    planned = (local + timedelta(days=2)).replace(hour=20, minute=0, second=0, microsecond=0)
    event = make.event(channel=Channel.LIVESTREAM, planned_start=planned.astimezone(UTC))
    response = post(client, event.id, officer, url=links(sandbox)["facebook"][0])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["warnings"] == [
        f"This video starts at {local:%H:%M} on {local:%d/%m/%Y}, while the event is planned "
        f"for 20:00 on {planned:%d/%m/%Y}: check the link."
    ]
    assert db.session.scalars(sa.select(Target.event_id)).all() == [event.id]  # tracked

    near = make.event(channel=Channel.LIVESTREAM, planned_start=start - timedelta(minutes=30))
    assert (start - timedelta(minutes=30)).astimezone(VN).date() == local.date()
    response = post(client, near.id, officer, url=links(sandbox)["youtube"][0])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["warnings"] == []
