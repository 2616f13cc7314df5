"""The fake YouTube Data API over real HTTP.

Pins the Data API's behaviour: ``videos.list`` statistics are strings, ``concurrentViewers`` and
``activeLiveChatId`` exist only while live, ``actualEndTime`` after;
``liveChat/messages`` returns oldest → newest with ``nextPageToken`` and
``pollingIntervalMillis``, 403 ``rateLimitExceeded`` when polled too soon, ``offlineAt`` after the
end and then 403 ``liveChatEnded``; daily quota with 403 ``quotaExceeded`` in domain
``youtube.quota``, reset at midnight Pacific; key or Bearer auth, Google error envelope.
"""

from __future__ import annotations

from typing import Any

import requests

from sandbox import Sandbox, YouTubeSettings
from sandbox.scenario import DAY


def videos(sandbox: Sandbox, **params: Any) -> requests.Response:
    params = {
        "part": "snippet,statistics,liveStreamingDetails",
        "id": sandbox.scenario.params.youtube_video_id,
        "key": sandbox.youtube_api_key,
        **params,
    }
    return requests.get(f"{sandbox.youtube_url}/videos", params=params, timeout=5)


def chat(sandbox: Sandbox, **params: Any) -> requests.Response:
    params = {
        "liveChatId": sandbox.scenario.params.live_chat_id,
        "part": "id,snippet,authorDetails",
        **params,
    }
    headers = {"Authorization": f"Bearer {sandbox.youtube_token}"}
    return requests.get(
        f"{sandbox.youtube_url}/liveChat/messages", params=params, headers=headers, timeout=5
    )


def google_error(response: requests.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == status
    assert body["message"]
    (detail,) = body["errors"]
    return detail


def test_video_before_during_and_after_the_live(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    (before,) = videos(sandbox).json()["items"]
    assert before["snippet"]["liveBroadcastContent"] == "upcoming"
    assert set(before["liveStreamingDetails"]) == {"scheduledStartTime"}
    sandbox.clock.set(s.live_start + 900)
    body = videos(sandbox).json()
    assert body["kind"] == "youtube#videoListResponse"
    (live,) = body["items"]
    details, stats = live["liveStreamingDetails"], live["statistics"]
    assert live["snippet"]["liveBroadcastContent"] == "live"
    assert details["concurrentViewers"] == str(s.viewers("youtube", sandbox.clock.now()))
    assert details["activeLiveChatId"] == s.params.live_chat_id
    assert details["actualStartTime"].endswith("Z")
    assert "actualEndTime" not in details
    assert all(isinstance(v, str) and v.isdigit() for v in stats.values())
    sandbox.clock.set(s.scripted_end + 60)
    (ended,) = videos(sandbox).json()["items"]
    assert ended["snippet"]["liveBroadcastContent"] == "none"
    assert "actualEndTime" in ended["liveStreamingDetails"]
    assert not {"concurrentViewers", "activeLiveChatId"} & set(ended["liveStreamingDetails"])
    assert int(ended["statistics"]["viewCount"]) > int(stats["viewCount"])


def test_parts_and_ids_select_what_comes_back(sandbox: Sandbox) -> None:
    (item,) = videos(sandbox, part="statistics").json()["items"]
    assert set(item) == {"kind", "etag", "id", "statistics"}
    assert videos(sandbox, id="unknownvid1").json()["items"] == []
    assert google_error(videos(sandbox, part="bogus"), 400)["reason"] == "unknownPart"
    assert google_error(videos(sandbox, part=""), 400)["reason"] == "required"


def test_chat_history_then_polling_with_tokens_sees_every_message_once(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    sandbox.clock.set(s.live_start + 600)
    first = chat(sandbox).json()
    assert first["kind"] == "youtube#liveChatMessageListResponse"
    assert first["pollingIntervalMillis"] == 5000
    assert "offlineAt" not in first
    published = [m["snippet"]["publishedAt"] for m in first["items"]]
    assert published == sorted(published)
    assert published
    seen, token = [m["id"] for m in first["items"]], first["nextPageToken"]
    while True:
        sandbox.advance(30)
        page = chat(sandbox, pageToken=token)
        if page.status_code == 403:
            assert google_error(page, 403)["reason"] == "liveChatEnded"
            break
        body = page.json()
        seen.extend(m["id"] for m in body["items"])
        token = body["nextPageToken"]
    assert len(seen) == len(set(seen))
    assert seen == [m.id for m in s.visible_chat(s.scripted_end)]
    assert sandbox.truth()["youtube"]["chat_message_ids"] == seen


def test_chat_items_have_the_documented_shape(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end - 1)
    items = chat(sandbox).json()["items"]
    text = next(m for m in items if m["snippet"]["type"] == "textMessageEvent")
    assert text["snippet"]["displayMessage"] == text["snippet"]["textMessageDetails"]["messageText"]
    assert text["snippet"]["publishedAt"].endswith("Z")
    assert text["authorDetails"]["channelId"] == text["snippet"]["authorChannelId"]
    deleted = next(m for m in items if m["snippet"]["type"] == "messageDeletedEvent")
    assert deleted["snippet"]["hasDisplayContent"] is False
    assert deleted["snippet"]["messageDeletedDetails"]["deletedMessageId"] in {
        m["id"] for m in items
    }
    sandbox.advance(5)
    (item, *_) = chat(sandbox, part="id,snippet").json()["items"]
    assert set(item) == {"kind", "etag", "id", "snippet"}


def test_polling_sooner_than_the_interval_is_refused(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.live_start + 600)
    token = chat(sandbox).json()["nextPageToken"]
    too_soon = chat(sandbox, pageToken=token)
    detail = google_error(too_soon, 403)
    assert (detail["reason"], detail["domain"]) == ("rateLimitExceeded", "youtube.liveChat")
    sandbox.advance(4.9)
    assert chat(sandbox, pageToken=token).status_code == 403
    sandbox.advance(0.1)
    assert chat(sandbox, pageToken=token).status_code == 200


def test_polling_enforcement_can_be_switched_off() -> None:
    settings = YouTubeSettings(enforce_polling_interval=False, polling_interval_ms=2000)
    with Sandbox.start(youtube=settings) as sandbox:
        sandbox.clock.set(sandbox.scenario.live_start + 600)
        first = chat(sandbox).json()
        assert first["pollingIntervalMillis"] == 2000
        assert chat(sandbox, pageToken=first["nextPageToken"]).status_code == 200


def test_after_the_end_offline_at_then_chat_ended(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    sandbox.clock.set(s.scripted_end + 10)
    body = chat(sandbox).json()
    assert body["offlineAt"] == s.datetime_at(s.scripted_end).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["items"][-1]["snippet"]["type"] == "chatEndedEvent"
    sandbox.advance(sandbox.youtube.settings.offline_grace_seconds)
    detail = google_error(chat(sandbox, pageToken=body["nextPageToken"]), 403)
    assert detail["reason"] == "liveChatEnded"


def test_chat_parameter_errors(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.live_start + 60)
    assert google_error(chat(sandbox, liveChatId="nope"), 404)["reason"] == "liveChatNotFound"
    assert google_error(chat(sandbox, maxResults=50), 400)["reason"] == "invalidValue"
    assert google_error(chat(sandbox, pageToken="%%%"), 400)["reason"] == "pageTokenInvalid"
    assert google_error(chat(sandbox, part="id,bogus"), 400)["reason"] == "unknownPart"


def test_first_call_returns_only_the_most_recent_history(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end - 1)
    body = chat(sandbox, maxResults=200).json()
    assert len(body["items"]) == 200
    everything = sandbox.scenario.visible_chat(sandbox.clock.now())
    assert [m["id"] for m in body["items"]] == [m.id for m in everything[-200:]]


def test_daily_quota_counts_units_and_resets_at_pacific_midnight() -> None:
    settings = YouTubeSettings(daily_quota=12, enforce_polling_interval=False)
    with Sandbox.start(youtube=settings) as sandbox:
        sandbox.clock.set(sandbox.scenario.live_start + 60)
        assert chat(sandbox).status_code == 200  # 5 units
        assert chat(sandbox).status_code == 200  # 10
        assert videos(sandbox).status_code == 200  # 11
        detail = google_error(chat(sandbox), 403)  # 16 > 12
        assert (detail["reason"], detail["domain"]) == ("quotaExceeded", "youtube.quota")
        assert videos(sandbox).status_code == 200  # 12
        assert google_error(videos(sandbox), 403)["reason"] == "quotaExceeded"
        sandbox.advance(DAY)
        assert videos(sandbox).status_code == 200
        assert sandbox.youtube.quota.used(sandbox.clock.now()) == 1


def test_credentials(sandbox: Sandbox) -> None:
    url = f"{sandbox.youtube_url}/videos"
    params = {"part": "id", "id": sandbox.scenario.params.youtube_video_id}
    bearer = {"Authorization": f"Bearer {sandbox.youtube_token}"}
    assert requests.get(url, params=params, headers=bearer, timeout=5).status_code == 200
    missing = requests.get(url, params=params, timeout=5)
    assert google_error(missing, 403)["reason"] == "forbidden"
    bad_key = requests.get(url, params={**params, "key": "AIzaWrong"}, timeout=5)
    assert google_error(bad_key, 400)["reason"] == "keyInvalid"
    bad_token = requests.get(url, params=params, headers={"Authorization": "Bearer x"}, timeout=5)
    assert google_error(bad_token, 401)["reason"] == "authError"
    assert bad_token.json()["error"]["status"] == "UNAUTHENTICATED"
