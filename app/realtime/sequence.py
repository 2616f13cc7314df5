"""Per-event sequence numbers for deltas, shared by every process that publishes.

With ``SOCKETIO_MESSAGE_QUEUE=redis://…`` the collector process and each web process publish for
the same event, so the counter lives in Redis (``INCR lantoa:seq:<event_id>`` is atomic across
processes). Embedded, one process publishes and an in-process counter is enough; it restarts at 0
with the process, which is harmless because every reconnect starts from a fresh snapshot.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app

KEY = "lantoa:seq:{event_id}"
_local: dict[int, int] = {}
_lock = threading.Lock()


def _redis() -> Any | None:
    """The Redis client of this app when the message queue is Redis, created on first use."""
    url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    client = current_app.extensions.get("lantoa_seq_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=5)
        current_app.extensions["lantoa_seq_redis"] = client
    return client


def next_seq(event_id: int) -> int:
    """Reserve the next sequence number of the event (the first delta gets 1)."""
    client = _redis()
    if client is not None:
        return int(client.incr(KEY.format(event_id=event_id)))
    with _lock:
        _local[event_id] = _local.get(event_id, 0) + 1
        return _local[event_id]


def current_seq(event_id: int) -> int:
    """The last number handed out for the event (0 before any delta); a snapshot carries it."""
    client = _redis()
    if client is not None:
        return int(client.get(KEY.format(event_id=event_id)) or 0)
    with _lock:
        return _local.get(event_id, 0)
