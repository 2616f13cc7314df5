"""Per-event sequence stamps for deltas, ``{epoch, seq}``, shared by every process that publishes.

With ``SOCKETIO_MESSAGE_QUEUE=redis://…`` the collector process and each web process publish for
the same event, so the counter lives in Redis, in the hash ``lantoa:sequence:<event_id>``
(``epoch``, ``n``). One MULTI writes the epoch only if the hash has none (``HSETNX``), then counts
(``HINCRBY``): when the hash is gone — Redis restarted without persistence, was flushed, or evicted
the key — numbers start again at 1 under a new random epoch. A page holding the old epoch then
asks for a fresh snapshot instead of dropping every later delta as already applied (it also does
so when a number steps back within one epoch: a Redis restored from an older dump).

Embedded, one process publishes and an in-process counter is enough; its epoch is drawn when the
process first counts for the event, so a restarted process is a new epoch too.

When Redis cannot be reached, ``SequenceUnavailable`` is raised within a couple of seconds: the
publisher logs and drops that delta, a joining page is told so and tries again.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

import redis
from flask import current_app

from app.realtime import grouped

KEY = "lantoa:sequence:{event_id}"
REDIS_TIMEOUT_SECONDS = 2.0  # a joining page waits this long at most to hear Redis is away
_local: dict[int, tuple[str, int]] = {}
_lock = threading.Lock()


class SequenceUnavailable(RuntimeError):
    """The shared counter (Redis) did not answer: no number can be handed out."""


@dataclass(frozen=True)
class Stamp:
    """Where a message stands: numbers compare only within one epoch."""

    epoch: str
    seq: int

    def as_dict(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "seq": self.seq}


@dataclass(frozen=True)
class Note:
    """A member to add to a Redis set, kept ``keep_seconds`` after its last addition."""

    key: str
    member: str
    keep_seconds: int


def new_epoch() -> str:
    return secrets.token_hex(8)


def queue_redis() -> Any | None:
    """The Redis client of this app when the message queue is Redis, created on first use."""
    url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    client = current_app.extensions.get("lantoa_seq_redis")
    if client is None:
        # Bounded: a storm of sockets leaving (each forgotten in Redis) waits for a free
        # connection instead of opening one per socket; each call holds one for under a
        # millisecond. A wait past the timeout is a RedisError, handled as Redis being away.
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=int(current_app.config.get("REALTIME_REDIS_CONNECTIONS", 16)),
            timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        client = redis.Redis(connection_pool=pool)
        current_app.extensions["lantoa_seq_redis"] = client
    return client


def _stamp(event_id: int, step: int) -> Stamp:
    client = queue_redis()
    if client is None:
        with _lock:
            epoch, n = _local.get(event_id) or (new_epoch(), 0)
            _local[event_id] = (epoch, n + step)
            return Stamp(epoch, n + step)
    key = KEY.format(event_id=event_id)
    try:
        with client.pipeline(transaction=True) as pipe:
            pipe.hsetnx(key, "epoch", new_epoch())
            pipe.hincrby(key, "n", step)
            pipe.hget(key, "epoch")
            _, n, epoch = pipe.execute()
    except redis.RedisError as exc:
        raise SequenceUnavailable(f"Redis did not answer for the live sequence: {exc}") from exc
    return Stamp(epoch.decode(), int(n))


def next_seq(event_id: int) -> Stamp:
    """Reserve the event's next stamp (the first delta of an epoch gets 1)."""
    return _stamp(event_id, 1)


def current_seq(event_id: int, note: Note | None = None) -> Stamp:
    """The last stamp handed out for the event (0 before any delta); a snapshot carries it.

    One HMGET when the event already has an epoch (every join of a storm but the first): the
    MULTI that would draw one costs a join about as much again in the Redis client. The joins of
    a storm read together (``grouped``): one round trip for every join queued behind another, each
    read sent after its join asked. ``note`` (a set member and its expiry: the joining socket
    under its user) is written in that same round trip, before the read."""
    client = queue_redis()
    if client is None:
        return _stamp(event_id, 0)
    epoch, n = grouped.of_app("sequence.current", read_many)((event_id, note))
    if epoch is None:  # no number yet, or the hash is gone: draw the epoch as next_seq would
        return _stamp(event_id, 0)
    return Stamp(epoch.decode(), int(n or 0))


def read_many(reads: list[tuple[int, Note | None]]) -> list[tuple[bytes | None, bytes | None]]:
    """``(epoch, n)`` of each read's event, in one round trip with the reads' notes."""
    client = queue_redis()
    assert client is not None  # only grouped with a Redis queue
    events = list(dict.fromkeys(event_id for event_id, _note in reads))
    notes = [note for _event_id, note in reads if note is not None]
    try:
        with client.pipeline(transaction=False) as pipe:
            for note in notes:
                pipe.sadd(note.key, note.member)
            for key, seconds in {note.key: note.keep_seconds for note in notes}.items():
                pipe.expire(key, seconds)
            for event_id in events:
                pipe.hmget(KEY.format(event_id=event_id), "epoch", "n")
            found = dict(zip(events, pipe.execute()[-len(events) :], strict=True))
    except redis.RedisError as exc:
        raise SequenceUnavailable(f"Redis did not answer for the live sequence: {exc}") from exc
    return [tuple(found[event_id]) for event_id, _note in reads]  # type: ignore[misc]
