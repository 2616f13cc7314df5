"""The summary last sent for each event, so that the next delta carries a patch, not the whole.

A patch is only right on top of the very summary the previous number carried, so each base is
kept with its stamp: the delta numbered ``n`` sends ``{"patch": …}`` when the base of ``n - 1``
(same epoch) is known, else the summary whole (the first delta, a new epoch, a base lost, or two
publishers racing: the one that finds the other's base not yet recorded sends the whole). A page
that missed a number resyncs by snapshot anyway. A snapshot at number ``n`` shows the summary the
delta ``n`` carried when it is known (``sent_summaries``), so the page and the patches that follow
start from the same base (a summary read afresh may differ from it: figures that move with the
clock, or rows changed without a publish).

Each process keeps its own last base (in the app's extensions); with the Redis message queue the
base is also written to ``lantoa:live:sent:<event_id>`` (one hour; the
variant with phones only when it differs), so that a delta built by the
collector process and the next one built by a web process chain on the same base. A write never
replaces a newer base (a compare-and-set in Lua on the number).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from flask import current_app
from redis.exceptions import RedisError

from app.live.diff import diff
from app.realtime.sequence import Stamp, queue_redis

KEY = "lantoa:live:sent:{event_id}"
KEEP_SECONDS = 3600
KEPT_EVENTS = 256  # events whose last base this process keeps (a day's lives, many times over)
log = logging.getLogger(__name__)
_lock = threading.Lock()

# Write the base unless the stored one is newer (same epoch, number at least as high).
_STORE = """
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if epoch == ARGV[1] and seq >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'seq', ARGV[2], 'plain', ARGV[3], 'phones', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""

Base = tuple[str, int, dict[str, Any], dict[str, Any]]  # epoch, seq, plain, with phones


def _kept() -> dict[int, Base]:
    return current_app.extensions.setdefault("lantoa_live_sent", {})


def patched(
    event_id: int, stamp: Stamp, plain: dict[str, Any], full: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two variants of the delta numbered ``stamp``, each with ``patch`` in place of
    ``summary`` when the previous number's base is known (``record`` them once emitted)."""
    base = _base(event_id, stamp)
    if base is None:
        return plain, full
    return _as_patch(plain, base[2]), _as_patch(full, base[3])


def _as_patch(message: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in message.items() if k != "summary"}
    out["patch"] = diff(base, message["summary"])
    return out


def sent_summaries(event_id: int, stamp: Stamp) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``sent_summary`` masked and with phones, in one look-up (a snapshot's read keeps both)."""
    base = _stored(event_id, stamp.epoch, stamp.seq)
    return None if base is None else (base[2], base[3])


def _base(event_id: int, stamp: Stamp) -> Base | None:
    """The base of the number before ``stamp``."""
    return _stored(event_id, stamp.epoch, stamp.seq - 1)


def _stored(event_id: int, epoch: str, number: int) -> Base | None:
    """The base recorded for ``(epoch, number)``, from this process or else from Redis."""
    wanted = (epoch, number)
    with _lock:
        local = _kept().get(event_id)
    if local is not None and local[:2] == wanted:
        return local  # that number was this process's own
    client = queue_redis()
    if client is None or number < 1:
        return None
    try:
        stored = client.hgetall(KEY.format(event_id=event_id))
    except RedisError as exc:
        log.warning("no live base for event %s: %s", event_id, exc)
        return None
    try:
        epoch, seq = stored[b"epoch"].decode(), int(stored[b"seq"])
        if (epoch, seq) != wanted:
            return None
        plain = json.loads(stored[b"plain"])
        return epoch, seq, plain, json.loads(stored[b"phones"]) if stored[b"phones"] else plain
    except (KeyError, ValueError):
        return None


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def record(event_id: int, stamp: Stamp, plain: dict[str, Any], full: dict[str, Any]) -> None:
    """Keep the summaries the delta ``stamp`` carried as the base of the next one. Called after
    the emit: the fan-out does not wait for the Redis write (a publisher that comes in between
    finds no base and sends the whole summary)."""
    with _lock:
        kept = _kept()
        local = kept.get(event_id)
        if local is None or local[0] != stamp.epoch or local[1] < stamp.seq:
            kept.pop(event_id, None)  # newest last: the oldest go first past KEPT_EVENTS
            kept[event_id] = (stamp.epoch, stamp.seq, plain, full)
            while len(kept) > KEPT_EVENTS:
                kept.pop(next(iter(kept)))
    client = queue_redis()
    if client is None:
        return
    try:
        client.eval(
            _STORE, 1, KEY.format(event_id=event_id), stamp.epoch, stamp.seq,
            _json(plain), "" if full == plain else _json(full), KEEP_SECONDS,
        )  # fmt: skip
    except RedisError as exc:  # the next delta from another process sends the whole summary
        log.warning("could not record the live base of event %s: %s", event_id, exc)
