"""Sequence stamps: a Redis that restarts empty, or is flushed, starts a new epoch.

A real ``redis-server`` of the test's own on a free loopback port is stopped and started (the
shared test Redis is never touched). The app's socket server stays in-process; only the sequence
reads ``SOCKETIO_MESSAGE_QUEUE`` when it counts, so pointing it at that server is enough here.
"""

from __future__ import annotations

import threading
import time

import pytest
import redis
from flask import Flask

from app.realtime.sequence import (
    SequenceUnavailable,
    Stamp,
    current_seq,
    next_seq,
    queue_redis,
)
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


def _held(app: Flask, seconds: float, answers: list[object]) -> threading.Thread:
    """A caller that holds one of the queue client's connections for ``seconds``."""

    def hold() -> None:
        with app.app_context():
            answers.append(queue_redis().blpop(["lantoa:test:never"], timeout=seconds))

    thread = threading.Thread(target=hold)
    thread.start()
    return thread


def _connections(url: str) -> int:
    with redis.Redis.from_url(url) as observer:
        return len(observer.client_list()) - 1  # the observer's own


def test_a_storm_of_callers_shares_a_bounded_set_of_connections(
    app: Flask, counting: RedisServer
) -> None:
    """Twelve callers at once, each holding a connection a while (as thousands of sockets leaving
    together each note it in Redis): three connections serve them all, the others wait."""
    app.config["REALTIME_REDIS_CONNECTIONS"] = 3
    answers: list[object] = []
    threads = [_held(app, 0.2, answers) for _ in range(12)]
    most = 0
    while any(t.is_alive() for t in threads):
        most = max(most, _connections(counting.url))
        time.sleep(0.02)
    assert answers == [None] * 12  # every call answered (an empty list), none failed
    assert 1 <= most <= 3


def test_a_caller_waiting_past_the_timeout_is_told_redis_is_away(
    app: Flask, counting: RedisServer
) -> None:
    """With every connection taken, a publisher waits the timeout (2 s), then hears that Redis
    is away, as when it is down: the delta is dropped and logged, pages resync later."""
    app.config["REALTIME_REDIS_CONNECTIONS"] = 1
    pool = queue_redis().connection_pool
    taken = pool.get_connection()
    started = time.monotonic()
    with pytest.raises(SequenceUnavailable):
        next_seq(EVENT)
    assert 1.5 < time.monotonic() - started < 3
    pool.release(taken)
    assert next_seq(EVENT).seq >= 1  # the connection is free again
