"""Sequence stamps: a Redis that restarts empty, or is flushed, starts a new epoch.

A real ``redis-server`` of the test's own on a free loopback port is stopped and started (the
shared test Redis is never touched). The app's socket server stays in-process; only the sequence
reads ``SOCKETIO_MESSAGE_QUEUE`` when it counts, so pointing it at that server is enough here.
"""

from __future__ import annotations

import pytest
import redis
from flask import Flask

from app.realtime.sequence import SequenceUnavailable, Stamp, current_seq, next_seq
from tests.servers import RedisServer

EVENT = 4242


@pytest.fixture
def counting(app: Flask, own_redis: RedisServer) -> RedisServer:
    app.config["SOCKETIO_MESSAGE_QUEUE"] = own_redis.url
    return own_redis


def test_numbers_count_up_within_one_epoch(counting: RedisServer) -> None:
    first = current_seq(EVENT)
    assert first.seq == 0
    stamps = [next_seq(EVENT) for _ in range(3)]
    assert [s.seq for s in stamps] == [1, 2, 3]
    assert {s.epoch for s in stamps} == {first.epoch}
    assert current_seq(EVENT) == current_seq(EVENT) == stamps[-1]  # a read moves nothing
    assert next_seq(EVENT + 1).seq == 1  # each event counts on its own


def test_a_restarted_redis_starts_a_new_epoch(counting: RedisServer) -> None:
    for _ in range(5):
        before = next_seq(EVENT)
    counting.stop()
    counting.start()  # no persistence: the counter is gone, as after a real restart
    after = next_seq(EVENT)
    assert after.seq == 1
    assert after.epoch != before.epoch
    assert next_seq(EVENT) == Stamp(after.epoch, 2)


def test_a_flushed_redis_starts_a_new_epoch_even_for_a_snapshot(counting: RedisServer) -> None:
    before = next_seq(EVENT)
    redis.Redis.from_url(counting.url).flushdb()
    snapshot_stamp = current_seq(EVENT)  # a page joining first: the epoch is made here
    assert snapshot_stamp.seq == 0
    assert snapshot_stamp.epoch != before.epoch
    assert next_seq(EVENT) == Stamp(snapshot_stamp.epoch, 1)


def test_redis_down_raises_a_clear_error_then_counting_resumes(counting: RedisServer) -> None:
    next_seq(EVENT)
    counting.stop()
    with pytest.raises(SequenceUnavailable, match="Redis"):
        current_seq(EVENT)
    with pytest.raises(SequenceUnavailable):
        next_seq(EVENT)
    counting.start()
    assert next_seq(EVENT).seq == 1  # back by itself, under a new epoch


def test_in_process_counter_keeps_one_epoch_per_event(app: Flask) -> None:
    assert not app.config.get("SOCKETIO_MESSAGE_QUEUE")
    first = next_seq(EVENT + 7)
    second = next_seq(EVENT + 7)
    assert (second.epoch, second.seq) == (first.epoch, first.seq + 1)
    assert current_seq(EVENT + 7) == second
