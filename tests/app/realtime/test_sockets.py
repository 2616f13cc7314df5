"""Sockets noted together (a storm's connects) are each kept under their own user in Redis."""

from __future__ import annotations

import redis
from flask import Flask

from app.realtime import sequence, sockets
from app.realtime.sequence import current_seq, next_seq
from tests.servers import RedisServer


def test_a_group_of_sockets_is_kept_per_user_with_its_expiry(
    app: Flask, own_redis: RedisServer
) -> None:
    app.config["SOCKETIO_MESSAGE_QUEUE"] = own_redis.url
    sockets.remember_many([(1, "a"), (2, "b"), (1, "c")])
    sockets.remember(3, "d")
    stored = redis.Redis.from_url(own_redis.url)
    assert stored.smembers(sockets.KEY.format(user_id=1)) == {b"a", b"c"}
    assert stored.smembers(sockets.KEY.format(user_id=2)) == {b"b"}
    assert stored.smembers(sockets.KEY.format(user_id=3)) == {b"d"}
    assert 0 < stored.ttl(sockets.KEY.format(user_id=2)) <= sockets.KEEP_SECONDS


def test_reads_of_several_events_in_one_round_trip_answer_each(
    app: Flask, own_redis: RedisServer
) -> None:
    app.config["SOCKETIO_MESSAGE_QUEUE"] = own_redis.url
    first, second = next_seq(71), next_seq(72)
    next_seq(72)
    got = sequence.read_many([72, 71, 73, 72])
    assert got == [(second.epoch.encode(), b"2"), (first.epoch.encode(), b"1"), (None, None),
                   (second.epoch.encode(), b"2")]  # fmt: skip
    assert current_seq(72).seq == 2
