"""The fake ``commentThreads.list`` over real HTTP: the comments under the YouTube replay.

Pins the Data API's behaviour (reference: commentThreads.list, the commentThread and comment
resources): ``part`` is required (id, snippet, replies); threads of one ``videoId``, newest first
for ``order=time`` (the default), ``maxResults`` 1–100 (default 20), paged by ``nextPageToken``
(absent on the last page); each thread's ``snippet.topLevelComment`` and, with ``part=replies``,
``replies.comments`` carrying ``snippet.parentId``; the author in
``snippet.authorChannelId.value``; ``textFormat=html`` (default) escapes the text,
``plainText`` does not; a deleted comment is no longer listed; an unknown video is 404
``videoNotFound``, comments switched off 403 ``commentsDisabled``; one quota unit a call.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import requests

from sandbox import Sandbox, Scenario, YouTubeSettings
from sandbox.scenario import DAY

THREADS = "commentThreads"


def threads(sandbox: Sandbox, **params: Any) -> requests.Response:
    params = {
        "part": "snippet,replies",
        "videoId": sandbox.scenario.params.youtube_video_id,
        "key": sandbox.youtube_api_key,
        **params,
    }
    return requests.get(f"{sandbox.youtube_url}/{THREADS}", params=params, timeout=5)


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
    assert snippet["totalReplyCount"] == len(replies) == 2
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
