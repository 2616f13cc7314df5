"""A Facebook live's video insights, read against the sandbox over HTTP.

What the tests pin, from the Graph reference and what Meta does to retired metrics:

* ``LiveVideo.live_views`` is the count of the moment and there is no views field worth reading
  while live: the views are the Video's lifetime ``total_video_views``
  (``/{video-id}/video_insights``). They are read as soon as the live ends (in the batch of the
  final comment sweep), not an hour later, and again at +1 h, +24 h and +7 days after the end —
  the end Graph states (``broadcast_start_time`` plus the Video's ``length``), not the moment the
  collector first noticed it.
* A retired metric answers error 100 "(#100) The value must be a valid insights metric" and
  fails the whole ``metric=a,b,c`` read. That metric alone is dropped (its replacement, if the
  registry names one, asked instead); the others are read, and the target is never failed.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from collectors.base import Batch
from collectors.settling import FIRST_HOUR, SETTLING_READS
from sandbox import Sandbox
from tests.collectors.test_facebook_live import poll, setup


def insight_reads(sandbox: Sandbox, since: int = 0) -> list[list[str]]:
    """The metric lists of every video_insights read since request ``since``, in order."""
    reads = []
    for entry in sandbox.requests_log[since:]:
        split = urlsplit(entry["path"])
        if split.path.endswith("/video_insights"):
            metric = entry["params"].get("metric") or parse_qs(split.query)["metric"][0]
            reads.append(metric.split(","))
    return reads


def play_past_the_end(sandbox: Sandbox) -> tuple:
    """Polls during the live, then the poll that sees it ended; the next one is the sweep."""
    collector, spec = setup(sandbox)
    cursor: dict = {}
    seen: set[str] = set()
    s = sandbox.scenario
    sandbox.clock.set(s.live_start + 600)
    during = poll(collector, spec, cursor, seen)
    sandbox.clock.set(s.scripted_end + 2)
    ended = poll(collector, spec, cursor, seen)
    return collector, spec, cursor, seen, during, ended


def test_views_are_read_as_soon_as_the_live_ends(sandbox: Sandbox) -> None:
    collector, spec, cursor, seen, during, ended = play_past_the_end(sandbox)
    s = sandbox.scenario
    assert [x.views for x in during.samples] == [None]  # not read while live, never 0
    assert ended.status == "ended"
    assert cursor["ended_at"] == s.datetime_at(s.scripted_end).isoformat()  # Graph's end
    # The broadcast's own times (broadcast_start_time, and its video's length), not the polls'.
    start, end = s.datetime_at(s.live_start), s.datetime_at(s.scripted_end)
    assert abs(during.started_at - start) < timedelta(seconds=1)
    assert during.ended_at is None
    assert abs(ended.started_at - start) < timedelta(seconds=1)
    assert abs(ended.ended_at - end) < timedelta(seconds=1)
    sandbox.advance(5)  # the final sweep, five seconds later
    swept = poll(collector, spec, cursor, seen)
    (sample,) = swept.samples  # one row: the live node and the insights of the same poll
    served = sandbox.truth()["facebook"]["insights"]
    assert sample.views == served["total_video_views"] == s.views("facebook", s.scripted_end + 7)
    assert sample.views > 0
    assert sample.extra["insights_offset_seconds"] == 0
    assert cursor["insights_done"] == [0]
    assert cursor["phase"] == "insights"
    assert not swept.finished
    assert swept.poll_after == 120 - 7  # the next read is two minutes after the end
    assert insight_reads(sandbox) == [
        [
            "total_video_views",
            "total_video_views_unique",
            "total_video_views_live",
            "total_video_avg_time_watched",
            "total_video_view_total_time_live",
            "total_video_reactions_by_type_total",
        ]
    ]


def test_reads_follow_the_end_graph_states_not_the_first_poll(sandbox: Sandbox) -> None:
    """A target first polled two days and a half-hour after its live: one read answers every
    read already due, and the +7 d read stays a week after the end."""
    collector, spec = setup(sandbox)
    cursor: dict = {}
    seen: set[str] = set()
    s = sandbox.scenario
    late = s.scripted_end + 2 * 86400 + 1800
    sandbox.clock.set(late)
    first = poll(collector, spec, cursor, seen)
    assert first.status == "ended"
    assert cursor["ended_at"] == s.datetime_at(s.scripted_end).isoformat()
    assert abs(first.ended_at - s.datetime_at(s.scripted_end)) < timedelta(seconds=1)
    sandbox.advance(5)
    swept = poll(collector, spec, cursor, seen)
    assert cursor["insights_done"] == [*FIRST_HOUR, 3600, 86400]
    assert swept.samples[-1].views == s.views("facebook", late + 5)
    assert swept.samples[-1].extra["insights_offset_seconds"] == 86400
    assert swept.poll_after == 7 * 86400 - (late + 5 - s.scripted_end)
    sandbox.clock.set(s.scripted_end + 7 * 86400)
    last = poll(collector, spec, cursor, seen)
    assert cursor["insights_done"] == list(SETTLING_READS)
    assert last.finished
    assert last.samples[-1].views == s.params.final_views


def test_each_read_of_the_schedule_happens_once(sandbox: Sandbox) -> None:
    collector, spec, cursor, seen, _, _ = play_past_the_end(sandbox)
    s = sandbox.scenario
    sandbox.advance(5)
    poll(collector, spec, cursor, seen)
    before = len(sandbox.requests_log)
    sandbox.clock.set(s.scripted_end + 60)  # polled before the +2 min read: no call at all
    early = poll(collector, spec, cursor, seen)
    assert (early.samples, len(sandbox.requests_log)) == ((), before)
    views = []
    for offset in SETTLING_READS[1:]:
        sandbox.clock.set(s.scripted_end + offset)
        batch = poll(collector, spec, cursor, seen)
        views.append(batch.samples[-1].views)
    assert cursor["insights_done"] == list(SETTLING_READS)
    assert batch.finished
    assert len(insight_reads(sandbox)) == len(SETTLING_READS)
    assert views == [s.views("facebook", s.scripted_end + o) for o in SETTLING_READS[1:]]
    assert views[-1] == s.params.final_views


def test_a_retired_metric_is_dropped_alone_and_the_live_goes_on(sandbox: Sandbox) -> None:
    sandbox.facebook.retire_metric("total_video_avg_time_watched")  # Meta retires it today
    collector, spec, cursor, seen, _, _ = play_past_the_end(sandbox)
    sandbox.advance(5)
    swept = collector.collect(spec, cursor)
    assert isinstance(swept, Batch)  # not an error of the target
    cursor = dict(swept.cursor)
    (sample,) = swept.samples
    served = sandbox.truth()["facebook"]["insights"]
    assert sample.views == served["total_video_views"] > 0
    assert "total_video_avg_time_watched" not in sample.extra
    assert sample.extra["total_video_views_live"] == served["total_video_views_live"]
    refused = cursor["failed_metrics"]
    assert set(refused) == {"total_video_avg_time_watched"}
    assert "valid insights metric" in refused["total_video_avg_time_watched"]["error"]
    assert cursor["insights_done"] == [0]
    reads = insight_reads(sandbox)
    assert len(reads[0]) == 6  # all together in the batch, refused
    assert sorted(m for read in reads[1:] for m in read) == sorted(reads[0])  # then each alone
    before = len(sandbox.requests_log)
    sandbox.clock.set(sandbox.scenario.scripted_end + 3600)
    again = collector.collect(spec, cursor)
    (asked,) = insight_reads(sandbox, before)  # one read, without the retired metric
    assert asked == [m for m in reads[0] if m != "total_video_avg_time_watched"]
    assert again.samples[0].views == sandbox.scenario.views("facebook", sandbox.clock.now())


def test_a_retired_metric_is_replaced_by_the_one_the_registry_names(sandbox: Sandbox) -> None:
    collector, spec, cursor, seen, _, _ = play_past_the_end(sandbox)
    s = sandbox.scenario
    sandbox.advance(5)
    poll(collector, spec, cursor, seen)  # the sweep and the read at the end
    sandbox.facebook.retire_metric("total_video_reactions_by_type_total")
    sandbox.clock.set(s.scripted_end + 3600)
    before = len(sandbox.requests_log)
    batch = poll(collector, spec, cursor, seen)
    reads = insight_reads(sandbox, before)
    assert "total_video_reactions_by_type_total" in reads[0]  # refused with the others
    assert ["total_video_stories_by_action_type"] in reads  # its replacement, asked instead
    (sample,) = batch.samples
    t = sandbox.clock.now()
    assert sample.views == s.views("facebook", t)
    # The by-type counts still come, from the live node read with the settling read.
    assert sample.reactions == {k.lower(): n for k, n in s.reaction_counts(t).items()}
    assert sample.reactions_total == sum(s.reaction_counts(t).values())
    assert set(cursor["failed_metrics"]) == {"total_video_reactions_by_type_total"}
    sandbox.clock.set(s.scripted_end + 86400)
    before = len(sandbox.requests_log)
    poll(collector, spec, cursor, seen)
    (asked,) = insight_reads(sandbox, before)  # one read: the replacement in the list
    assert "total_video_stories_by_action_type" in asked
    assert "total_video_reactions_by_type_total" not in asked


def test_other_insights_errors_still_fail_the_run(sandbox: Sandbox) -> None:
    """Only "invalid metric" is taken as a retired metric; a throttled read waits, and the
    retry reads the views at the end."""
    collector, spec, cursor, seen, _, _ = play_past_the_end(sandbox)
    sandbox.advance(5)
    sandbox.fail_next("facebook", "rate_limit", code=80001)
    result = collector.collect_many([(spec, cursor)])[0]
    assert not isinstance(result, Batch)
    assert type(result).__name__ == "RateLimited"
    sandbox.advance(60)
    retry = poll(collector, spec, cursor, seen)
    assert retry.samples[-1].views == sandbox.scenario.views("facebook", sandbox.clock.now())
    assert cursor["insights_done"] == [0]
