"""The page's scheduled live: listed as SCHEDULED_UNPUBLISHED with its planned start until the
sandbox clock reaches it, then live with viewers and comments of its own script, read through
its own ids (node, comments, batch) while the scripted live goes on as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from sandbox import ManualClock, Sandbox, Scenario

PLANNED = 1800.0  # seconds after t = 0: the demo's choice


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox.start(scenario=Scenario(scheduled_in=PLANNED), clock=ManualClock()) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(server: Sandbox) -> Sandbox:
    server.reset()
    return server


def ok(sandbox: Sandbox, path: str, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {sandbox.facebook_token}"}
    response = requests.get(
        f"{sandbox.facebook_url}/{path}", params=params, headers=headers, timeout=5
    )
    assert response.status_code == 200, response.text
    return response.json()


def lives(sandbox: Sandbox, **params: Any) -> dict[str, dict]:
    p = sandbox.scenario.params
    fields = "id,status,planned_start_time,broadcast_start_time,creation_time,video{id}"
    data = ok(sandbox, f"{p.page_id}/live_videos", fields=fields, **params)["data"]
    return {live["id"]: live for live in data}


def test_the_edge_lists_it_scheduled_then_live_at_its_planned_start(sandbox: Sandbox) -> None:
    main, planned = sandbox.scenario.params, sandbox.scenario.scheduled.params  # type: ignore[union-attr]
    assert sandbox.scheduled_link == (
        f"https://www.facebook.com/{main.page_id}/videos/{planned.video_id}/"
    )
    assert planned.live_video_id != main.live_video_id
    assert planned.video_id != main.video_id
    start = "2026-11-25T13:28:00+0000"  # epoch 12:58 UTC + 30 minutes
    assert main.epoch == datetime(2026, 11, 25, 12, 58, tzinfo=UTC)

    sandbox.clock.set(main.start_offset + 60)  # the scripted live is on, the other not yet
    before = lives(sandbox)
    assert before[planned.live_video_id] == {
        "id": planned.live_video_id,
        "status": "SCHEDULED_UNPUBLISHED",
        "planned_start_time": start,
        "creation_time": "2026-11-25T11:58:00+0000",  # an hour before the sandbox started
        "video": {"id": planned.video_id},
    }
    assert before[main.live_video_id]["status"] == "LIVE"
    assert list(before)[:2] == [main.live_video_id, planned.live_video_id]
    on_air = lives(sandbox, broadcast_status=json.dumps(["LIVE"]))
    assert list(on_air) == [main.live_video_id]
    assert list(lives(sandbox, broadcast_status="SCHEDULED_UNPUBLISHED")) == [planned.live_video_id]
    assert ok(sandbox, f"{planned.live_video_id}/comments")["data"] == []

    sandbox.clock.set(PLANNED + 20 * 60)
    after = lives(sandbox, broadcast_status=json.dumps(["LIVE"]))
    assert after[planned.live_video_id]["status"] == "LIVE"
    assert after[planned.live_video_id]["broadcast_start_time"] == start
    assert "planned_start_time" not in after[planned.live_video_id]
    node = ok(sandbox, planned.live_video_id, fields="status,live_views,title,total_views")
    assert node["status"] == "LIVE"
    assert node["live_views"] > 0
    assert node["title"] == planned.title != main.title
    comments = ok(sandbox, f"{planned.live_video_id}/comments", limit=100)["data"]
    assert comments
    assert all(c["id"].startswith(f"{planned.video_id}_") for c in comments)


def test_its_objects_are_read_by_id_and_in_a_batch(sandbox: Sandbox) -> None:
    planned = sandbox.scenario.scheduled.params  # type: ignore[union-attr]
    sandbox.clock.set(PLANNED + 30 * 60)
    both = ok(sandbox, "", ids=f"{planned.live_video_id},{sandbox.scenario.params.live_video_id}",
              fields="status")  # fmt: skip
    assert both[planned.live_video_id]["status"] == "LIVE"
    batch = [
        {"method": "GET", "relative_url": f"{planned.live_video_id}?fields=live_views"},
        {"method": "GET", "relative_url": f"{planned.video_id}?fields=live_status"},
    ]
    response = requests.post(
        sandbox.facebook_url,
        data={"batch": json.dumps(batch), "access_token": sandbox.facebook_token},
        timeout=5,
    )
    assert response.status_code == 200, response.text
    live, video = (json.loads(item["body"]) for item in response.json())
    assert live["live_views"] > 0
    assert video["live_status"] == "LIVE"


def test_a_script_without_one_lists_only_its_own_lives() -> None:
    scenario = Scenario()
    assert scenario.scheduled is None
    with Sandbox.start(scenario=scenario, clock=ManualClock()) as sandbox:
        assert sandbox.scheduled_link is None
        assert len(lives(sandbox)) == 1 + scenario.params.past_lives


def yt(sandbox: Sandbox, path: str, **params: Any) -> Any:
    response = requests.get(
        f"{sandbox.youtube_url}/{path}",
        params={"key": sandbox.youtube_api_key, **params},
        timeout=5,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_channel_has_it_too_upcoming_then_live_with_its_own_chat(sandbox: Sandbox) -> None:
    main, planned = sandbox.scenario.params, sandbox.scenario.scheduled.params  # type: ignore[union-attr]
    assert sandbox.credentials()["youtube_scheduled_video_id"] == planned.youtube_video_id
    assert len(planned.youtube_video_id) == 11
    assert planned.youtube_video_id != main.youtube_video_id
    parts = "snippet,liveStreamingDetails"
    sandbox.clock.set(main.start_offset + 60)
    (before,) = yt(sandbox, "videos", id=planned.youtube_video_id, part=parts)["items"]
    assert before["snippet"]["liveBroadcastContent"] == "upcoming"
    assert before["liveStreamingDetails"] == {"scheduledStartTime": "2026-11-25T13:28:00Z"}
    (other,) = yt(sandbox, "videos", id=main.youtube_video_id, part=parts)["items"]
    assert other["snippet"]["liveBroadcastContent"] == "live"

    sandbox.clock.set(PLANNED + 20 * 60)
    (after,) = yt(sandbox, "videos", id=planned.youtube_video_id, part=parts)["items"]
    assert after["snippet"]["liveBroadcastContent"] == "live"
    chat_id = after["liveStreamingDetails"]["activeLiveChatId"]
    assert chat_id == planned.live_chat_id != main.live_chat_id
    assert int(after["liveStreamingDetails"]["concurrentViewers"]) > 0
    chat = yt(sandbox, "liveChat/messages", liveChatId=chat_id, part="snippet")
    assert chat["items"]
    assert {m["snippet"]["liveChatId"] for m in chat["items"]} == {chat_id}
