"""The YouTube live collector against the sandbox over HTTP: the reads after the end.

Pinned Data API behaviour: ``videos.list`` serves ``statistics.viewCount`` on every read and
``liveStreamingDetails.actualEndTime`` once the broadcast is over; the view count goes on
settling for days. Every poll reads the statistics, so the poll that sees the end is the read at
the end; the collector then comes back at +1 h, +24 h and +7 days after ``actualEndTime`` and
finishes only after the last of them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from collectors.base import Batch, TargetSpec
from collectors.http import make_session
from collectors.settling import FIRST_HOUR, SETTLING_READS
from collectors.youtube import YouTubeLiveCollector, make_client
from sandbox import Sandbox


def setup(sandbox: Sandbox) -> tuple[YouTubeLiveCollector, TargetSpec]:
    client = make_client(make_session(backoff=0), sandbox.youtube_url, timeout=2)
    collector = YouTubeLiveCollector(
        client, clock=lambda: sandbox.scenario.datetime_at(sandbox.clock.now())
    )
    spec = TargetSpec(
        "youtube_live",
        sandbox.credentials()["youtube_video_id"],
        sandbox.youtube_url,
        {"api_key": sandbox.youtube_api_key},
    )
    return collector, spec


def poll(collector: YouTubeLiveCollector, spec: TargetSpec, cursor: dict[str, Any]) -> Batch:
    batch = collector.collect(spec, cursor)
    cursor.clear()
    cursor.update(batch.cursor)
    return batch


def test_statistics_are_read_at_the_end_then_until_a_week_after_it(sandbox: Sandbox) -> None:
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    end = s.scripted_end
    cursor: dict[str, Any] = {}
    sandbox.clock.set(s.live_start + 300)
    during = poll(collector, spec, cursor)
    # The broadcast's own times (actualStartTime, actualEndTime), not the polls'.
    assert abs(during.started_at - s.datetime_at(s.live_start)) < timedelta(seconds=1)
    assert during.ended_at is None
    sandbox.clock.set(end + 3)
    at_end = poll(collector, spec, cursor)  # drains the chat: offlineAt
    assert at_end.status == "ended"
    assert abs(at_end.started_at - s.datetime_at(s.live_start)) < timedelta(seconds=1)
    assert abs(at_end.ended_at - s.datetime_at(end)) < timedelta(seconds=1)
    assert at_end.samples[0].views == s.youtube_statistics(end + 3)["viewCount"] > 0
    assert cursor["ended_at"] == s.datetime_at(end).isoformat()
    assert cursor["final_reads"] == [0]
    sandbox.clock.set(end + 200)
    over = poll(collector, spec, cursor)  # liveChatEnded: the chat is over
    assert cursor.get("chat_over")
    assert not over.finished
    assert cursor["final_reads"] == [0, 120]  # the +2 min read rode with it
    assert over.poll_after == 300 - 200  # then every few minutes in the first hour
    views = []
    for offset in SETTLING_READS[2:]:
        sandbox.clock.set(end + offset)
        batch = poll(collector, spec, cursor)
        views.append(batch.samples[0].views)
        assert batch.finished == (offset == 7 * 86400)
    assert cursor["final_reads"] == list(SETTLING_READS)
    assert views[-1] == s.params.youtube_final_views
    assert views == [s.youtube_statistics(end + o)["viewCount"] for o in SETTLING_READS[2:]]


def test_a_video_first_read_days_after_its_end_keeps_the_week_on_the_end(
    sandbox: Sandbox,
) -> None:
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    end = s.scripted_end
    cursor: dict[str, Any] = {}
    sandbox.clock.set(end + 3 * 86400)
    first = poll(collector, spec, cursor)
    assert cursor["final_reads"] == [*FIRST_HOUR, 3600, 86400]
    assert first.samples[0].views == s.youtube_statistics(end + 3 * 86400)["viewCount"]
    assert not first.finished
    assert first.poll_after == 4 * 86400
