"""A socket is kept under its user in Redis from its first join, written in the join's one round
trip with the event's sequence read; reads of several events together answer each."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask

from app.realtime import NAMESPACE, sequence, sockets
from app.realtime.sequence import Note, current_seq, next_seq
from tests.app.realtime.conftest import join, token_for
from tests.servers import RedisServer


def test_a_socket_is_kept_under_its_user_from_its_join_with_its_expiry(
    app: Flask, own_redis: RedisServer, make: Any, live: Any
) -> None:
    app.config["SOCKETIO_MESSAGE_QUEUE"] = own_redis.url
    user, event = make.user("viewer"), make.event()
    sio = live(auth={"token": token_for(user)})
    stored = redis.Redis.from_url(own_redis.url)
    key = sockets.KEY.format(user_id=user.id)
    assert stored.smembers(key) == set()  # connected, in no room: nothing to stop yet
    assert join(sio, event.id)["ok"] is True
    sid = app.extensions["socketio"].server.manager.sid_from_eio_sid(sio.eio_sid, NAMESPACE)
    assert stored.smembers(key) == {sid.encode()}
    assert 0 < stored.ttl(key) <= sockets.KEEP_SECONDS
    assert sockets.close_for(user.id) == 1
    assert not sio.is_connected(NAMESPACE)


def test_reads_of_several_events_in_one_round_trip_answer_each_and_write_their_notes(
    app: Flask, own_redis: RedisServer
) -> None:
    app.config["SOCKETIO_MESSAGE_QUEUE"] = own_redis.url
    first, second = next_seq(71), next_seq(72)
    next_seq(72)
    a, b = Note("lantoa:test:a", "s1", 60), Note("lantoa:test:a", "s2", 60)
    got = sequence.read_many([(72, a), (71, None), (73, b), (72, None)])
    assert got == [(second.epoch.encode(), b"2"), (first.epoch.encode(), b"1"), (None, None),
                   (second.epoch.encode(), b"2")]  # fmt: skip
    assert redis.Redis.from_url(own_redis.url).smembers("lantoa:test:a") == {b"s1", b"s2"}
    assert current_seq(72).seq == 2
