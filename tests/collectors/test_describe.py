"""``describe``: what each platform says of one object before it is collected, over loopback HTTP.

Pins the calls a pasted link is checked with: Facebook finds the live behind the *video* id a
facebook.com link shows by searching the page's ``live_videos`` (each carries ``video{id}``), and
a node that is no live video answers Graph's "nonexisting field" error (→ ``NOT_LIVE``); YouTube
``videos.list`` (a plain upload has no ``liveStreamingDetails``); Zoom ``GET /meetings/{id}``
(``status`` started/waiting) then the report for an ended one; Teams finds the meeting by
``$filter=JoinWebUrl eq '…'`` or by the numeric ID of a ``/meet/`` link; Meet ``spaces/{code}``
and its conference record; BigBlueButton ``getMeetingInfo``, where a meeting not created yet is
``known=False`` rather than refused.
"""

from __future__ import annotations

from datetime import datetime

import pytest

import collectors
from collectors.base import NOT_LIVE, Description, TargetSpec
from collectors.errors import AuthExpired, TargetGone
from collectors.http import make_session
from sandbox import Sandbox
from sandbox.conferences import ConferenceFakes


def facebook(sandbox: Sandbox, external_id: str, *, page: bool = True) -> Description:
    spec = TargetSpec(
        "facebook_live",
        external_id,
        sandbox.facebook_url,
        {"access_token": sandbox.facebook_token},
        account_external_id=sandbox.scenario.params.page_id if page else None,
    )
    return describe(spec, sandbox.scenario.datetime_at(sandbox.clock.now()))


def describe(spec: TargetSpec, now: datetime) -> Description:
    return collectors.describe(
        spec.kind, make_session(retries=0), spec.base_url, spec, now=now, timeout=2
    )


def test_a_facebook_link_s_video_id_finds_its_live_on_the_page(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    before = facebook(sandbox, p.video_id)
    permalink = f"https://www.facebook.com/{p.page_id}/videos/{p.video_id}/"  # the video's page
    assert before == Description(
        "facebook_live", p.live_video_id, p.title, "scheduled", before.starts_at, url=permalink
    )
    assert before.starts_at == sandbox.scenario.datetime_at(sandbox.scenario.live_start)
    sandbox.advance(60)
    assert facebook(sandbox, p.video_id).status == "live"
    assert facebook(sandbox, p.live_video_id).external_id == p.live_video_id


def test_a_past_live_is_ended_and_found_by_either_id(sandbox: Sandbox) -> None:
    past = sandbox.scenario.past_lives[-1]
    by_video = facebook(sandbox, past.video_id)
    assert (by_video.external_id, by_video.status, by_video.title) == (
        past.live_video_id,
        "ended",
        past.title,
    )
    page = sandbox.scenario.params.page_id
    assert by_video.url == f"https://www.facebook.com/{page}/videos/{past.video_id}/"
    assert facebook(sandbox, past.live_video_id, page=False).external_id == past.live_video_id


def test_facebook_objects_that_are_no_live_are_told_apart_from_missing_ones(
    sandbox: Sandbox,
) -> None:
    p = sandbox.scenario.params
    with pytest.raises(TargetGone) as not_live:
        facebook(sandbox, p.post_id)  # exists, but is a post
    assert not_live.value.code == NOT_LIVE
    with pytest.raises(TargetGone) as missing:
        facebook(sandbox, "999999999999")
    assert missing.value.code != NOT_LIVE
    sandbox.facebook.expire_token()
    with pytest.raises(AuthExpired):
        facebook(sandbox, p.video_id)


def youtube(sandbox: Sandbox, video_id: str) -> Description:
    spec = TargetSpec(
        "youtube_live", video_id, sandbox.youtube_url, {"api_key": sandbox.youtube_api_key}
    )
    return describe(spec, sandbox.scenario.datetime_at(sandbox.clock.now()))


def test_youtube_lives_are_described_and_plain_uploads_refused(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    assert youtube(sandbox, p.youtube_video_id).status == "scheduled"
    sandbox.advance(60)
    live = youtube(sandbox, p.youtube_video_id)
    assert (live.title, live.status) == (p.title, "live")
    assert live.url == f"https://www.youtube.com/watch?v={p.youtube_video_id}"  # built from its id
    with pytest.raises(TargetGone) as clip:
        youtube(sandbox, p.youtube_clip_id)
    assert clip.value.code == NOT_LIVE
    with pytest.raises(TargetGone) as missing:
        youtube(sandbox, "zzzzzzzzzzz")
    assert missing.value.code == "videoNotFound"


Conference = tuple[ConferenceFakes, str]  # the fakes, and the base URL they are served at


@pytest.fixture
def conference(
    conference_server: tuple[ConferenceFakes, str], conference_fakes: ConferenceFakes
) -> Conference:
    return conference_fakes, conference_server[1]


def meeting(conference: Conference, platform: str, external_id: str) -> Description:
    fakes, base = conference
    credentials = fakes.credentials(platform, base)
    kind = {"zoom": "zoom_meeting", "teams": "teams_meeting", "meet": "meet_conference",
            "bbb": "bbb_meeting"}[platform]  # fmt: skip
    spec = TargetSpec(kind, external_id, credentials.pop("base_url"), credentials)
    return describe(spec, fakes.conference.datetime_at(fakes.clock.now()))


def at(conference: Conference, phase: str) -> None:
    """Move the conference's clock into ``phase`` (reports of an ended one are ready)."""
    fakes, _ = conference
    c = fakes.conference
    t = {"scheduled": 0, "live": c.start + 60, "ended": c.end + 300}[phase]
    fakes.clock.advance(t - fakes.clock.now())


@pytest.mark.parametrize("phase", ["scheduled", "live", "ended"])
def test_each_conference_platform_says_where_its_meeting_stands(
    conference: Conference, phase: str
) -> None:
    fakes, _ = conference
    p = fakes.conference.params
    at(conference, phase)
    found = {
        "zoom": meeting(conference, "zoom", p.zoom_meeting_id),
        "teams": meeting(conference, "teams", fakes.teams.join_web_url),
        "meet": meeting(conference, "meet", p.meet_code),
        "bbb": meeting(conference, "bbb", p.bbb_meeting_id),
    }
    assert {name: d.status for name, d in found.items()} == dict.fromkeys(found, phase)
    assert found["teams"].external_id == p.teams_meeting_id  # the join link found the meeting
    assert found["zoom"].title == found["teams"].title == p.title
    # Where each opens, as each API gives it: Zoom's join_url without its passcode (a scheduled
    # meeting's record has one in every phase), Teams' as is, none from BigBlueButton (a signed
    # join link only).
    assert found["zoom"].url == f"https://us02web.zoom.us/j/{p.zoom_meeting_id}"
    assert found["teams"].url == fakes.teams.join_web_url
    assert found["bbb"].url == ""
    assert found["meet"].external_id == p.meet_code
    if phase != "scheduled":
        assert found["bbb"].title == p.title
        start = fakes.conference.datetime_at(fakes.conference.start)
        assert found["zoom"].starts_at == found["meet"].starts_at == start


def test_a_bbb_meeting_not_created_yet_is_unknown_rather_than_refused(
    conference: Conference,
) -> None:
    found = meeting(conference, "bbb", "a-meeting-not-created")
    assert (found.known, found.status) == (False, "scheduled")


def test_the_numeric_id_of_a_teams_meet_link_finds_the_meeting(
    conference: Conference,
) -> None:
    fakes, _ = conference
    found = meeting(conference, "teams", fakes.teams.settings.join_meeting_id)
    assert found.external_id == fakes.conference.params.teams_meeting_id


@pytest.mark.parametrize(
    ("platform", "external_id"),
    [
        ("zoom", "81234567890"),
        ("teams", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_other%40thread.v2/0"),
        ("meet", "abc-defg-hij"),
    ],
)
def test_an_unknown_meeting_is_gone(
    conference: Conference, platform: str, external_id: str
) -> None:
    with pytest.raises(TargetGone):
        meeting(conference, platform, external_id)


def test_the_teams_filter_is_a_quoted_odata_literal(conference: Conference) -> None:
    fakes, _ = conference
    with pytest.raises(TargetGone):
        meeting(conference, "teams", "https://teams.microsoft.com/l/meetup-join/x' or 1 eq 1 or '")
    sent = fakes.teams.log.entries()[-1]["params"]["$filter"]
    assert sent == "JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/x'' or 1 eq 1 or '''"
