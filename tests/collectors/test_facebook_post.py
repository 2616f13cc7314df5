"""Fanpage posts against the loopback Graph fake: counters, comments, schedule, metric registry.

Platform behaviour pinned here (Graph API, posts):

* reactions by type come from aliased ``reactions.type(X)`` counts; ``shares`` is omitted at 0;
* comments are read oldest first (``filter=stream``) with cursor paging, ``next`` absent only on
  the last page, an empty page with ``next`` now and then; the since-cursor re-reads a minute;
* Meta answers error 100 "invalid metric" for a retired insight metric, failing the whole
  ``metric=a,b`` request: a retired metric is never asked for, and when Meta retires one we
  still think served, the other metrics of the request are kept;
* the post is polled every 15 min for 2 days, hourly to 7 days, daily to 28 days, then finished.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

import collectors
from collectors.base import Batch, ListedSpan, TargetSpec
from collectors.errors import TargetGone
from collectors.facebook.metrics import (
    REGISTRY,
    MetricError,
    check_metrics,
    is_invalid_metric,
    requestable,
)
from collectors.facebook.post import FacebookPostCollector, post_id_of
from collectors.http import make_session
from collectors.post_schedule import next_poll
from sandbox import Sandbox

DAY = 86400.0


def _collector(sandbox: Sandbox, clock=None, **options) -> FacebookPostCollector:
    clock = clock or (lambda: sandbox.scenario.datetime_at(sandbox.clock.now()))
    return collectors.build(  # type: ignore[return-value]
        "facebook_post",
        make_session(retries=0),
        sandbox.facebook_url,
        clock=clock,
        options=options,
    )


def _target(sandbox: Sandbox, number: str) -> TargetSpec:
    page = sandbox.scenario.params.page_id
    return TargetSpec(
        kind="facebook_post",
        external_id=f"{page}_{number}",
        base_url=sandbox.facebook_url,
        credentials={"access_token": sandbox.facebook_token},
        account_external_id=page,
    )


def _insight_requests(sandbox: Sandbox, since: int = 0) -> list[list[str]]:
    return [
        e["params"]["metric"].split(",")
        for e in sandbox.requests_log[since:]
        if e["path"].endswith("/insights")
    ]


def test_post_counters_reactions_by_type_shares_and_views(sandbox: Sandbox) -> None:
    sandbox.facebook.seed_post(
        "7001",
        created=0,
        reactions={"LIKE": 120, "LOVE": 30, "CARE": 5, "WOW": 2},
        shares=14,
        media_view=2500,
        media_view_unique=1800,
        comments=3,
    )
    sandbox.advance(600)
    batch = _collector(sandbox).collect(_target(sandbox, "7001"), {})
    (sample,) = batch.samples
    assert sample.views == 2500
    assert sample.extra["post_total_media_view_unique"] == 1800
    assert sample.reactions == {
        "like": 120, "love": 30, "care": 5, "haha": 0, "wow": 2, "sad": 0, "angry": 0,
    }  # fmt: skip
    assert sample.reactions_total == 157
    assert sample.shares == 14
    assert sample.comments == 3
    assert batch.status == "published"
    assert not batch.finished
    for entry in sandbox.requests_log:
        assert entry["headers"]["Authorization"] == f"Bearer {sandbox.facebook_token}"
        assert "access_token" not in entry["params"]


def test_a_never_shared_post_counts_zero_shares(sandbox: Sandbox) -> None:
    sandbox.facebook.seed_post("7002", created=0)
    (sample,) = _collector(sandbox).collect(_target(sandbox, "7002"), {}).samples
    assert sample.shares == 0  # Graph omits ``shares`` until the first share
    assert sample.reactions_total == 0


def test_comments_are_paged_to_the_end_and_read_incrementally(sandbox: Sandbox) -> None:
    post = sandbox.facebook.seed_post("7003", created=0, comments=250, comment_every=30)
    collector = _collector(sandbox)
    target = _target(sandbox, "7003")
    sandbox.advance(3000)  # 99 comments so far
    first = collector.collect(target, {})
    assert {c.external_id for c in first.comments} == {c.id for c in post.comments[:100]}
    pages = [e for e in sandbox.requests_log if e["path"].endswith("/comments")]
    assert len(pages) >= 1
    assert pages[0]["params"]["order"] == "chronological"
    assert pages[0]["params"]["filter"] == "stream"
    assert "since" not in pages[0]["params"]

    before = len(sandbox.requests_log)
    sandbox.advance(6000)  # every comment is out now
    second = collector.collect(target, first.cursor)
    pages = [e for e in sandbox.requests_log[before:] if e["path"].endswith("/comments")]
    assert len(pages) >= 2  # 100 per page: several pages, the first one bounded by ``since``
    since = datetime.fromisoformat(first.cursor["comments_since"])
    assert pages[0]["params"]["since"] == str(int(since.timestamp()))
    seen = {c.external_id for c in first.comments} | {c.external_id for c in second.comments}
    assert seen == {c.id for c in post.comments}
    # The new comments were read from the since-cursor (a minute of overlap), then the thread
    # from its first comment again: the whole read of the start of its pages.
    starts = [e["params"].get("since") for e in pages if "after" not in e["params"]]
    assert starts == [str(int(since.timestamp())), None]
    assert second.listed == (ListedSpan(since, None), ListedSpan(None, None))
    replies = {c.external_id: c.parent_external_id for c in second.comments}
    expected = {c.id: c.parent_id for c in post.comments if c.id in replies}
    assert replies == expected
    assert any(parent for parent in replies.values())


def test_page_cap_stops_a_run_and_the_next_run_continues(sandbox: Sandbox) -> None:
    post = sandbox.facebook.seed_post("7004", created=0, comments=230, comment_every=1)
    sandbox.advance(400)
    collector = _collector(sandbox, max_pages=1)
    target = _target(sandbox, "7004")
    cursor: dict = {}
    seen: set[str] = set()
    for _ in range(4):
        batch = collector.collect(target, cursor)
        cursor = dict(batch.cursor)
        seen |= {c.external_id for c in batch.comments}
    assert seen == {c.id for c in post.comments}


def test_deleted_and_hidden_comments_are_missing_from_a_span_the_poll_listed(
    sandbox: Sandbox,
) -> None:
    """Graph stops listing a comment its author deleted, and the page's own read lists a hidden
    one with is_hidden: a later poll re-reads the thread and says which spans it read whole."""
    post = sandbox.facebook.seed_post("7005", created=0, comments=12, comment_every=60)
    collector, target = _collector(sandbox), _target(sandbox, "7005")
    sandbox.advance(3600)
    first = collector.collect(target, {})
    assert first.listed == (ListedSpan(None, None),)  # the first poll reads the whole thread
    deleted, hidden = post.comments[2], post.comments[4]
    now = int(sandbox.clock.now())
    sandbox.facebook.change_post_comment(deleted.id, deleted_at=now)
    sandbox.facebook.change_post_comment(hidden.id, hidden_at=now)
    sandbox.advance(900)
    second = collector.collect(target, first.cursor)
    read = {c.external_id for c in second.comments}
    assert read == {c.id for c in post.comments} - {deleted.id, hidden.id}
    for gone in (deleted, hidden):
        at = sandbox.scenario.datetime_at(gone.created)
        assert any(_within(at, span) for span in second.listed), gone.id

    sandbox.facebook.change_post_comment(hidden.id, hidden_at=None)  # the page unhid it
    sandbox.advance(900)
    third = collector.collect(target, second.cursor)
    assert hidden.id in {c.external_id for c in third.comments}


def test_a_long_thread_is_re_read_a_stretch_per_poll_without_a_gap(sandbox: Sandbox) -> None:
    sandbox.facebook.seed_post("7006", created=0, comments=700, comment_every=1)
    collector, target = _collector(sandbox), _target(sandbox, "7006")
    sandbox.advance(800)
    cursor = dict(collector.collect(target, {}).cursor)
    stretches: list[ListedSpan] = []
    for _ in range(4):
        sandbox.advance(900)
        batch = collector.collect(target, cursor)
        cursor = dict(batch.cursor)
        (_, again) = batch.listed  # the new comments' span, then the re-read's
        stretches.append(again)
    # 300 comments a poll (three pages): three polls cover the thread, the fourth starts over.
    assert [s.since is None for s in stretches] == [True, False, False, True]
    ends = [(s.since, s.until) for s in stretches[:3]]
    assert ends == [(None, ends[1][0]), (ends[1][0], ends[2][0]), (ends[2][0], None)]
    assert None not in (ends[1][0], ends[2][0])


def _within(at: datetime, span: ListedSpan) -> bool:
    return (span.since is None or span.since <= at) and (span.until is None or at < span.until)


def test_schedule_slows_down_with_age_and_finishes_at_28_days(sandbox: Sandbox) -> None:
    published = datetime(2026, 11, 1, tzinfo=UTC)
    assert next_poll(published, published + timedelta(hours=3)) == (900.0, False)
    assert next_poll(published, published + timedelta(days=3)) == (3600.0, False)
    assert next_poll(published, published + timedelta(days=10)) == (DAY, False)
    assert next_poll(published, published + timedelta(days=27, hours=20)) == (4 * 3600.0, False)
    assert next_poll(published, published + timedelta(days=28)) == (0.0, True)

    sandbox.facebook.seed_post("7005", created=0, media_view=10)
    collector = _collector(sandbox)
    target = _target(sandbox, "7005")
    sandbox.advance(60)
    assert collector.collect(target, {}).poll_after == 900.0
    sandbox.advance(3 * DAY)
    assert collector.collect(target, {}).poll_after == 3600.0
    sandbox.advance(26 * DAY)
    last = collector.collect(target, {})
    assert last.finished
    assert last.poll_after is None
    assert last.samples[0].views == 10  # the final read is still taken


def test_a_bare_video_id_is_read_through_its_page_post(sandbox: Sandbox) -> None:
    sandbox.facebook.seed_post("7006", created=0, is_video=True, video_views=90, media_view=300)
    page = sandbox.scenario.params.page_id
    spec = TargetSpec("facebook_post", "7006", sandbox.facebook_url,
                      {"access_token": sandbox.facebook_token}, page)  # fmt: skip
    assert post_id_of(spec) == f"{page}_7006"
    collector = _collector(sandbox, metrics=("post_media_view", "post_video_views"))
    (sample,) = collector.collect(spec, {}).samples
    assert (sample.views, sample.extra["post_video_views"]) == (300, 90)


def test_a_deleted_post_is_gone(sandbox: Sandbox) -> None:
    with pytest.raises(TargetGone):
        _collector(sandbox).collect(_target(sandbox, "999999"), {})


# --- the metric registry ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "replacement"),
    [
        ("post_impressions", "post_media_view"),
        ("post_impressions_unique", "post_total_media_view_unique"),
        ("post_impressions_fan", "post_media_view"),
        ("post_video_views_10s", "post_video_views"),
    ],
)
def test_a_retired_metric_is_refused_at_start_up_naming_its_replacement(
    name: str, replacement: str
) -> None:
    with pytest.raises(MetricError, match=f"{name} was retired.*use {replacement}"):
        check_metrics(["post_media_view", name], date(2026, 11, 25))
    # A collector built after the retirement drops it rather than failing every run.
    collector = FacebookPostCollector(
        None,  # type: ignore[arg-type]
        clock=lambda: datetime(2026, 11, 25, tzinfo=UTC),
        metrics=("post_media_view", name),
    )
    assert collector.metrics == ("post_media_view",)


def test_an_unknown_metric_is_refused_at_start_up() -> None:
    with pytest.raises(MetricError, match="post_media_views is not a known"):
        check_metrics(["post_media_views"], date(2026, 11, 25))
    with pytest.raises(MetricError, match="post_media_views is not a known"):
        FacebookPostCollector(None, metrics=("post_media_views",))  # type: ignore[arg-type]


def test_no_retired_metric_is_ever_requested(sandbox: Sandbox) -> None:
    """Configured before its retirement day, a metric is dropped from that day on."""
    sandbox.facebook.seed_post("7007", created=0, media_view=50, media_view_unique=40)
    day = {"now": datetime(2025, 11, 10, tzinfo=UTC)}  # five days before post_impressions retires
    configured = ("post_media_view", "post_impressions", "post_total_media_view_unique")
    collector = _collector(sandbox, clock=lambda: day["now"], metrics=configured)
    assert collector.metrics == configured
    assert requestable(configured, date(2025, 11, 10)) == configured
    day["now"] = datetime(2025, 11, 15, tzinfo=UTC)
    before = len(sandbox.requests_log)
    (sample,) = collector.collect(_target(sandbox, "7007"), {}).samples
    asked = {m for request in _insight_requests(sandbox, before) for m in request}
    assert asked == {"post_media_view", "post_total_media_view_unique"}
    assert not any(REGISTRY[m].retired(day["now"].date()) for m in asked)
    assert sample.views == 50


def test_invalid_metric_for_one_metric_keeps_the_others(sandbox: Sandbox) -> None:
    sandbox.facebook.seed_post("7008", created=0, media_view=640, media_view_unique=410,
                               video_views=77, is_video=True)  # fmt: skip
    sandbox.facebook.retire_metric("post_total_media_view_unique")  # Meta retires it today
    metrics = ("post_media_view", "post_total_media_view_unique", "post_video_views")
    collector = _collector(sandbox, metrics=metrics)
    target = _target(sandbox, "7008")
    first = collector.collect(target, {})
    (sample,) = first.samples
    assert sample.views == 640
    assert sample.extra == {"post_video_views": 77}
    failed = first.cursor["failed_metrics"]
    assert set(failed) == {"post_total_media_view_unique"}
    assert "metric" in failed["post_total_media_view_unique"]["error"]
    # One request with all three, refused; then one per metric.
    assert _insight_requests(sandbox) == [list(metrics), *[[m] for m in metrics]]

    before = len(sandbox.requests_log)
    again = collector.collect(target, first.cursor)
    assert _insight_requests(sandbox, before) == [["post_media_view", "post_video_views"]]
    assert again.samples[0].views == 640
    assert again.cursor["failed_metrics"] == failed


def test_invalid_metric_is_told_from_other_error_100() -> None:
    assert is_invalid_metric(100, "(#100) The value must be a valid insights metric")
    assert not is_invalid_metric(100, "(#100) Tried accessing nonexisting field (x)")
    assert not is_invalid_metric(190, "Invalid OAuth access token metric")


def test_registry_batch_of_the_collector_is_a_batch(sandbox: Sandbox) -> None:
    sandbox.facebook.seed_post("7009", created=0)
    assert isinstance(_collector(sandbox).collect(_target(sandbox, "7009"), {}), Batch)


def test_the_pages_replies_under_a_post_say_so(sandbox: Sandbox) -> None:
    """A Page post's id is ``{page}_{post}``: its own replies (``from.id`` the page) say so."""
    post = sandbox.facebook.seed_post("7004", created=0, comments=10, replies_every=3)
    sandbox.advance(600)
    target = _target(sandbox, "7004")
    batch = _collector(sandbox).collect(replace(target, account_external_id=None), {})
    by_owner = {c.external_id for c in batch.comments if c.by_owner}
    assert by_owner == {c.id for c in post.comments if c.parent_id}
    assert len(by_owner) == 3
