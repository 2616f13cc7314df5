"""The whole live state of an event, sent to a socket when it joins or resyncs (``snapshot``).

It carries the summary API's dict unchanged, the viewer and comments-per-minute series, the newest
comments (phones masked for the rooms whose members may not see them; the halls' contacts left
out for a unit that watches an upper unit's conference in part) and the event's sequence
stamp (epoch and number), which the caller reads from the transport before the state is built: the
state is then at least as new as the number, so a delta that follows applies absolute totals and
cannot go back.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from app.extensions import db
from app.live import queries
from app.live.shapes import comment_dict, event_dict, hall_points, iso, points, without_contacts
from app.live.summary import event_summary
from app.models import Event, utcnow

# A join storm (a thousand projectors reconnecting after a restart) reuses one snapshot per
# event and sequence number for this long instead of rebuilding it for every joiner.
SNAPSHOT_REUSE_SECONDS = 1.0
_cache_lock = threading.Lock()
_NOW = "\x00lantoa-server-time\x00"  # where the joiner's server time goes in the kept JSON


@dataclass
class _Kept:
    """A snapshot reused for a second, and its JSON text split where the server time goes."""

    stamp: Mapping[str, Any]
    at: float
    payload: dict[str, Any]
    text: tuple[str, str] | None = None


def snapshot(
    event_id: int,
    can_see_phones: bool,
    stamp: Mapping[str, Any],
    sent: Callable[[], dict[str, Any] | None] = lambda: None,
    part: bool = False,
) -> dict[str, Any]:
    """The whole state for one joiner at the transport's ``stamp`` (``{epoch, seq}``); reused
    for a second. ``sent`` gives the summary the delta of that number carried, if known: the
    snapshot shows it, so the patches that follow apply to what they were made from. ``part``:
    the joiner watches in part (``shapes.without_contacts``; never phones)."""
    kept = _kept(event_id, can_see_phones, stamp, sent, part)
    return {**kept.payload, "server_time": iso(utcnow())}


def snapshot_json(
    event_id: int,
    can_see_phones: bool,
    stamp: Mapping[str, Any],
    sent: Callable[[], dict[str, Any] | None] = lambda: None,
    part: bool = False,
) -> str:
    """``snapshot`` as compact JSON text, the same bytes as ``json.dumps`` gives: encoded once
    per reused snapshot, only the server time written per joiner (a storm of joiners otherwise
    encodes the same tens of kilobytes once each)."""
    kept = _kept(event_id, can_see_phones, stamp, sent, part)
    with _cache_lock:
        text = kept.text
    if text is None:
        encoded = json.dumps({**kept.payload, "server_time": _NOW}, separators=(",", ":"))
        # The first occurrence is the key's: only the stamp (numbers, a hex epoch) comes before.
        head, _, tail = encoded.partition(json.dumps(_NOW))
        text = (head, tail)
        with _cache_lock:
            kept.text = text
    return text[0] + json.dumps(iso(utcnow())) + text[1]


def _kept(
    event_id: int,
    can_see_phones: bool,
    stamp: Mapping[str, Any],
    sent: Callable[[], dict[str, Any] | None],
    part: bool = False,
) -> _Kept:
    can_see_phones = can_see_phones and not part
    key = (event_id, can_see_phones, part)
    cache = current_app.extensions.setdefault("lantoa_snapshots", {})
    with _cache_lock:
        cached = cache.get(key)
    if cached and cached.stamp == stamp and time.monotonic() - cached.at < SNAPSHOT_REUSE_SECONDS:
        return cached
    payload = build_snapshot(event_id, can_see_phones, stamp, sent())
    kept = _Kept(stamp, time.monotonic(), without_contacts(payload) if part else payload)
    with _cache_lock:
        cache[key] = kept
    return kept


def build_snapshot(
    event_id: int,
    can_see_phones: bool,
    stamp: Mapping[str, Any],
    summary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError(f"no event {event_id}")
    return {
        "event_id": event_id,
        **stamp,
        "server_time": iso(utcnow()),
        "event": event_dict(event),
        "summary": summary
        if summary is not None
        else event_summary(event_id).as_dict(with_phones=can_see_phones),
        "series": {
            "viewers": points(queries.viewer_series(event_id)),
            "comments_per_minute": points(queries.comments_per_minute(event_id)),
            **(
                {"halls": hall_points(queries.halls_series(event_id))}
                if event.channel.has_halls
                else {}
            ),
        },
        "comments": [
            comment_dict(c, kind, can_see_phones) for c, kind in queries.latest_comments(event_id)
        ],
        "can_see_phones": can_see_phones,
    }
