"""The fake ``commentThreads.list`` and ``comments.list`` over real HTTP: the comments under the
YouTube replay.

Pins the Data API's behaviour (reference: commentThreads.list, the commentThread and comment
resources): ``part`` is required (id, snippet, replies); threads of one ``videoId``, newest first
for ``order=time`` (the default), ``maxResults`` 1–100 (default 20), paged by ``nextPageToken``
(absent on the last page); each thread's ``snippet.topLevelComment`` and, with ``part=replies``,
``replies.comments`` carrying ``snippet.parentId``; the author in
``snippet.authorChannelId.value``; ``textFormat=html`` (default) escapes the text,
``plainText`` does not; a deleted comment is no longer listed; an unknown video is 404
``videoNotFound``, comments switched off 403 ``commentsDisabled``; one quota unit a call.

``comments.list`` (reference: comments.list): ``part`` required (id, snippet); exactly one filter
of ``id`` or ``parentId`` (none: 400 ``missingRequiredParameter``); ``parentId`` lists a
top-level comment's replies, oldest first, ``maxResults`` 1–100 (default 20), paged by
``nextPageToken``; a ``parentId`` naming no comment is 404 ``commentNotFound``; a token not
ours is 400 ``invalidPageToken``; one quota unit a call.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import requests

from sandbox import Sandbox, Scenario, YouTubeSettings
from sandbox.scenario import DAY

THREADS = "commentThreads"
COMMENTS = "comments"


def threads(sandbox: Sandbox, **params: Any) -> requests.Response:
    params = {
        "part": "snippet,replies",
        "videoId": sandbox.scenario.params.youtube_video_id,
        "key": sandbox.youtube_api_key,
        **params,
    }
    return requests.get(f"{sandbox.youtube_url}/{THREADS}", params=params, timeout=5)


def comments(sandbox: Sandbox, **params: Any) -> requests.Response:
    params = {"part": "snippet", "key": sandbox.youtube_api_key, **params}
    return requests.get(f"{sandbox.youtube_url}/{COMMENTS}", params=params, timeout=5)


def every_page(sandbox: Sandbox, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        body = threads(sandbox, **params, **({"pageToken": token} if token else {})).json()
        assert body["kind"] == "youtube#commentThreadListResponse"
        assert body["pageInfo"]["totalResults"] == len(body["items"])
        items += body["items"]
        token = body.get("nextPageToken")
        if token is None:
            return items


def google_error(response: requests.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    (detail,) = response.json()["error"]["errors"]
    return detail


def test_threads_come_newest_first_page_by_page_each_once(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    sandbox.clock.set(s.scripted_end + 3 * DAY)
    items = every_page(sandbox, maxResults=2)
    tops = [c for c in s.youtube_comments(sandbox.clock.now()) if c.parent_id is None]
    assert len(tops) > 4  # so two a page took several pages
    newest_first = sorted(tops, key=lambda c: (c.created, c.seq), reverse=True)
    assert [i["id"] for i in items] == [c.id for c in newest_first]
    published = [i["snippet"]["topLevelComment"]["snippet"]["publishedAt"] for i in items]
    assert published == sorted(published, reverse=True)
    default = threads(sandbox).json()
    assert default["pageInfo"]["resultsPerPage"] == 20
    assert "nextPageToken" not in default  # every thread fits one page of 20


def test_a_thread_carries_its_top_level_comment_and_replies(sandbox: Sandbox) -> None:
    s, p = sandbox.scenario, sandbox.scenario.params
    first = s.youtube_replay[0]
    sandbox.clock.set(s.scripted_end + 3600)
    (thread,) = [i for i in threads(sandbox).json()["items"] if i["id"] == first.id]
    assert thread["kind"] == "youtube#commentThread"
    snippet = thread["snippet"]
    assert (snippet["channelId"], snippet["videoId"]) == (p.youtube_channel_id, p.youtube_video_id)
    top = snippet["topLevelComment"]
    assert top["kind"] == "youtube#comment"
    assert top["id"] == first.id
    assert top["snippet"]["textOriginal"] == first.message
    assert top["snippet"]["authorChannelId"] == {"value": first.author.id}
    assert top["snippet"]["publishedAt"].endswith("Z")
    assert "parentId" not in top["snippet"]
    replies = thread["replies"]["comments"]
    # The channel's answer, a viewer, and five more viewers: the thread carries five of seven.
    assert snippet["totalReplyCount"] == 7
    assert len(replies) == sandbox.youtube.settings.thread_replies == 5
    carried = sorted((c for c in s.youtube_replay if c.parent_id == first.id),
                     key=lambda c: c.created)[:5]  # fmt: skip
    assert [r["id"] for r in replies] == [c.id for c in carried]  # oldest first
    assert {r["snippet"]["parentId"] for r in replies} == {first.id}
    assert all(r["id"].startswith(f"{first.id}.") for r in replies)
    # The office answers under the replay: its reply names the video's own channel.
    authors = {r["snippet"]["authorChannelId"]["value"] for r in replies}
    assert p.youtube_channel_id in authors
    assert sandbox.truth()["youtube"]["replay_comments"][first.id]["text"] == first.message
    (bare,) = [i for i in threads(sandbox, part="id").json()["items"] if i["id"] == first.id]
    assert set(bare) == {"kind", "etag", "id"}
    plain = threads(sandbox, part="snippet").json()["items"]
    assert not any("replies" in i for i in plain)


def test_nothing_before_the_end_and_a_deleted_comment_leaves_the_listing(
    sandbox: Sandbox,
) -> None:
    s = sandbox.scenario
    sandbox.clock.set(s.scripted_end)
    assert threads(sandbox).json()["items"] == []
    deleted = s.youtube_replay[1]
    assert deleted.deleted_at is not None
    sandbox.clock.set(deleted.deleted_at - 1)
    assert deleted.id in {i["id"] for i in every_page(sandbox)}
    sandbox.clock.set(deleted.deleted_at)
    assert deleted.id not in {i["id"] for i in every_page(sandbox)}


def test_relevance_order_and_its_tokens(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    sandbox.clock.set(s.scripted_end + 3 * DAY)
    items = every_page(sandbox, order="relevance", maxResults=3)
    likes = [i["snippet"]["topLevelComment"]["snippet"]["likeCount"] for i in items]
    assert likes == sorted(likes, reverse=True)
    assert len(items) == len(every_page(sandbox))
    token = threads(sandbox, order="relevance", maxResults=1).json()["nextPageToken"]
    assert google_error(threads(sandbox, pageToken=token), 400)["reason"] == "invalidPageToken"


def test_html_text_is_escaped_and_plain_text_is_not() -> None:
    scenario = Scenario()
    first = scenario.youtube_replay[0]
    scenario.youtube_replay = (replace(first, message="<b>Tom & Jerry</b>\n0912 345 678"),)
    with Sandbox.start(scenario=scenario) as sandbox:
        sandbox.clock.set(scenario.scripted_end + 3600)
        (html,) = threads(sandbox).json()["items"]
        snippet = html["snippet"]["topLevelComment"]["snippet"]
        assert snippet["textDisplay"] == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;<br>0912 345 678"
        assert snippet["textOriginal"] == "<b>Tom & Jerry</b>\n0912 345 678"
        (plain,) = threads(sandbox, textFormat="plainText").json()["items"]
        text = plain["snippet"]["topLevelComment"]["snippet"]["textDisplay"]
        assert text == snippet["textOriginal"]


def test_parameter_and_video_errors(sandbox: Sandbox) -> None:
    sandbox.clock.set(sandbox.scenario.scripted_end + 3600)
    detail = google_error(threads(sandbox, videoId="unknownvid1"), 404)
    assert (detail["reason"], detail["domain"]) == ("videoNotFound", "youtube.commentThread")
    assert google_error(threads(sandbox, videoId=""), 400)["reason"] == "missingRequiredParameter"
    assert google_error(threads(sandbox, part=""), 400)["reason"] == "required"
    assert google_error(threads(sandbox, part="snippet,bogus"), 400)["reason"] == "unknownPart"
    for size in (0, 101, "x"):
        assert google_error(threads(sandbox, maxResults=size), 400)["reason"] == "invalidValue"
    assert threads(sandbox, maxResults=100).status_code == 200
    assert google_error(threads(sandbox, order="newest"), 400)["reason"] == "invalidValue"
    assert google_error(threads(sandbox, textFormat="md"), 400)["reason"] == "invalidValue"
    assert google_error(threads(sandbox, pageToken="%%%"), 400)["reason"] == "invalidPageToken"
    clip = threads(sandbox, videoId=sandbox.scenario.params.youtube_clip_id).json()
    assert clip["items"] == []  # the plain upload: no scripted comments


def test_comments_switched_off_and_the_quota() -> None:
    with Sandbox.start(youtube=YouTubeSettings(comments_disabled=True)) as sandbox:
        sandbox.clock.set(sandbox.scenario.scripted_end + 3600)
        detail = google_error(threads(sandbox), 403)
        assert (detail["reason"], detail["domain"]) == ("commentsDisabled", "youtube.commentThread")
        sandbox.youtube.settings.comments_disabled = False
        assert threads(sandbox).status_code == 200
        assert sandbox.youtube.quota.used(sandbox.clock.now()) == 2  # one unit a call


def test_comments_list_pages_a_threads_replies_oldest_first(sandbox: Sandbox) -> None:
    s, p = sandbox.scenario, sandbox.scenario.params
    first = s.youtube_replay[0]
    sandbox.clock.set(s.scripted_end + 3600)
    replies = sorted((c for c in s.youtube_replay if c.parent_id == first.id),
                     key=lambda c: (c.created, c.seq))  # fmt: skip
    assert len(replies) == 7
    items: list[dict[str, Any]] = []
    token = None
    pages = 0
    while True:
        page = {"pageToken": token} if token else {}
        body = comments(sandbox, parentId=first.id, maxResults=3, **page).json()
        assert body["kind"] == "youtube#commentListResponse"
        assert body["pageInfo"] == {"totalResults": len(body["items"]), "resultsPerPage": 3}
        items += body["items"]
        pages += 1
        token = body.get("nextPageToken")
        if token is None:
            break
    assert pages == 3  # 3 + 3 + 1
    assert [i["id"] for i in items] == [c.id for c in replies]  # oldest first, each once
    assert all(i["kind"] == "youtube#comment" for i in items)
    assert {i["snippet"]["parentId"] for i in items} == {first.id}
    assert {i["snippet"]["videoId"] for i in items} == {p.youtube_video_id}
    seventh = items[6]["snippet"]
    assert seventh["textOriginal"] == replies[6].message
    assert re.search(r"\d{4} \d{3} \d{3}", seventh["textDisplay"])  # a number to call back
    assert seventh["authorChannelId"] == {"value": replies[6].author.id}
    # Served once through comments.list only: the ground truth has it.
    assert replies[6].id in sandbox.truth()["youtube"]["replay_comments"]
    default = comments(sandbox, parentId=first.id).json()
    assert default["pageInfo"]["resultsPerPage"] == 20
    assert "nextPageToken" not in default
    assert len(default["items"]) == 7
    bare = comments(sandbox, parentId=first.id, part="id").json()["items"]
    assert all(set(i) == {"kind", "etag", "id"} for i in bare)
    # A reply has no replies of its own; a thread without any lists nothing.
    assert comments(sandbox, parentId=replies[0].id).json()["items"] == []
    assert comments(sandbox, parentId=s.youtube_replay[1].id).json()["items"] == []
    # By id: top-level comments and replies alike; an id naming nothing is left out.
    by_id = comments(sandbox, id=f"{first.id},{replies[6].id},Ugznothing").json()["items"]
    assert [i["id"] for i in by_id] == [first.id, replies[6].id]
    assert sandbox.youtube.quota.used(sandbox.clock.now()) == pages + 5  # one unit a call


def test_comments_list_sees_replies_come_and_their_thread_go(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    first, deleted = s.youtube_replay[0], s.youtube_replay[1]
    replies = sorted((c for c in s.youtube_replay if c.parent_id == first.id),
                     key=lambda c: c.created)  # fmt: skip
    sandbox.clock.set(replies[6].created - 1)
    assert [i["id"] for i in comments(sandbox, parentId=first.id).json()["items"]] == [
        c.id for c in replies[:6]
    ]
    sandbox.clock.set(s.scripted_end)
    detail = google_error(comments(sandbox, parentId=first.id), 404)  # not written yet
    assert (detail["reason"], detail["domain"]) == ("commentNotFound", "youtube.comment")
    assert deleted.deleted_at is not None
    sandbox.clock.set(deleted.deleted_at)
    assert google_error(comments(sandbox, parentId=deleted.id), 404)["reason"] == "commentNotFound"


def test_comments_list_parameter_errors(sandbox: Sandbox) -> None:
    s = sandbox.scenario
    first = s.youtube_replay[0]
    sandbox.clock.set(s.scripted_end + 3600)
    assert google_error(comments(sandbox), 400)["reason"] == "missingRequiredParameter"
    both = comments(sandbox, id=first.id, parentId=first.id)
    assert google_error(both, 400)["reason"] == "incompatibleParameters"
    paged_ids = comments(sandbox, id=first.id, maxResults=5)
    assert google_error(paged_ids, 400)["reason"] == "incompatibleParameters"
    assert google_error(comments(sandbox, parentId=first.id, part=""), 400)["reason"] == "required"
    replies_part = comments(sandbox, parentId=first.id, part="snippet,replies")
    assert google_error(replies_part, 400)["reason"] == "unknownPart"
    for size in (0, 101, "x"):
        sized = comments(sandbox, parentId=first.id, maxResults=size)
        assert google_error(sized, 400)["reason"] == "invalidValue"
    assert comments(sandbox, parentId=first.id, maxResults=100).status_code == 200
    formatted = comments(sandbox, parentId=first.id, textFormat="md")
    assert google_error(formatted, 400)["reason"] == "invalidValue"
    assert google_error(comments(sandbox, parentId="Ugznothing"), 404)["reason"] == (
        "commentNotFound"
    )
    garbage = comments(sandbox, parentId=first.id, pageToken="%%%")
    assert google_error(garbage, 400)["reason"] == "invalidPageToken"
    # A token is for the replies of the comment it came from, and for no thread listing.
    token = comments(sandbox, parentId=first.id, maxResults=1).json()["nextPageToken"]
    other = comments(sandbox, parentId=s.youtube_replay[1].id, pageToken=token)
    assert google_error(other, 400)["reason"] == "invalidPageToken"
    assert google_error(threads(sandbox, pageToken=token), 400)["reason"] == "invalidPageToken"
    assert comments(sandbox, parentId=first.id, pageToken=token).status_code == 200


def test_comments_list_costs_what_the_settings_say() -> None:
    settings = YouTubeSettings()
    settings.costs["comments.list"] = 3
    with Sandbox.start(youtube=settings) as sandbox:
        first = sandbox.scenario.youtube_replay[0]
        sandbox.clock.set(sandbox.scenario.scripted_end + 3600)
        assert comments(sandbox, parentId=first.id).status_code == 200
        assert sandbox.youtube.quota.used(sandbox.clock.now()) == 3
