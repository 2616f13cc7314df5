"""The whole live state of an event, sent to a socket when it joins or resyncs (``snapshot``).

It carries the summary API's dict unchanged, the viewer and comments-per-minute series, the newest
comments (phones masked for the rooms whose members may not see them; the halls' contacts left
out for a unit that watches an upper unit's conference in part) and the event's sequence
stamp (epoch and number), which the caller reads from the transport before the state is built: the
state is then at least as new as the number, so a delta that follows applies absolute totals and
cannot go back.

A storm of joiners (a thousand projectors reconnecting after a restart) shares one read per event
and number: its first joiner reads the event once for every variant (masked, with phones, in
part), the joiners that arrive while it reads wait for that read instead of each making their own,
and each variant is encoded to JSON once for all of them. A delta published by this process drops
the event's read (``forget``), and one published by another process gives its joiners a new
number, which the kept read does not match: nobody gets a snapshot older than the last delta.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from app.extensions import db
from app.live import queries
from app.live.shapes import comment_dict, event_dict, hall_points, iso, points, without_contacts
from app.live.summary import event_summary
from app.models import Event, utcnow

# A storm's joiners share one read per number for this long at most: figures that move with the
# clock, or a row changed without a delta (an event renamed, ended by hand), show in a snapshot
# within it. 15 s left a page opened right after an officer's end showing the viewers of before.
SNAPSHOT_REUSE_SECONDS = 1.0
KEPT_EVENTS = 64  # events whose last read this process keeps
_cache_lock = threading.Lock()
_NOW = "\x00lantoa-server-time\x00"  # where the joiner's server time goes in the kept JSON

Sent = Callable[[], "tuple[dict[str, Any], dict[str, Any]] | None"]


@dataclass
class _Kept:
    """One variant of a kept read, and its JSON text split where the server time goes."""

    payload: dict[str, Any]
    text: tuple[str, str] | None = None


@dataclass
class _Read:
    """An event's state read once at ``stamp``, in its variants: ``(with phones, in part)``."""

    stamp: dict[str, Any]
    at: float
    variants: dict[tuple[bool, bool], _Kept] = field(default_factory=dict)

    def fresh(self, stamp: Mapping[str, Any]) -> bool:
        return self.stamp == dict(stamp) and time.monotonic() - self.at < SNAPSHOT_REUSE_SECONDS

    def variant(self, phones: bool, part: bool) -> _Kept:
        key = (phones and not part, part)
        with _cache_lock:
            kept = self.variants.get(key)
            if kept is None:  # the part variant: the plain one without the halls' contacts
                kept = self.variants[key] = _Kept(
                    without_contacts(self.variants[(False, False)].payload)
                )
            return kept


def snapshot(
    event_id: int,
    can_see_phones: bool,
    stamp: Mapping[str, Any],
    sent: Sent = lambda: None,
    part: bool = False,
) -> dict[str, Any]:
    """The whole state for one joiner at the transport's ``stamp`` (``{epoch, seq}``), read
    once for every joiner of that number. ``sent`` gives the summaries (masked, with phones) the
    delta of that number carried, if known: the snapshot shows them, so the patches that follow
    apply to what they were made from. ``part``: the joiner watches in part
    (``shapes.without_contacts``; never phones)."""
    kept = _read(event_id, stamp, sent).variant(can_see_phones, part)
    return {**kept.payload, "server_time": iso(utcnow())}


def snapshot_json(
    event_id: int,
    can_see_phones: bool,
    stamp: Mapping[str, Any],
    sent: Sent = lambda: None,
    part: bool = False,
) -> str:
    """``snapshot`` as compact JSON text, the same bytes as ``json.dumps`` gives: encoded once
    per kept variant, only the server time written per joiner (a storm of joiners otherwise
    encodes the same tens of kilobytes once each)."""
    kept = _read(event_id, stamp, sent).variant(can_see_phones, part)
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


def forget(event_id: int) -> None:
    """Drop the event's kept read: a delta was published (its joiners read the state again)."""
    with _cache_lock:
        _reads().pop(event_id, None)


def _reads() -> dict[int, _Read]:
    return current_app.extensions.setdefault("lantoa_snapshots", {})  # type: ignore[no-any-return]


def _building(event_id: int) -> threading.Lock:
    locks = current_app.extensions.setdefault("lantoa_snapshot_locks", {})
    with _cache_lock:
        return locks.setdefault(event_id, threading.Lock())  # type: ignore[no-any-return]


def _read(event_id: int, stamp: Mapping[str, Any], sent: Sent) -> _Read:
    """The event's kept read at ``stamp``, or a new one. One joiner reads at a time per event:
    those that arrive meanwhile wait, then find its read (same number) or make the next."""
    with _cache_lock:
        kept = _reads().get(event_id)
    if kept is not None and kept.fresh(stamp):
        return kept
    with _building(event_id):
        with _cache_lock:
            kept = _reads().get(event_id)
        if kept is not None and kept.fresh(stamp):
            return kept
        summaries = sent()
        plain, full = build_pair(event_id, stamp, summaries)
        read = _Read(dict(stamp), time.monotonic(), {(False, False): _Kept(plain),
                                                     (True, False): _Kept(full)})  # fmt: skip
        with _cache_lock:
            reads = _reads()
            if not _older(read.stamp, reads.get(event_id)):
                reads.pop(event_id, None)  # newest last: the oldest go first past KEPT_EVENTS
                reads[event_id] = read
                while len(reads) > KEPT_EVENTS:
                    reads.pop(next(iter(reads)))
        return read


def _older(stamp: dict[str, Any], kept: _Read | None) -> bool:
    """Whether ``stamp`` is older than the kept read's (a joiner that read its number before a
    delta, done after it): its read is sent, never kept over the newer one."""
    return (
        kept is not None
        and kept.stamp.get("epoch") == stamp.get("epoch")
        and int(kept.stamp.get("seq") or 0) > int(stamp.get("seq") or 0)
    )


def build_pair(
    event_id: int,
    stamp: Mapping[str, Any],
    summaries: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The snapshot masked and with phones, from one read of the event: ``summaries`` (masked,
    with phones) when the delta of that number is known, else the summary read whole."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError(f"no event {event_id}")
    plain_summary, full_summary = (
        summaries if summaries is not None else event_summary(event_id).as_dicts()
    )
    series = {
        "viewers": points(queries.viewer_series(event_id)),
        "comments_per_minute": points(queries.comments_per_minute(event_id)),
        **(
            {"halls": hall_points(queries.halls_series(event_id))}
            if event.channel.has_halls
            else {}
        ),
    }
    comments = queries.latest_comments(event_id)
    head = {"event_id": event_id, **stamp, "server_time": iso(utcnow()), "event": event_dict(event)}
    return tuple(  # type: ignore[return-value]
        {
            **head,
            "summary": summary,
            "series": series,
            "comments": [comment_dict(c, kind, phones) for c, kind in comments],
            "can_see_phones": phones,
        }
        for summary, phones in ((plain_summary, False), (full_summary, True))
    )


def build_snapshot(
    event_id: int,
    can_see_phones: bool,
    stamp: Mapping[str, Any],
    summary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One variant of ``build_pair``, with ``summary`` when known."""
    plain, full = build_pair(event_id, stamp, None if summary is None else (summary, summary))
    return full if can_see_phones else plain
