"""The fake Graph API over real HTTP: nodes, field expansion, comment paging, insights, auth.

Pins the Graph API's behaviour: LiveVideo status SCHEDULED_LIVE → LIVE → VOD with ``live_views``
0 after the end; a LiveVideo's ``video{id}`` is a different id; comments with filter/order/since
and cursor paging that stops only when ``paging.next`` is absent, with empty pages that still
have ``next``; per-type reaction aliases; ``shares`` absent while 0; insights growing for a week;
deprecated metrics → error 100; ``?ids=``; OAuth errors 104/190.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sandbox import Sandbox
from sandbox.scenario import DAY, WEEK


def get(sandbox: Sandbox, path: str, **params: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {sandbox.facebook_token}"}
    return requests.get(f"{sandbox.facebook_url}/{path}", params=params, headers=headers, timeout=5)


def ok(sandbox: Sandbox, path: str, **params: Any) -> Any:
    response = get(sandbox, path, **params)
    assert response.status_code == 200, response.text
    return response.json()


def error(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    return response.json()["error"]


def follow(sandbox: Sandbox, first: dict[str, Any]) -> tuple[list[dict], int]:
    """Every item of a paged answer, following ``paging.next`` until it is absent."""
    items, empty_pages, page = list(first["data"]), 0, first
    while "next" in page.get("paging", {}):
        response = requests.get(page["paging"]["next"], headers=auth(sandbox), timeout=5)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["data"])
        empty_pages += not page["data"]
    return items, empty_pages


def auth(sandbox: Sandbox) -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.facebook_token}"}


def live_now(sandbox: Sandbox, minutes: float = 20) -> None:
    sandbox.clock.set(sandbox.scenario.live_start + minutes * 60)


# --- live videos and nodes ----------------------------------------------------------------


def test_live_appears_in_the_live_filter_only_once_it_starts(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    path = f"{p.page_id}/live_videos"
    everything = ok(sandbox, path, fields="id,status")["data"]
    assert everything[0] == {"id": p.live_video_id, "status": "SCHEDULED_LIVE"}
    assert {v["status"] for v in everything[1:]} == {"VOD"}
    assert ok(sandbox, path, broadcast_status='["LIVE"]')["data"] == []
    live_now(sandbox)
    (live,) = ok(sandbox, path, broadcast_status='["LIVE"]', fields="id,live_views")["data"]
    assert live["id"] == p.live_video_id
    assert live["live_views"] > 0
    assert len(ok(sandbox, path, broadcast_status="LIVE,VOD")["data"]) == 1 + p.past_lives
    assert error(get(sandbox, path, broadcast_status='["ONAIR"]'))["code"] == 100


def test_live_videos_page_with_cursors_until_next_is_absent(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    first = ok(sandbox, f"{p.page_id}/live_videos", limit=1, fields="id")
    assert first["paging"]["next"].startswith(sandbox.facebook_url)
    lives, _ = follow(sandbox, first)
    assert [v["id"] for v in lives] == [p.live_video_id] + [
        past.live_video_id for past in sandbox.scenario.past_lives
    ]


def test_field_expansion_with_aliases_and_nested_nodes(sandbox: Sandbox) -> None:
    live_now(sandbox)
    t, s, p = sandbox.clock.now(), sandbox.scenario, sandbox.scenario.params
    fields = (
        "id,status,live_views,total_views,video{id,title},from{id,name},"
        "comments.limit(0).summary(true),"
        "reactions.type(LOVE).limit(0).summary(total_count).as(love),"
        "reactions.type(CARE).limit(0).summary(total_count).as(care),"
        "reactions.limit(0).summary(true)"
    )
    body = ok(sandbox, p.live_video_id, fields=fields)
    counts = s.reaction_counts(t)
    assert body["status"] == "LIVE"
    assert body["live_views"] == s.viewers("facebook", t)
    assert body["total_views"] == str(s.views("facebook", t))
    assert body["video"] == {"id": p.video_id, "title": p.title}
    assert body["video"]["id"] != body["id"]
    assert body["from"] == {"id": p.page_id, "name": p.page_name}
    assert body["comments"] == {
        "data": [],
        "summary": {
            "order": "chronological",
            "total_count": sum(1 for c in s.visible_comments(t) if c.parent_id is None),
            "can_comment": True,
        },
    }
    assert body["love"] == {"data": [], "summary": {"total_count": counts["LOVE"]}}
    assert body["care"]["summary"]["total_count"] == counts["CARE"]
    assert body["reactions"]["summary"]["total_count"] == sum(counts.values())


def test_nested_edges_page_with_absolute_next_urls(sandbox: Sandbox) -> None:
    live_now(sandbox)
    p = sandbox.scenario.params
    body = ok(sandbox, p.page_id, fields="name,live_videos.limit(1){id,comments.limit(2){id}}")
    (live,) = body["live_videos"]["data"]
    assert len(live["comments"]["data"]) == 2
    nxt = live["comments"]["paging"]["next"]
    assert nxt.startswith(f"{sandbox.facebook_url}/{p.live_video_id}/comments?")
    assert len(requests.get(nxt, headers=auth(sandbox), timeout=5).json()["data"]) == 2
    assert body["live_videos"]["paging"]["next"].startswith(
        f"{sandbox.facebook_url}/{p.page_id}/live_videos?"
    )


def test_defaults_unknown_fields_and_syntax_errors(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    assert set(ok(sandbox, p.page_id)) == {"id", "name"}
    assert ok(sandbox, p.live_video_id, fields="live_views") == {
        "live_views": 0,
        "id": p.live_video_id,
    }
    unknown = error(get(sandbox, p.live_video_id, fields="id,peak_viewers"))
    assert unknown["code"] == 100
    assert "peak_viewers" in unknown["message"]
    assert "fbtrace_id" in unknown
    assert unknown["type"] == "OAuthException"
    syntax = error(get(sandbox, p.live_video_id, fields="id,video{id"))
    assert syntax["code"] == 100
    assert "Syntax error" in syntax["message"]
    assert error(get(sandbox, "999"))["error_subcode"] == 33
    assert error(get(sandbox, f"{p.live_video_id}/video_insights"))["code"] == 2500


def test_after_the_end_status_is_vod_and_live_views_zero(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    sandbox.clock.set(sandbox.scenario.scripted_end + 1)
    body = ok(sandbox, p.live_video_id, fields="status,live_views,broadcast_start_time")
    assert body["status"] == "VOD"
    assert body["live_views"] == 0
    assert body["broadcast_start_time"].endswith("+0000")
    assert ok(sandbox, p.video_id, fields="live_status,length")["length"] == pytest.approx(3600)


def test_post_shares_are_absent_until_shared(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    fields = "shares{count},reactions.limit(0).summary(total_count),permalink_url"
    before = ok(sandbox, p.post_id, fields=fields)
    assert "shares" not in before
    assert before["reactions"]["summary"]["total_count"] == 0
    live_now(sandbox, 40)
    after = ok(sandbox, p.post_id, fields=fields)
    assert (
        after["shares"]
        == {"count": sandbox.scenario.share_count(sandbox.clock.now())}
        != {"count": 0}
    )


def test_ids_reads_several_objects_and_fails_on_an_unknown_one(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    body = ok(sandbox, "", ids=f"{p.live_video_id},{p.post_id}", fields="id")
    assert body == {p.live_video_id: {"id": p.live_video_id}, p.post_id: {"id": p.post_id}}
    response = get(sandbox, "", ids=f"{p.live_video_id},nope", fields="id")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 803


# --- comments -----------------------------------------------------------------------------


def test_stream_paging_returns_every_visible_comment_once(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end + 60)
    p, t = sandbox.scenario.params, sandbox.clock.now()
    first = ok(sandbox, f"{p.live_video_id}/comments", filter="stream", limit=7, summary="true")
    items, empty_pages = follow(sandbox, first)
    ids = [c["id"] for c in items]
    assert ids == [c.id for c in sandbox.scenario.visible_comments(t)]
    assert first["summary"]["total_count"] == len(ids)
    assert empty_pages >= 1  # an empty page that still had next did not end the walk
    assert set(items[0]) == {"id", "message", "created_time", "from"}


def test_limit_is_capped_so_a_short_page_is_not_the_end(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end)
    page = ok(sandbox, f"{sandbox.scenario.params.live_video_id}/comments", limit=500)
    assert len(page["data"]) == 100
    assert "next" in page["paging"]


def test_paging_while_comments_arrive_leaves_no_gap(sandbox: Sandbox) -> None:
    live_now(sandbox, 10)
    p = sandbox.scenario.params
    page = ok(sandbox, f"{p.live_video_id}/comments", filter="stream", limit=10)
    seen = [c["id"] for c in page["data"]]
    while "next" in page.get("paging", {}):
        sandbox.advance(45)
        page = requests.get(page["paging"]["next"], headers=auth(sandbox), timeout=5).json()
        seen.extend(c["id"] for c in page["data"])
    visible = [c.id for c in sandbox.scenario.visible_comments(sandbox.clock.now())]
    assert len(seen) == len(set(seen))
    assert set(visible) <= set(seen)


def test_reverse_chronological_and_toplevel(sandbox: Sandbox) -> None:
    live_now(sandbox, 30)
    p = sandbox.scenario.params
    page = ok(sandbox, f"{p.live_video_id}/comments", order="reverse_chronological", limit=25)
    items, _ = follow(sandbox, page)
    times = [c["created_time"] for c in items]
    assert times == sorted(times, reverse=True)
    top = [c.id for c in sandbox.scenario.visible_comments(sandbox.clock.now()) if not c.parent_id]
    assert sorted(c["id"] for c in items) == sorted(top)


@pytest.mark.parametrize("style", ["unix", "iso", "iso_offset"])
def test_since_filters_by_created_time(sandbox: Sandbox, style: str) -> None:
    live_now(sandbox, 40)
    s = sandbox.scenario
    cut = s.datetime_at(s.live_start + 20 * 60)
    since = {
        "unix": str(int(cut.timestamp())),
        "iso": cut.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iso_offset": cut.strftime("%Y-%m-%dT%H:%M:%S+0000"),
    }[style]
    page = ok(sandbox, f"{s.params.video_id}/comments", filter="stream", since=since, limit=50)
    items, _ = follow(sandbox, page)
    visible = s.visible_comments(sandbox.clock.now())
    expected = [c.id for c in visible if c.created >= s.seconds_at(cut)]
    assert [c["id"] for c in items] == expected
    assert error(get(sandbox, f"{s.params.video_id}/comments", since="yesterday"))["code"] == 100


def test_replies_carry_parent_and_list_under_their_comment(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end)
    s, p = sandbox.scenario, sandbox.scenario.params
    page = ok(sandbox, f"{p.post_id}/comments", filter="stream", limit=100, fields="id,parent{id}")
    items, _ = follow(sandbox, page)
    replies = [c for c in items if "parent" in c]
    assert replies
    assert all(set(c["parent"]) == {"id"} for c in replies)
    parent = replies[0]["parent"]["id"]
    under = ok(sandbox, f"{parent}/comments", fields="id,message,from")["data"]
    assert [c["id"] for c in under] == [
        c.id for c in s.visible_comments(sandbox.clock.now()) if c.parent_id == parent
    ]
    node = ok(sandbox, parent, fields="comment_count,like_count,live_broadcast_timestamp")
    assert node["comment_count"] == len(under)


def test_edited_and_deleted_comments_change_over_time(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    edited = next(c for c in s.comments if c.edits)
    ((at, new),) = edited.edits
    sandbox.clock.set(at - 1)
    assert ok(sandbox, edited.id, fields="message")["message"] == edited.message
    sandbox.clock.set(at)
    assert ok(sandbox, edited.id, fields="message")["message"] == new
    deleted = next(c for c in s.comments if c.deleted_at)
    sandbox.clock.set(deleted.deleted_at)  # type: ignore[arg-type]
    assert error(get(sandbox, deleted.id))["error_subcode"] == 33


def test_a_comment_the_page_hides_is_listed_to_it_as_hidden(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    hidden = next(c for c in s.comments if c.hidden_at)
    sandbox.clock.set(hidden.hidden_at - 1)  # type: ignore[operator]
    assert ok(sandbox, hidden.id, fields="is_hidden")["is_hidden"] is False
    sandbox.clock.set(hidden.hidden_at)  # type: ignore[arg-type]
    assert ok(sandbox, hidden.id, fields="is_hidden")["is_hidden"] is True
    p = s.params
    items, _ = follow(sandbox, ok(sandbox, f"{p.live_video_id}/comments", filter="stream",
                                  fields="id,is_hidden"))  # fmt: skip
    assert {"id": hidden.id, "is_hidden": True} in items  # still listed, to the page


def test_hostile_comments_come_back_verbatim(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end)
    p = sandbox.scenario.params
    items, _ = follow(sandbox, ok(sandbox, f"{p.live_video_id}/comments", filter="stream"))
    messages = {c["message"] for c in items}
    assert {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>"} <= messages


# --- insights -----------------------------------------------------------------------------


def test_video_insights_keep_growing_until_a_week_after(sandbox: Sandbox) -> None:
    p, end = sandbox.scenario.params, sandbox.scenario.scripted_end
    metrics = "total_video_views,total_video_views_unique,total_video_view_total_time_live"
    seen = []
    for t in (end - 600, end + 3600, end + DAY, end + WEEK, end + WEEK + DAY):
        sandbox.clock.set(t)
        body = ok(sandbox, f"{p.video_id}/video_insights", metric=metrics, period="lifetime")
        assert [d["name"] for d in body["data"]] == metrics.split(",")
        assert body["data"][0]["id"] == f"{p.video_id}/video_insights/total_video_views/lifetime"
        seen.append(tuple(d["values"][0]["value"] for d in body["data"]))
    assert seen[0] < seen[1] < seen[2] < seen[3] == seen[4]
    assert seen[3][0] == p.final_views


def test_reactions_by_type_insight_is_an_object(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end)
    body = ok(
        sandbox,
        f"{sandbox.scenario.params.video_id}/video_insights",
        metric="total_video_reactions_by_type_total",
    )
    value = body["data"][0]["values"][0]["value"]
    assert set(value) == {"like", "love", "care", "haha", "wow", "sorry", "anger"}


@pytest.mark.parametrize(
    ("node", "metric"),
    [
        ("page", "page_impressions"),
        ("page", "page_fans"),
        ("page", "page_engaged_users"),
        ("post", "post_impressions"),
        ("post", "post_impressions_unique"),
        ("video", "post_impressions"),
    ],
)
def test_deprecated_metrics_are_invalid(sandbox: Sandbox, node: str, metric: str) -> None:
    p = sandbox.scenario.params
    path = {
        "page": f"{p.page_id}/insights",
        "post": f"{p.post_id}/insights",
        "video": f"{p.video_id}/video_insights",
    }[node]
    body = error(get(sandbox, path, metric=metric))
    assert body["code"] == 100
    assert "valid insights metric" in body["message"]


def test_current_page_and_post_metrics_answer(sandbox: Sandbox) -> None:
    live_now(sandbox)
    p = sandbox.scenario.params
    page = ok(sandbox, f"{p.page_id}/insights", metric="page_media_view,page_follows", period="day")
    assert [d["name"] for d in page["data"]] == ["page_media_view", "page_follows"]
    post = ok(sandbox, f"{p.post_id}/insights", metric="post_media_view")
    assert post["data"][0]["values"][0]["value"] > 0


# --- auth ---------------------------------------------------------------------------------


def test_token_in_query_or_header_and_the_oauth_errors(sandbox: Sandbox) -> None:
    p, url = sandbox.scenario.params, f"{sandbox.facebook_url}/{sandbox.scenario.params.page_id}"
    query = requests.get(url, params={"access_token": sandbox.facebook_token}, timeout=5)
    assert query.status_code == 200
    assert query.json()["id"] == p.page_id
    missing = requests.get(url, timeout=5).json()["error"]
    assert missing["code"] == 104
    bad = requests.get(url, params={"access_token": "EAAnope"}, timeout=5).json()["error"]
    assert (bad["code"], bad["error_subcode"], bad["type"]) == (190, 467, "OAuthException")
    bearer = requests.get(url, headers={"Authorization": "Bearer EAAnope"}, timeout=5)
    assert bearer.status_code == 400
    assert bearer.json()["error"]["code"] == 190


def test_next_urls_carry_the_token_only_when_the_request_did(sandbox: Sandbox) -> None:
    live_now(sandbox)
    path = f"{sandbox.scenario.params.live_video_id}/comments"
    in_header = ok(sandbox, path, limit=2)
    assert "access_token" not in in_header["paging"]["next"]
    in_query = requests.get(
        f"{sandbox.facebook_url}/{path}",
        params={"limit": 2, "access_token": sandbox.facebook_token},
        timeout=5,
    ).json()
    assert f"access_token={sandbox.facebook_token}" in in_query["paging"]["next"]
