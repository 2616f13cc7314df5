"""The fake Graph API's video insights at the end of a live, and a metric Meta retires.

Pins: ``/{video-id}/video_insights`` answers as soon as the live ends (Meta counts the live's views
in the Video's lifetime ``total_video_views``); the Video's ``length`` is served once it ended, so
``broadcast_start_time`` plus ``length`` dates the end; a retired metric answers HTTP 400 with
Graph's envelope ``{"error": {"message": "(#100) The value must be a valid insights metric",
"type": "OAuthException", "code": 100, "fbtrace_id": …}}`` — also as a batch item — and fails the
whole ``metric=a,b`` read, while each other metric still answers alone. ``POST
/_sandbox/retire-metric {"metric"}`` retires one until the sandbox is reset.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import requests

from sandbox import ManualClock, Sandbox, Scenario
from sandbox.scenario.presets import DIEN_BIEN
from tests.sandbox.test_facebook import error, get, ok

INVALID = "(#100) The value must be a valid insights metric"


def retire(sandbox: Sandbox, body: object) -> requests.Response:
    return requests.post(f"{sandbox.control_url}/retire-metric", json=body, timeout=5)


def test_video_insights_answer_right_at_the_end_which_the_video_dates(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    fields = "status,broadcast_start_time,video{id,length}"
    sandbox.clock.set(s.live_start + 600)
    assert "length" not in ok(sandbox, s.params.live_video_id, fields=fields)["video"]
    sandbox.clock.set(s.scripted_end)
    body = ok(sandbox, f"{s.params.video_id}/video_insights", metric="total_video_views")
    views = body["data"][0]["values"][0]["value"]
    # 60 % of the final views are counted by the very end of the live; the rest settles later.
    assert views == s.views("facebook", s.scripted_end) == int(s.params.final_views * 0.6)
    assert sandbox.truth()["facebook"]["insights"]["total_video_views"] == views
    ended = ok(sandbox, s.params.live_video_id, fields=fields)
    assert ended["status"] == "VOD"
    start = datetime.strptime(ended["broadcast_start_time"], "%Y-%m-%dT%H:%M:%S%z")
    assert start + timedelta(seconds=ended["video"]["length"]) == s.datetime_at(s.scripted_end)


def test_a_retired_metric_answers_graphs_invalid_metric_error(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    video = s.params.video_id
    sandbox.clock.set(s.scripted_end)
    answer = retire(sandbox, {"metric": "total_video_views_unique"})
    assert answer.json() == {"retired": "total_video_views_unique"}
    both = "total_video_views,total_video_views_unique"
    body = error(get(sandbox, f"{video}/video_insights", metric=both, period="lifetime"))
    assert set(body) == {"message", "type", "code", "fbtrace_id"}
    assert (body["message"], body["type"], body["code"]) == (INVALID, "OAuthException", 100)
    alone = ok(sandbox, f"{video}/video_insights", metric="total_video_views", period="lifetime")
    assert alone["data"][0]["values"][0]["value"] > 0  # the others still answer
    batch = [{"method": "GET", "relative_url": f"{video}/video_insights?"
              "metric=total_video_views_unique&period=lifetime"}]  # fmt: skip
    reply = requests.post(
        sandbox.facebook_url,
        data={"access_token": sandbox.facebook_token, "batch": json.dumps(batch)},
        timeout=5,
    )
    (item,) = reply.json()
    assert item["code"] == 400
    assert json.loads(item["body"])["error"]["message"] == INVALID
    sandbox.reset()
    sandbox.clock.set(s.scripted_end)
    ok(sandbox, f"{video}/video_insights", metric="total_video_views_unique")


def test_retiring_needs_a_metric_name(sandbox: Sandbox) -> None:
    for body in ({}, {"metric": ""}, {"metric": 7}):
        answer = retire(sandbox, body)
        assert answer.status_code == 400
        assert "metric" in answer.json()["error"]


def test_the_dien_bien_live_serves_its_reported_figures_at_the_end() -> None:
    with Sandbox.start(scenario=Scenario(DIEN_BIEN), clock=ManualClock()) as sandbox:
        s = sandbox.scenario
        p = s.params
        sandbox.clock.set(s.scripted_end + 1)
        insights = ok(sandbox, f"{p.video_id}/video_insights", metric="total_video_views")
        assert insights["data"][0]["values"][0]["value"] == 1700
        live = ok(sandbox, p.live_video_id, fields="reactions.limit(0).summary(total_count),"
                  "comments.filter(stream).limit(0).summary(true)")  # fmt: skip
        assert live["reactions"]["summary"]["total_count"] == 534
        assert live["comments"]["summary"]["total_count"] == 105
        assert ok(sandbox, p.post_id, fields="shares")["shares"] == {"count": 139}
        sandbox.clock.set(s.scripted_end + 7 * 86400)  # nothing settles later
        insights = ok(sandbox, f"{p.video_id}/video_insights", metric="total_video_views")
        assert insights["data"][0]["values"][0]["value"] == 1700
