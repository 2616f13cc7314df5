"""Which live sockets belong to which user, so that signing a user out closes them everywhere.

A socket is authorised when it connects and on every join or resync; but one already in an
event's room keeps receiving that event's deltas. Deactivating a user (or revoking their
sessions) therefore closes their open sockets: the ids are kept per user in this process, and,
from their first join, in Redis when the message queue is Redis (the socket may live in another
web process, and python-socketio forwards the disconnect through the queue).
"""

from __future__ import annotations

import contextlib
import logging
import threading

from redis.exceptions import RedisError

from app.extensions import socketio
from app.realtime import NAMESPACE
from app.realtime.sequence import Note, queue_redis

KEY = "lantoa:sockets:{user_id}"
KEEP_SECONDS = 7 * 24 * 3600  # a forgotten entry (a killed process) ages out
log = logging.getLogger(__name__)
_local: dict[int, set[str]] = {}
_lock = threading.Lock()


def remember(user_id: int, sid: str) -> None:
    """Note the socket under its user in this process, once a join has found who it is. Redis
    learns of it in the same join (``note``, written in the join's one round trip): a socket
    receives nothing to stop before it is in a room, and every join checks the user again."""
    with _lock:
        _local.setdefault(user_id, set()).add(sid)


def note(user_id: int, sid: str) -> Note:
    """The Redis entry of a joining socket, for ``current_seq`` to write with its read."""
    return Note(KEY.format(user_id=user_id), sid, KEEP_SECONDS)


def forget(user_id: int, sid: str) -> None:
    with _lock:
        _local.get(user_id, set()).discard(sid)
    client = queue_redis()
    if client is not None:
        with contextlib.suppress(RedisError):  # else the entry ages out
            client.srem(KEY.format(user_id=user_id), sid)


def close_for(user_id: int) -> int:
    """Disconnect every live socket of the user, in whichever process holds it; how many."""
    with _lock:
        sids = set(_local.pop(user_id, set()))
    client = queue_redis()
    if client is not None:
        key = KEY.format(user_id=user_id)
        try:
            sids |= {s.decode() if isinstance(s, bytes) else s for s in client.smembers(key)}
            client.delete(key)
        except RedisError:
            log.warning("could not read the sockets of user %s from Redis", user_id)
    for sid in sids:
        socketio.server.disconnect(sid, namespace=NAMESPACE)
    return len(sids)
