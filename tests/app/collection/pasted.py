"""Accounts on every platform of a sandbox, and the links an officer would paste for its objects.

The tests that check pasted links take the sandbox they are checked against from here:
``served, sandbox = pasted.served, pasted.sandbox`` in the test module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app.models import Platform, PlatformAccount
from sandbox import ManualClock, Sandbox, Scenario


@pytest.fixture(scope="module")
def served() -> Iterator[Sandbox]:
    """One sandbox on loopback for the module's tests (starting one takes a while)."""
    with Sandbox.start(clock=ManualClock()) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(served: Sandbox, app: Flask) -> Sandbox:
    """The module's sandbox reset for this test, asked once per call (no retries, no backoff)."""
    served.reset()
    app.extensions.pop("lantoa_http", None)
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_RETRIES=0)
    return served


def connect_all(make: Any, sandbox: Sandbox, org_unit: str = "40") -> dict[str, PlatformAccount]:
    """One account per platform the links can name, each pointing at the sandbox."""
    p = sandbox.scenario.params
    accounts = {
        "facebook": make.account(
            org_unit, "Fanpage BHXH Nghệ An", external_id=p.page_id,
            credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        ),
        "youtube": make.account(
            org_unit, "Kênh YouTube BHXH", platform=Platform.YOUTUBE,
            credentials={"api_key": sandbox.youtube_api_key, "base_url": sandbox.youtube_url},
        ),
    }  # fmt: skip
    names = {"zoom": "Zoom BHXH", "teams": "Microsoft 365 BHXH", "meet": "Google Workspace",
             "bbb": "Máy chủ BigBlueButton"}  # fmt: skip
    for platform, name in names.items():
        accounts[platform] = make.account(
            org_unit, name, platform=Platform(platform),
            credentials=sandbox.conference_credentials(platform),
        )  # fmt: skip
    return accounts


def links(sandbox: Sandbox) -> dict[str, tuple[str, str, str]]:
    """By name: (the link as copied, the target kind, the external id it must become)."""
    p, c = sandbox.scenario.params, sandbox.conferences.conference.params
    bbb = sandbox.conference_credentials("bbb")["base_url"]
    teams = sandbox.conferences.teams
    zid = c.zoom_meeting_id
    return {
        "facebook": (f"https://www.facebook.com/bhxhnghean/videos/{p.video_id}/",
                     "facebook_live", p.live_video_id),
        "facebook_watch": (f"https://m.facebook.com/watch/?v={p.video_id}", "facebook_live",
                           p.live_video_id),
        "youtube": (f"https://youtu.be/{p.youtube_video_id}?si=x", "youtube_live",
                    p.youtube_video_id),
        "zoom": (f"https://us02web.zoom.us/j/{c.zoom_meeting_id}?pwd=QmhYaE5naGVBbjIwMjc",
                 "zoom_meeting", c.zoom_meeting_id),
        "zoom_id": (f"{zid[:3]} {zid[3:7]} {zid[7:]}", "zoom_meeting", zid),
        "teams": (teams.join_web_url, "teams_meeting", c.teams_meeting_id),
        "meet": (f"https://meet.google.com/{c.meet_code}", "meet_conference", c.meet_code),
        "bbb": (f"{bbb}/join?fullName=X%C3%A3+A&meetingID={c.bbb_meeting_id}&password=ap"
                "&checksum=abc", "bbb_meeting", c.bbb_meeting_id),
    }  # fmt: skip


@pytest.fixture(scope="module")
def served_scheduled() -> Iterator[Sandbox]:
    """A sandbox whose page also has a live scheduled 30 minutes after t = 0, as `make run`'s."""
    with Sandbox.start(scenario=Scenario(scheduled_in=1800.0), clock=ManualClock()) as sandbox:
        yield sandbox


@pytest.fixture
def scheduled(served_scheduled: Sandbox, app: Flask) -> Sandbox:
    """That sandbox reset for this test, asked once per call."""
    served_scheduled.reset()
    app.extensions.pop("lantoa_http", None)
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_RETRIES=0)
    return served_scheduled
