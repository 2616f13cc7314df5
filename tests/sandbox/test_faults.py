"""Injected faults, one by one, on both platforms, plus seeded chaos.

What each fault must look like to a collector:

- rate_limit: Graph error 4/17/32/613/80001 (``is_transient``) with usage headers at 100 %;
  YouTube 403 rateLimitExceeded or quotaExceeded.
- server_error: 500 (Graph code 1) or 503 (Graph code 2); Google ``backendError``.
- timeout: the answer arrives late (a batch item becomes null).
- token_expired: Graph 190/463, YouTube 401 (Bearer) or 400 keyInvalid (key), until renewed.
- malformed_json: HTTP 200 with a body that does not parse, and nothing recorded as served.
- duplicate_page / overlapping_page / empty_page: paging a collector must survive.
- end_live: the broadcast ends at that call.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from sandbox import Sandbox


@pytest.fixture
def sandbox(server: Sandbox) -> Sandbox:
    server.reset()
    server.clock.set(server.scenario.live_start + 900)
    return server


def graph(sandbox: Sandbox, path: str = "", timeout: float = 5, **params: Any) -> requests.Response:
    path = path or sandbox.scenario.params.live_video_id
    headers = {"Authorization": f"Bearer {sandbox.facebook_token}"}
    return requests.get(
        f"{sandbox.facebook_url}/{path}", params=params, headers=headers, timeout=timeout
    )


def comments(sandbox: Sandbox, **params: Any) -> requests.Response:
    return graph(sandbox, f"{sandbox.scenario.params.live_video_id}/comments", **params)


def videos(sandbox: Sandbox, timeout: float = 5, **params: Any) -> requests.Response:
    query = {
        "part": "statistics,liveStreamingDetails",
        "id": sandbox.scenario.params.youtube_video_id,
        "key": sandbox.youtube_api_key,
        **params,
    }
    return requests.get(f"{sandbox.youtube_url}/videos", params=query, timeout=timeout)


def chat(sandbox: Sandbox, **params: Any) -> requests.Response:
    query = {
        "liveChatId": sandbox.scenario.params.live_chat_id,
        "part": "id,snippet",
        "key": sandbox.youtube_api_key,
        **params,
    }
    return requests.get(f"{sandbox.youtube_url}/liveChat/messages", params=query, timeout=5)


# --- Facebook -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "header"), [(4, "app"), (17, "app"), (32, "page"), (613, "app"), (80001, "page")]
)
def test_graph_rate_limits(sandbox: Sandbox, code: int, header: str) -> None:
    sandbox.fail_next("facebook", "rate_limit", code=code, minutes=7)
    response = graph(sandbox, fields="id")
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["is_transient"]) == (400, code, True)
    app = json.loads(response.headers["X-App-Usage"])["call_count"]
    (buc,) = json.loads(response.headers["X-Business-Use-Case-Usage"]).values()
    if header == "app":
        assert app == 100
    else:
        assert (buc[0]["call_count"], buc[0]["estimated_time_to_regain_access"]) == (100, 7)
    assert graph(sandbox, fields="id").status_code == 200


def test_graph_usage_near_limit(sandbox: Sandbox) -> None:
    sandbox.fail_next("facebook", "usage_near_limit", percent=96, target="page")
    response = graph(sandbox, fields="id")
    assert response.status_code == 200
    (buc,) = json.loads(response.headers["X-Business-Use-Case-Usage"]).values()
    assert buc[0]["call_count"] >= 96
    assert json.loads(response.headers["X-App-Usage"])["call_count"] < 5


@pytest.mark.parametrize(("status", "code"), [(500, 1), (503, 2)])
def test_graph_server_errors(sandbox: Sandbox, status: int, code: int) -> None:
    sandbox.fail_next("facebook", "server_error", times=2, status=status)
    for _ in range(2):
        response = graph(sandbox)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert graph(sandbox).status_code == 200


def test_graph_timeout_then_normal_service(sandbox: Sandbox) -> None:
    sandbox.fail_next("facebook", "timeout", seconds=0.4)
    with pytest.raises(requests.exceptions.ReadTimeout):
        graph(sandbox, timeout=0.1)
    started = time.monotonic()
    assert graph(sandbox, timeout=2).status_code == 200
    assert time.monotonic() - started < 0.3


def test_graph_timeout_in_a_batch_is_a_null_item(sandbox: Sandbox) -> None:
    sandbox.fail_next("facebook", "timeout", seconds=30)
    op = {"method": "GET", "relative_url": sandbox.scenario.params.live_video_id}
    data = {"batch": json.dumps([op, op]), "access_token": sandbox.facebook_token}
    items = requests.post(sandbox.facebook_url, data=data, timeout=5).json()
    assert items[0] is None
    assert items[1]["code"] == 200


def test_graph_token_expiry_until_renewed(sandbox: Sandbox) -> None:
    old = sandbox.facebook_token
    assert graph(sandbox).status_code == 200
    sandbox.fail_next("facebook", "token_expired")
    for _ in range(2):
        error = graph(sandbox).json()["error"]
        assert (error["code"], error["error_subcode"]) == (190, 463)
    new = sandbox.renew_token("facebook")["facebook"]
    assert new != old
    assert sandbox.facebook_token == new
    assert graph(sandbox).status_code == 200
    stale = requests.get(
        f"{sandbox.facebook_url}/{sandbox.scenario.params.page_id}",
        params={"access_token": old},
        timeout=5,
    )
    assert stale.json()["error"]["error_subcode"] == 463
    assert sandbox.renew_token("facebook", token="EAAchosen")["facebook"] == "EAAchosen"


def test_graph_malformed_json_is_not_recorded_as_served(sandbox: Sandbox) -> None:
    sandbox.fail_next("facebook", "malformed_json")
    response = graph(sandbox, fields="live_views")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)
    assert sandbox.truth()["facebook"]["max_live_views"] == 0
    assert graph(sandbox, fields="live_views").json()["live_views"] > 0
    assert sandbox.truth()["facebook"]["max_live_views"] > 0


def test_duplicate_page_serves_the_same_page_again(sandbox: Sandbox) -> None:
    first = comments(sandbox, limit=5).json()
    sandbox.fail_next("facebook", "duplicate_page")
    second = requests.get(first["paging"]["next"], headers=auth(sandbox), timeout=5).json()
    assert second["paging"]["next"] == first["paging"]["next"]
    assert second["paging"]["cursors"]["after"] == first["paging"]["cursors"]["after"]
    third = requests.get(second["paging"]["next"], headers=auth(sandbox), timeout=5).json()
    assert [c["id"] for c in third["data"]] == [c["id"] for c in second["data"]]


def test_overlapping_page_repeats_the_tail(sandbox: Sandbox) -> None:
    sandbox.fail_next("facebook", "overlapping_page", overlap=2)
    first = comments(sandbox, limit=5).json()
    second = requests.get(first["paging"]["next"], headers=auth(sandbox), timeout=5).json()
    assert [c["id"] for c in second["data"][:2]] == [c["id"] for c in first["data"][-2:]]


def test_empty_page_still_has_next(sandbox: Sandbox) -> None:
    sandbox.fail_next("facebook", "empty_page")
    first = comments(sandbox, limit=5).json()
    assert first["data"] == []
    assert "next" in first["paging"]
    second = requests.get(first["paging"]["next"], headers=auth(sandbox), timeout=5).json()
    assert len(second["data"]) == 5


def test_paging_faults_wait_for_a_paged_request(sandbox: Sandbox) -> None:
    sandbox.fail_next("facebook", "empty_page")
    assert graph(sandbox, fields="id").json() == {"id": sandbox.scenario.params.live_video_id}
    assert sandbox.faults.pending()[0]["kind"] == "empty_page"
    assert comments(sandbox, limit=5).json()["data"] == []
    assert sandbox.faults.pending() == []


def test_graph_end_live(sandbox: Sandbox) -> None:
    assert graph(sandbox, fields="status").json()["status"] == "LIVE"
    sandbox.fail_next("facebook", "end_live")
    body = graph(sandbox, fields="status,live_views").json()
    assert body == {"status": "VOD", "live_views": 0, "id": sandbox.scenario.params.live_video_id}
    assert videos(sandbox).json()["items"][0]["liveStreamingDetails"].get("concurrentViewers")


def auth(sandbox: Sandbox) -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.facebook_token}"}


# --- YouTube ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "opts", "status", "reason"),
    [
        ("rate_limit", {}, 403, "rateLimitExceeded"),
        ("rate_limit", {"reason": "quotaExceeded"}, 403, "quotaExceeded"),
        ("quota_exceeded", {}, 403, "quotaExceeded"),
        ("server_error", {}, 500, "backendError"),
        ("server_error", {"status": 503}, 503, "backendError"),
    ],
)
def test_youtube_error_faults(
    sandbox: Sandbox, kind: str, opts: dict[str, Any], status: int, reason: str
) -> None:
    sandbox.fail_next("youtube", kind, **opts)
    response = videos(sandbox)
    assert response.status_code == status
    assert response.json()["error"]["errors"][0]["reason"] == reason
    assert videos(sandbox).status_code == 200


def test_youtube_timeout(sandbox: Sandbox) -> None:
    sandbox.fail_next("youtube", "timeout", seconds=0.4)
    with pytest.raises(requests.exceptions.ReadTimeout):
        videos(sandbox, timeout=0.1)
    assert videos(sandbox).status_code == 200


def test_youtube_token_expiry_hits_key_and_bearer_until_renewed(sandbox: Sandbox) -> None:
    sandbox.fail_next("youtube", "token_expired")
    assert videos(sandbox).json()["error"]["errors"][0]["reason"] == "keyInvalid"
    old = sandbox.youtube_token
    bearer = requests.get(
        f"{sandbox.youtube_url}/videos",
        params={"part": "id", "id": sandbox.scenario.params.youtube_video_id},
        headers={"Authorization": f"Bearer {old}"},
        timeout=5,
    )
    assert bearer.status_code == 401
    new = sandbox.renew_token("youtube")["youtube"]
    assert new != old
    assert videos(sandbox).status_code == 200


def test_youtube_malformed_json(sandbox: Sandbox) -> None:
    sandbox.fail_next("youtube", "malformed_json")
    response = videos(sandbox)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)
    assert sandbox.truth()["youtube"]["max_concurrent_viewers"] == 0


def test_youtube_duplicate_and_overlapping_chat_pages(sandbox: Sandbox) -> None:
    sandbox.youtube.settings.enforce_polling_interval = False
    try:
        first = chat(sandbox).json()
        sandbox.advance(120)
        sandbox.fail_next("youtube", "duplicate_page")
        second = chat(sandbox, pageToken=first["nextPageToken"]).json()
        assert second["nextPageToken"] == first["nextPageToken"]
        again = chat(sandbox, pageToken=second["nextPageToken"]).json()
        assert [m["id"] for m in again["items"]] == [m["id"] for m in second["items"]]
        sandbox.fail_next("youtube", "overlapping_page", overlap=1)
        sandbox.advance(60)
        fresh = chat(sandbox, pageToken=again["nextPageToken"]).json()
        assert fresh["items"]
        after = chat(sandbox, pageToken=fresh["nextPageToken"]).json()
        assert after["items"][0]["id"] == fresh["items"][-1]["id"]
    finally:
        sandbox.youtube.settings.enforce_polling_interval = True


def test_youtube_end_live(sandbox: Sandbox) -> None:
    sandbox.fail_next("youtube", "end_live")
    details = videos(sandbox).json()["items"][0]["liveStreamingDetails"]
    assert "actualEndTime" in details
    assert "concurrentViewers" not in details
    assert "offlineAt" in chat(sandbox).json()


# --- the fault API ------------------------------------------------------------------------


def test_unknown_kinds_and_options_are_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="no fault kind"):
        sandbox.fail_next("youtube", "usage_near_limit")
    with pytest.raises(ValueError, match="unknown platform"):
        sandbox.fail_next("zoom", "timeout")
    with pytest.raises(ValueError, match="throttling codes"):
        sandbox.fail_next("facebook", "rate_limit", code=99)
    with pytest.raises(ValueError, match="stateful"):
        sandbox.chaos(0.5, kinds=["token_expired"])


def test_chaos_is_seeded_and_cleared(sandbox: Sandbox) -> None:
    def statuses(seed: int) -> list[int]:
        sandbox.reset()
        sandbox.clock.set(sandbox.scenario.live_start + 900)
        sandbox.chaos(0.5, seed=seed, kinds=["server_error"], platforms=["facebook"])
        return [graph(sandbox, fields="id").status_code for _ in range(30)]

    first = statuses(7)
    assert first == statuses(7)
    assert {200, 500, 503} <= set(first)
    assert statuses(8) != first
    sandbox.clear()
    assert {graph(sandbox, fields="id").status_code for _ in range(10)} == {200}
    assert videos(sandbox).status_code == 200  # chaos was Facebook-only


def test_full_chaos_still_lets_a_patient_pager_finish(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end)
    sandbox.chaos(0.3, seed=3, kinds=["server_error", "malformed_json", "rate_limit"])
    url = f"{sandbox.facebook_url}/{sandbox.scenario.params.live_video_id}/comments"
    params: dict[str, Any] | None = {"filter": "stream", "limit": 25}
    seen: list[str] = []
    while url:
        response = requests.get(url, params=params, headers=auth(sandbox), timeout=5)
        try:
            page = response.json()
        except json.JSONDecodeError:
            continue
        if "error" in page:
            continue
        seen.extend(c["id"] for c in page["data"])
        url, params = page.get("paging", {}).get("next"), None
    expected = [c.id for c in sandbox.scenario.visible_comments(sandbox.clock.now())]
    assert seen == expected
