"""The Facebook live collector against the sandbox over HTTP: paging, bursts, batch, shapes."""

from __future__ import annotations

from typing import Any

from collectors.base import Batch, TargetSpec
from collectors.facebook import FacebookLiveCollector, make_client
from collectors.http import make_session
from sandbox import Sandbox


def setup(sandbox: Sandbox, max_pages: int = 20) -> tuple[FacebookLiveCollector, TargetSpec]:
    creds = sandbox.credentials()
    client = make_client(make_session(backoff=0), sandbox.facebook_url, timeout=2)
    collector = FacebookLiveCollector(
        client, clock=lambda: sandbox.scenario.datetime_at(sandbox.clock.now()), max_pages=max_pages
    )
    spec = TargetSpec(
        "facebook_live",
        creds["facebook_live_video_id"],
        sandbox.facebook_url,
        {"access_token": sandbox.facebook_token},
        account_external_id=creds["facebook_page_id"],
    )
    return collector, spec


def poll(collector: Any, spec: TargetSpec, cursor: dict, seen: set[str]) -> Batch:
    batch = collector.collect(spec, cursor)
    cursor.clear()
    cursor.update(batch.cursor)
    seen.update(c.external_id for c in batch.comments)
    return batch


def assert_spans_whole(sandbox: Sandbox, batch: Batch) -> None:
    """Every comment the platform shows in a span the batch says it listed whole is in the
    batch: otherwise the writer would take a comment not read for one deleted. (One the page hid
    is meant to be missing.)"""
    listed = {c.external_id for c in batch.comments}
    scenario, now = sandbox.scenario, sandbox.clock.now()
    shown = scenario.shown_comments(now)
    for span in batch.listed:
        for comment in shown:
            at = scenario.datetime_at(comment.created)
            inside = (span.since is None or at >= span.since) and (
                span.until is None or at < span.until
            )
            assert not inside or comment.id in listed, (span, comment.id)


def test_a_burst_beyond_the_page_cap_is_caught_up_oldest_first(sandbox: Sandbox) -> None:
    collector, spec = setup(sandbox, max_pages=2)  # at most 200 comments a stream per run
    cursor: dict = {}
    seen: set[str] = set()
    sandbox.advance(20)
    poll(collector, spec, cursor, seen)
    sandbox.advance(600)  # some 300 comments arrive before the next poll
    batch = poll(collector, spec, cursor, seen)
    assert "backlog_since" in cursor
    assert batch.poll_after is not None  # come back soon for the rest
    assert batch.listed == ()  # capped newest first: it listed no span whole
    spans = []
    for _ in range(6):
        sandbox.advance(5)
        batch = poll(collector, spec, cursor, seen)
        assert_spans_whole(sandbox, batch)
        spans.extend(batch.listed)
    assert any(span.since is not None for span in spans)
    visible = {c.id for c in sandbox.scenario.visible_comments(sandbox.clock.now())}
    assert visible <= seen
    assert "backlog_since" not in cursor


def test_one_poll_is_one_http_request(sandbox: Sandbox) -> None:
    collector, spec = setup(sandbox)
    sandbox.advance(200)  # fewer comments than a page (at most ~70 whatever the seed)
    before = len(sandbox.requests_log)
    batch = collector.collect(spec, {})
    http = [e for e in sandbox.requests_log[before:] if not e.get("batch_item")]
    assert len(http) == 1
    assert batch.calls >= 2  # but every batch item counts against the rate limits


def test_several_lives_share_one_batch(sandbox: Sandbox) -> None:
    collector, spec = setup(sandbox)
    past = sandbox.scenario.past_lives[0]
    other = TargetSpec("facebook_live", past.live_video_id, spec.base_url, spec.credentials,
                       account_external_id=spec.account_external_id)  # fmt: skip
    sandbox.advance(200)  # fewer comments than a page: no continuation request
    before = len(sandbox.requests_log)
    live, vod = collector.collect_many([(spec, {}), (other, {})])
    assert isinstance(live, Batch)
    assert isinstance(vod, Batch)
    assert (live.status, vod.status) == ("live", "ended")
    http = [e for e in sandbox.requests_log[before:] if not e.get("batch_item")]
    assert len(http) == 1


def test_the_pages_own_replies_say_so(sandbox: Sandbox) -> None:
    """Graph names a comment's author in ``from{id}``; the Page's own replies carry its id."""
    collector, spec = setup(sandbox)
    cursor: dict = {}
    comments = {}
    for _ in range(12):
        sandbox.advance(120)
        comments.update({c.external_id: c for c in poll(collector, spec, cursor, set()).comments})
    page = sandbox.scenario.params.page_id
    expected = {c.id for c in sandbox.scenario.comments if c.author.id == page}
    by_owner = {i for i, c in comments.items() if c.by_owner}
    assert by_owner
    assert by_owner == expected & set(comments)
    assert all(c.author_external_id == page for c in comments.values() if c.by_owner)


def test_the_sweep_after_the_end_claims_only_the_comments_it_read(sandbox: Sandbox) -> None:
    """One page a stream per poll: the sweep of every comment takes several polls, each listing
    only up to the last comment it reached, and the last one from there to now."""
    collector, spec = setup(sandbox, max_pages=1)
    cursor: dict = {}
    seen: set[str] = set()
    spans = []
    for _ in range(200):
        sandbox.advance(15)
        batch = poll(collector, spec, cursor, seen)
        assert_spans_whole(sandbox, batch)
        if cursor.get("swept"):
            spans.extend(batch.listed)
        if cursor.get("phase") == "insights":
            break
    assert cursor.get("phase") == "insights"
    stopped = [span for span in spans if span.until is not None]
    assert len(stopped) >= 2  # the sweep was capped more than once, each span stopping short
    assert spans[-1].until is None  # and its last poll reached the newest comment


def test_each_poll_says_the_lives_title_and_permalink(sandbox: Sandbox) -> None:
    """What an officer knows the live by, from the live node the poll reads anyway."""
    collector, spec = setup(sandbox)
    p = sandbox.scenario.params
    sandbox.advance(sandbox.scenario.live_start + 60)
    batch = collector.collect(spec, {})
    assert batch.status == "live"
    assert batch.title == p.title
    assert batch.url == f"https://www.facebook.com/{p.page_id}/videos/{p.video_id}/"
