"""An event's totals across its targets: what the summary API, the live page and sockets show.

Each counter is the latest value the platform served for each target (samples may carry only some
counters — a video-insights read has views but no live viewers), summed over the targets. Views are
``None`` ("not yet read", never 0) until a read brings them: a Facebook live's views come from its
video insights, read when the live ends; the event's views are the sum over the targets read so
far, ``None`` while none is. Peak viewers comes from our own samples: no platform serves a peak
(Facebook's ``live_views`` and YouTube's ``concurrentViewers`` are the count at the moment of the
read). Each target's own peak is its highest sample; the event's is the highest point of the
combined series the live chart draws (the targets' viewers added up at each moment:
``queries.combined_viewers``, ``combined_peak``), never the sum of the targets' own peaks, which
are reached at different moments. Comments and leads are counted from the stored comments, each
stored once; the comments counted are the audience's, the page's own replies left out
(``app.models.counted_comment``).

``event_summary`` reads every target. ``summary_after`` serves the deltas: it reads again only
the targets that moved — the batch's own, and any whose row changed since this process last read
it — and keeps the other reads. That holds because a target's counters move only through the
writer, which always moves its row too (``last_success_at``, hence ``updated_at``). Hall states are
read whole every time: they follow check-ins and participants and count minutes up to now.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from flask import current_app
from sqlalchemy import JSON, Integer, Select, bindparam, func, select, type_coerce

from app import prepared
from app.collection.changes import Change
from app.halls.state import board_order, hall_states
from app.live import queries
from app.live.board import Board, board_after, hall_row, with_phone
from app.live.shapes import iso
from app.live.targets import LIVE, TargetRow, targets_of
from app.models import Comment, EngagementSample, counted_comment, utcnow
from app.post_reach import REACH_KEY, added, reach_value
from collectors.base import REACTION_TYPES

LATEST_COLUMNS = ("views", "shares", "reactions_total", *(f"reactions_{k}" for k in REACTION_TYPES))
# Targets with live viewers, reactions and comments: the livestream counters follow these.
LIVESTREAM_KINDS = frozenset({"facebook_live", "youtube_live"})
KEPT_READS = 4096  # targets whose last read this process keeps for the next delta
_reads_lock = threading.Lock()


@dataclass
class TargetTotals:
    id: int
    kind: str
    external_id: str
    status: str | None
    live_viewers: int
    peak_viewers: int
    views: int | None  # None: not yet read
    shares: int
    reactions: dict[str, int]
    comments: int
    leads: int
    last_success_at: datetime | None
    next_run_at: datetime | None
    last_error: str
    paused_reason: str | None
    finished: bool
    calls_used: int
    failures: int = 0  # failed runs in a row; 0 with a last_error means rate-limited
    reach: int | None = None  # people a post was shown to (app.post_reach); None: not read
    # Not counters: a delta's row patch carries them only when they change (``app.live.diff``).
    title: str | None = None
    url: str | None = None


@dataclass
class EventSummary:
    views: int | None = None  # not yet read from any target
    reach: int | None = None  # people the event's posts were shown to; None: not read
    live_viewers: int = 0
    peak_viewers: int = 0
    reactions: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((*REACTION_TYPES, "total"), 0)
    )
    comments: int = 0
    shares: int = 0
    leads: int = 0
    first_sample_at: datetime | None = None
    last_sample_at: datetime | None = None
    targets: list[TargetTotals] = field(default_factory=list)
    halls: list[Any] | None = None  # HallState of each bridge point, for conferences
    board: Board | None = None  # the halls' rows already built (a delta's kept board)
    # The event's own status: a page open when the event ends learns it from the next delta
    # (a patch carries it only then), and stops warning that its figures no longer move.
    event_status: str | None = None
    # When the event ended (status ended, or its meeting finished): pages word its connection
    # figures in the past and say so at the top (``ended_at`` None: ended at an unknown time).
    ended: bool = False
    ended_at: datetime | None = None
    # Upcoming, live or ended (``targets.EventTargets.phase``): titles and notices follow it.
    phase: str = LIVE
    # When the clock alone turns it live and ended (``EventTargets.phase_times``): an open page
    # turns by itself then; None when a collector or the event's status decides.
    phase_times: tuple[datetime | None, datetime | None] | None = None
    # Its halls connect to a meeting it collects (``app.halls.meeting``): the board's columns
    # and words follow it, also when a meeting collector is added while a page is open.
    meeting: bool = False
    # The officer who ended it by hand (``app.events.status``), None otherwise: the pages say
    # so beside the end, and a patch carries it only when it changes (an end, a reopening).
    ended_by: str | None = None

    def shows_livestream(self, conference: bool) -> bool:
        """Whether pages show livestream counters: always for a livestream, and for a conference
        only when one of its targets is a livestream (a Zoom meeting has no viewers to count)."""
        return not conference or any(t.kind in LIVESTREAM_KINDS for t in self.targets)

    def views_pending(self) -> list[str]:
        """The livestream kinds whose views no read has brought yet, while others' have: the
        event's views leave them out (a Facebook live's come when it ends), and pages say so."""
        if self.views is None:
            return []
        return [t.kind for t in self.targets if t.kind in LIVESTREAM_KINDS and t.views is None]

    def views_counted(self) -> list[str]:
        """The livestream kinds whose views the event's figure holds so far: said beside
        ``views_pending`` ("YouTube's so far, Facebook's at the end"), so that views fewer than
        the people watching read as what they are."""
        return [t.kind for t in self.targets if t.kind in LIVESTREAM_KINDS and t.views is not None]

    def as_dict(self, with_phones: bool = False) -> dict[str, Any]:
        """The summary API's body; ``with_phones`` adds the halls' contact phones (officers+)."""
        plain = self._plain_dict()
        return self._with_phones(plain) if with_phones else plain

    def as_dicts(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """``as_dict()`` and ``as_dict(with_phones=True)``, the board's rows built once for both
        (a delta needs the two, and a 1,000-hall board is most of the summary)."""
        plain = self._plain_dict()
        return plain, self._with_phones(plain)

    def _with_phones(self, plain: dict[str, Any]) -> dict[str, Any]:
        if self.halls is None:
            return plain
        if self.board is not None:
            return {**plain, "halls": self.board.totals(with_phones=True)["halls"]}
        phones = {h.id: h.contact_phone for h in self.halls}
        rows = [with_phone(row, phones[row["id"]]) for row in plain["halls"]]
        return {**plain, "halls": rows}

    def _plain_dict(self) -> dict[str, Any]:
        out = {
            "views": self.views,
            "reach": self.reach,
            "live_viewers": self.live_viewers,
            "peak_viewers": self.peak_viewers,
            "reactions": dict(self.reactions),
            "comments": self.comments,
            "shares": self.shares,
            "leads": self.leads,
            "first_sample_at": iso(self.first_sample_at),
            "last_sample_at": iso(self.last_sample_at),
            "targets": [_target_dict(t) for t in self.targets],
            "event_status": self.event_status,
            "ended": self.ended,
            "ended_at": iso(self.ended_at),
            "phase": self.phase,
            "phase_at": None
            if self.phase_times is None
            else {"live": iso(self.phase_times[0]), "ended": iso(self.phase_times[1])},
            "meeting": self.meeting,
            "ended_by": self.ended_by,
        }
        if self.board is not None:
            out.update(self.board.totals(with_phones=False))
        elif self.halls is not None:
            out.update(self.conference_totals())
        return out

    def conference_totals(self, with_phones: bool = False) -> dict[str, Any]:
        """Halls connected (seen on the meeting) and halls reported (sent a head count), out of
        expected; people present (latest head counts) out of expected; and the board: halls not
        yet connected first, each with its contact person."""
        halls = board_order(self.halls or [])
        return {
            "halls_expected": len(halls),
            "halls_connected": sum(1 for h in halls if h.connected),
            "halls_reported": sum(1 for h in halls if h.reported),
            "people_expected": sum(h.expected for h in halls),
            "people_present": sum(h.head_count or 0 for h in halls),
            "halls": [
                with_phone(hall_row(h), h.contact_phone) if with_phones else hall_row(h)
                for h in halls
            ],
        }


def _target_dict(t: TargetTotals) -> dict[str, Any]:
    out = dict(t.__dict__)
    out["last_success_at"] = iso(t.last_success_at)
    out["next_run_at"] = iso(t.next_run_at)
    return out


def _latest(target_id: Any, column: str) -> Any:
    return _latest_of(target_id, getattr(EngagementSample, column))


def _latest_of(target_id: Any, col: Any) -> Any:
    return (
        select(col)
        .where(EngagementSample.target_id == target_id, col.is_not(None))
        .order_by(EngagementSample.sampled_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def target_figures() -> Select[Any]:
    """One row of a target's figures, its id bound as ``target_id``: sixteen subqueries whose
    building cost the publisher more CPU than the database took to answer them."""
    s = EngagementSample
    target_id = bindparam("target_id")
    # Named: ``app.prepared`` binds parameters by name, and an anonymous one has none to bind.
    reach_key = bindparam("reach_key", REACH_KEY, type_=JSON.JSONStrIndexType())
    own = s.target_id == target_id
    own_comments = Comment.target_id == target_id
    shown = own_comments & Comment.deleted_at.is_(None)
    return select(
        *(_latest(target_id, c).label(c) for c in LATEST_COLUMNS),
        # Read as a float (PostgreSQL refuses to cast "12.0" to an integer), handed back as the
        # driver gives it: a Float's result processor asks for the column's type code, which the
        # compiled path (``app.prepared``) does not have.
        type_coerce(_latest_of(target_id, reach_value(reach_key)), Integer).label("reach"),
        select(func.max(s.live_viewers)).where(own).scalar_subquery().label("peak"),
        select(s.live_viewers)
        .where(own)
        .order_by(s.sampled_at.desc())
        .limit(1)
        .scalar_subquery()
        .label("latest_live"),
        select(func.count())
        .where(own_comments, counted_comment())
        .scalar_subquery()
        .label("comments"),
        select(func.count()).where(shown, Comment.is_lead).scalar_subquery().label("leads"),
        select(func.min(s.sampled_at)).where(own).scalar_subquery().label("first"),
        select(func.max(s.sampled_at)).where(own).scalar_subquery().label("last"),
    )


FIGURES = (*LATEST_COLUMNS, "reach", "peak", "latest_live", "comments", "leads", "first", "last")


@dataclass(frozen=True)
class TargetRead:
    """A target's totals and the span of its samples, read at one version of its row."""

    totals: TargetTotals
    first_sample_at: datetime | None
    last_sample_at: datetime | None
    version: datetime | None  # the row's updated_at when read


def read_target(target: TargetRow) -> TargetRead:
    """Everything the summary needs of one target, in one query (built and compiled once)."""
    found = prepared.first("live.target_figures", target_figures, typed=True, target_id=target.id)
    row = SimpleNamespace(**dict(zip(FIGURES, found or (None,) * len(FIGURES), strict=True)))
    reactions = {k: int(getattr(row, f"reactions_{k}") or 0) for k in REACTION_TYPES}
    reactions["total"] = int(row.reactions_total or 0) or sum(reactions.values())
    # An officer's end ended it (a run under way then may still write "live"), or it finished:
    # its last "live" is no audience now, and pages take it as ended.
    ended = target.hand_ended_at is not None
    live = target.status == "live" and target.finished_at is None and not ended
    totals = TargetTotals(
        id=target.id,
        kind=target.kind,
        external_id=target.external_id,
        status="ended" if ended else target.status,
        live_viewers=int(row.latest_live or 0) if live else 0,
        peak_viewers=int(row.peak or 0),
        views=int(row.views) if row.views is not None else None,
        shares=int(row.shares or 0),
        reactions=reactions,
        comments=int(row.comments),
        leads=int(row.leads),
        last_success_at=target.last_success_at,
        next_run_at=target.next_run_at,
        last_error=target.last_error,
        paused_reason=target.paused_reason,
        finished=target.finished_at is not None,
        calls_used=target.calls_used,
        failures=target.failures,
        reach=int(row.reach) if row.reach is not None else None,
        title=target.title,
        url=target.url,
    )
    return TargetRead(totals, row.first, row.last, target.updated_at)


def summarise(
    event_id: int,
    halls: bool,
    reads: Sequence[TargetRead],
    checked_in: Collection[int] | None = None,
    status: str | None = None,
    ended: tuple[bool, datetime | None] = (False, None),
    phase: str = LIVE,
    *,
    phase_times: tuple[datetime | None, datetime | None] | None = None,
    meeting: bool = False,
    ended_by: str | None = None,
) -> EventSummary:
    """The event's summary from its targets' reads, with its halls' states when it has ``halls``.

    ``checked_in`` (a delta's burst of check-ins, and nothing else) takes the halls from the
    board this process keeps, moved by those halls (``app.live.board``); a whole reading otherwise.
    """
    summary = EventSummary(event_status=status, ended=ended[0], ended_at=ended[1], phase=phase,
                           phase_times=phase_times, meeting=meeting,
                           ended_by=ended_by)  # fmt: skip
    if halls:
        if checked_in is None:
            summary.halls = hall_states(event_id, utcnow())
        else:
            summary.board = board_after(event_id, utcnow(), checked_in)
            summary.halls = summary.board.states()
    for read in reads:
        t = read.totals
        summary.targets.append(t)
        if t.views is not None:
            summary.views = (summary.views or 0) + t.views
        summary.reach = added((summary.reach, t.reach))
        summary.live_viewers += t.live_viewers
        summary.shares += t.shares
        summary.comments += t.comments
        summary.leads += t.leads
        for key, value in t.reactions.items():
            summary.reactions[key] += value
    summary.peak_viewers = combined_peak(event_id, reads)
    firsts = [r.first_sample_at for r in reads if r.first_sample_at is not None]
    lasts = [r.last_sample_at for r in reads if r.last_sample_at is not None]
    summary.first_sample_at = min(firsts, default=None)
    summary.last_sample_at = max(lasts, default=None)
    return summary


def combined_peak(event_id: int, reads: Sequence[TargetRead]) -> int:
    """The highest point of the targets' viewers added up at each moment.

    With viewers on one target only, that is its own peak; otherwise the database computes it.
    """
    watched = [r for r in reads if r.totals.peak_viewers]
    if len(watched) <= 1:
        return sum(r.totals.peak_viewers for r in watched)
    return queries.combined_peak(event_id)


def event_summary(event_id: int, now: datetime | None = None) -> EventSummary:
    """The summary read whole: the summary API, the live page, the snapshot; its phase as of
    ``now`` (the clock's)."""
    event = targets_of(event_id)
    reads = [read_target(t) for t in event.targets]
    return summarise(event_id, event.halls, reads, status=event.status, ended=event.ended_at(),
                     phase=event.phase(now or utcnow()), phase_times=event.phase_times(),
                     meeting=event.meeting, ended_by=event.ended_by)  # fmt: skip


def summary_after(
    event_id: int,
    change: Change | None = None,
    checked_in: Collection[int] = (),
    now: datetime | None = None,
) -> EventSummary:
    """The summary after ``change``, reading again only the targets that moved (see above), and
    only the halls that moved: the burst's ``checked_in`` halls when that is all it is about;
    its phase as of ``now`` (the clock's)."""
    moved = change.target_id if change is not None else None
    kept: dict[int, TargetRead] = current_app.extensions.setdefault("lantoa_live_reads", {})
    reads = []
    event = targets_of(event_id)
    for target in event.targets:
        with _reads_lock:
            read = kept.get(target.id)
        if read is None or read.version != target.updated_at or target.id == moved:
            read = read_target(target)
            with _reads_lock:
                kept.pop(target.id, None)
                kept[target.id] = read
                while len(kept) > KEPT_READS:
                    kept.pop(next(iter(kept)))
        reads.append(read)
    return summarise(event_id, event.halls, reads, checked_in, event.status, event.ended_at(),
                     event.phase(now or utcnow()), phase_times=event.phase_times(),
                     meeting=event.meeting, ended_by=event.ended_by)  # fmt: skip
