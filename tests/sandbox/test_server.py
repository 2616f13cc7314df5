"""The sandbox server: loopback binding, control surface, ground truth, request log, CLI.

The ground truth is what the sandbox *served*: collector and runner tests compare
what they stored against it, so it must match the answers byte for byte in meaning, and must
ignore answers a client could not have read (malformed bodies, errors).
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from sandbox import Sandbox
from sandbox.cli import describe, sandbox_cli


def control(sandbox: Sandbox, name: str, body: dict[str, Any] | None = None) -> requests.Response:
    url = f"{sandbox.control_url}/{name}"
    if body is None and name in ("truth", "state", "requests"):
        return requests.get(url, timeout=5)
    return requests.post(url, json=body or {}, timeout=5)


def graph(sandbox: Sandbox, path: str, **params: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {sandbox.facebook_token}"}
    response = requests.get(
        f"{sandbox.facebook_url}/{path}", params=params, headers=headers, timeout=5
    )
    return response.json()


def test_serves_on_loopback_only_with_documented_url_shapes() -> None:
    sandbox = Sandbox.start()
    try:
        host, port = sandbox._server.socket.getsockname()  # type: ignore[union-attr]
        assert host == "127.0.0.1"
        assert port == sandbox.port
        assert sandbox.facebook_url == f"http://127.0.0.1:{port}/facebook/v25.0"
        assert sandbox.youtube_url == f"http://127.0.0.1:{port}/youtube/v3"
        assert requests.get(f"{sandbox.control_url}/state", timeout=5).status_code == 200
    finally:
        sandbox.stop()
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", port), timeout=1),
    ):
        pass


def test_credentials_are_exposed_for_registering_accounts(sandbox: Sandbox) -> None:
    creds = sandbox.credentials()
    p = sandbox.scenario.params
    assert creds["facebook_page_token"] == sandbox.facebook_token
    assert creds["youtube_api_key"] == sandbox.youtube_api_key
    assert creds["facebook_post_id"] == p.post_id
    assert creds["youtube_live_chat_id"] == p.live_chat_id
    assert graph(sandbox, "me")["id"] == p.page_id


def test_control_surface_drives_the_scenario(sandbox: Sandbox) -> None:
    assert control(sandbox, "advance", {"seconds": 900}).json()["t"] == 900
    state = control(sandbox, "state").json()
    assert state["facebook"]["phase"] == "live"
    assert state["facebook"]["live_views"] > 0
    queued = control(
        sandbox, "faults", {"platform": "facebook", "kind": "server_error", "times": 2}
    )
    assert queued.json()["faults"] == [{"platform": "facebook", "kind": "server_error", "times": 2}]
    bad = control(sandbox, "faults", {"platform": "facebook", "kind": "nope"})
    assert bad.status_code == 400
    assert "nope" in bad.json()["error"]
    assert control(sandbox, "clear").json() == {"faults": []}
    renewed = control(sandbox, "renew-token", {"platform": "facebook"}).json()
    assert renewed == {"facebook": sandbox.facebook_token}
    ended = control(sandbox, "end-live", {"platform": "youtube"}).json()
    assert ended["youtube"]["phase"] == "ended"
    assert ended["facebook"]["phase"] == "live"
    assert control(sandbox, "chaos", {"rate": 1, "kinds": ["server_error"]}).status_code == 200
    assert "error" in graph(sandbox, sandbox.scenario.params.page_id)
    assert control(sandbox, "reset").json() == {"ok": True}
    assert sandbox.clock.now() == 0
    assert sandbox.faults.pending() == []


def test_truth_matches_what_was_served(sandbox: Sandbox) -> None:
    s, p = sandbox.scenario, sandbox.scenario.params
    served_views, served_comments = [], {}
    for minute in (5, 15, 25, 35, 45):
        sandbox.clock.set(s.live_start + minute * 60)
        body = graph(
            sandbox,
            p.live_video_id,
            fields="live_views,total_views,"
            "reactions.type(HAHA).limit(0).summary(total_count).as(haha),"
            "reactions.limit(0).summary(total_count)",
        )
        served_views.append(body["live_views"])
        page = graph(sandbox, f"{p.live_video_id}/comments", filter="stream", limit=100)
        served_comments.update({c["id"]: c["message"] for c in page["data"]})
    post = graph(sandbox, p.post_id, fields="shares{count}")
    insight = graph(sandbox, f"{p.video_id}/video_insights", metric="total_video_views")
    truth = control(sandbox, "truth").json()["facebook"]
    assert truth["max_live_views"] == max(served_views)
    assert truth["total_views"] == int(body["total_views"])
    assert truth["reactions"] == {"HAHA": body["haha"]["summary"]["total_count"]}
    assert truth["reactions_total"] == body["reactions"]["summary"]["total_count"]
    assert truth["shares"] == post["shares"]["count"]
    assert truth["insights"] == {"total_video_views": insight["data"][0]["values"][0]["value"]}
    assert {k: v["message"] for k, v in truth["comments"].items()} == served_comments
    assert truth["comment_ids"] == sorted(served_comments)


def test_truth_keeps_the_last_visible_message_of_an_edited_comment(sandbox: Sandbox) -> None:
    edited = next(c for c in sandbox.scenario.comments if c.edits)
    ((at, new),) = edited.edits
    sandbox.clock.set(at - 1)
    graph(sandbox, edited.id)
    assert sandbox.truth()["facebook"]["comments"][edited.id]["message"] == edited.message
    sandbox.clock.set(at)
    graph(sandbox, edited.id)
    assert sandbox.truth()["facebook"]["comments"][edited.id]["message"] == new


def test_youtube_truth(sandbox: Sandbox) -> None:
    s, p = sandbox.scenario, sandbox.scenario.params
    seen = []
    for minute in (10, 30):
        sandbox.clock.set(s.live_start + minute * 60)
        item = requests.get(
            f"{sandbox.youtube_url}/videos",
            params={"part": "statistics,liveStreamingDetails", "id": p.youtube_video_id},
            headers={"Authorization": f"Bearer {sandbox.youtube_token}"},
            timeout=5,
        ).json()["items"][0]
        seen.append(int(item["liveStreamingDetails"]["concurrentViewers"]))
    truth = sandbox.truth()["youtube"]
    assert truth["max_concurrent_viewers"] == max(seen)
    assert truth["view_count"] == int(item["statistics"]["viewCount"])
    assert truth["chat_message_ids"] == []


def test_requests_are_logged_with_params_and_headers(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    graph(sandbox, p.page_id, fields="id")
    op = {"method": "GET", "relative_url": f"{p.live_video_id}?fields=id"}
    data = {"batch": json.dumps([op, op]), "access_token": sandbox.facebook_token}
    requests.post(sandbox.facebook_url, data=data, timeout=5)
    requests.get(f"{sandbox.youtube_url}/videos", params={"part": "id", "id": "x"}, timeout=5)
    log = sandbox.requests_log
    first = log[0]
    assert (first["platform"], first["method"], first["path"]) == (
        "facebook",
        "GET",
        f"/facebook/v25.0/{p.page_id}",
    )
    assert first["params"] == {"fields": "id"}
    assert first["headers"]["Authorization"] == f"Bearer {sandbox.facebook_token}"
    assert [e["batch_item"] for e in log] == [False, False, True, True, False]
    assert log[2]["path"] == f"/facebook/v25.0/{p.live_video_id}"
    assert sandbox.calls_count("facebook") == 2
    assert sandbox.calls_count("youtube") == 1
    assert control(sandbox, "requests").json()[-1]["platform"] == "youtube"


def test_reset_forgets_everything(sandbox: Sandbox) -> None:
    sandbox.advance(600)
    graph(sandbox, sandbox.scenario.params.live_video_id, fields="live_views")
    sandbox.fail_next("youtube", "timeout")
    sandbox.end_live()
    sandbox.renew_token()
    sandbox.reset()
    assert sandbox.clock.now() == 0
    assert sandbox.requests_log == []
    assert sandbox.faults.pending() == []
    assert sandbox.truth()["facebook"]["max_live_views"] == 0
    assert sandbox.scenario.phase("facebook", 600) == "live"
    assert sandbox.facebook_token == sandbox.facebook.settings.page_token


def test_cli_describes_urls_and_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[int] = []

    def bind_only(self: Sandbox, port: int, on_ready: Any) -> None:
        served.append(port)
        self.port = port
        on_ready(self)

    monkeypatch.setattr(Sandbox, "serve_forever", bind_only)
    result = CliRunner().invoke(
        sandbox_cli, ["run", "--port", "5999", "--speed", "10", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    assert served == [5999]
    assert "FACEBOOK_GRAPH_URL=http://127.0.0.1:5999/facebook/v25.0" in result.output
    assert "YOUTUBE_API_URL=http://127.0.0.1:5999/youtube/v3" in result.output
    assert "facebook_page_token: EAAG" in result.output


def test_describe_lists_every_credential(sandbox: Sandbox) -> None:
    text = describe(sandbox)
    assert all(value in text for value in sandbox.credentials().values())
