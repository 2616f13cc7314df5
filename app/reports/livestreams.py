"""Finished livestreams and their figures, for the event page and the monthly report.

A livestream is *finished* once the event has ended (the collector ends it when its last live
target ends, or an officer enters it as ended) and none of its targets is still live (an
officer's end ends them too: ``Target.hand_ended_at``). Its figures
are those of the reports, read by ``report.event_facts_of`` (the same path as the monthly
report, so they agree): interactions (reactions + comments + shares) and enrolments attributed
under the report's model. Beside them come what the event summary shows: views (``None`` when no
platform reported any, never 0), peak concurrent viewers (the highest point of the targets'
viewers added up, as the live chart draws it), comments and lead comments.

A livestream with nothing collected (no sample and no comment on any of its targets) or not held
yet (``facts.is_held``: its start still ahead) has no figures at all: every one is ``None`` and
``missing`` says why (``NOT_HELD`` or ``NOT_COLLECTED``), so it is shown "not yet read" or "not
held yet", left out of the medians and of the ranks, never counted as 0.

"The office's earlier livestreams" are the finished livestreams of the same org unit (not its
communes, not another province) that started before this one: the last ``EARLIER`` of them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select

from app.extensions import db
from app.models import (
    Channel,
    Comment,
    EngagementSample,
    Event,
    EventStatus,
    OrgUnit,
    Target,
    counted_comment,
)
from app.reports.facts import ReportFilter, is_held
from app.reports.livestream_compare import MetricComparison, compare
from app.reports.report import event_facts_of
from app.reports.sources import event_start, scoped_events
from app.timeparse import VN

EARLIER = 10  # how many of the office's earlier livestreams a livestream is compared with
NOT_HELD = "not_held"  # its start still ahead when the figures are read
NOT_COLLECTED = "not_collected"  # no sample and no comment collected from any of its targets


@dataclass(frozen=True)
class LivestreamFigures:
    event_id: int
    title: str
    org_unit_id: int
    org_unit_name: str
    start: datetime | None  # aware, UTC
    views: int | None  # None: no platform reported views (or ``missing``)
    peak_viewers: int | None  # None only when ``missing``, as are the figures below
    interactions: int | None
    comments: int | None
    leads: int | None
    enrolments: float | None
    missing: str | None = None  # NOT_HELD, NOT_COLLECTED: no figure at all; None: figures

    @property
    def day(self) -> date | None:
        return self.start.astimezone(VN).date() if self.start else None


@dataclass
class LivestreamComparison:
    """A finished livestream, the office's earlier ones (newest first) and the figure by figure
    comparison with them."""

    current: LivestreamFigures
    earlier: list[LivestreamFigures]
    metrics: list[MetricComparison] = field(default_factory=list)

    def metric(self, name: str) -> MetricComparison:
        return next(m for m in self.metrics if m.metric == name)


def finished() -> ColumnElement[bool]:
    """The SQL condition of a finished livestream (see the module's docstring)."""
    still_live = exists().where(
        Target.event_id == Event.id, Target.status == "live", Target.hand_ended_at.is_(None)
    )
    return and_(Event.channel == Channel.LIVESTREAM, Event.status == EventStatus.ENDED, ~still_live)


def is_finished(event: Event) -> bool:
    if event.channel != Channel.LIVESTREAM or event.status != EventStatus.ENDED:
        return False  # most event pages: no query
    return bool(
        db.session.scalar(select(finished()).select_from(Event).where(Event.id == event.id))
    )


def earlier_ids(event_id: int, limit: int = EARLIER) -> list[int]:
    """The office's finished livestreams that started before ``event_id``, newest first."""
    return earlier_of([event_id], limit).get(event_id, [])


def earlier_of(event_ids: Iterable[int], limit: int = EARLIER) -> dict[int, list[int]]:
    """``earlier_ids`` of many events in two queries, not two per event: a month's report
    compares a few hundred livestreams. The offices' finished livestreams up to the latest
    start asked for are read once and ordered by (start, id), the order that breaks ties."""
    wanted = db.session.execute(
        select(Event.id, Event.org_unit_id, event_start()).where(Event.id.in_(set(event_ids)))
    ).all()
    wanted = [row for row in wanted if row[2] is not None]
    if not wanted:
        return {}
    pool = db.session.execute(
        select(Event.org_unit_id, event_start(), Event.id).where(
            finished(),
            Event.org_unit_id.in_({unit for _, unit, _ in wanted}),
            event_start() <= max(start for _, _, start in wanted),
        )
    )
    by_unit: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for unit, start, event_id in pool:
        by_unit[unit].append((start, event_id))
    for keys in by_unit.values():
        keys.sort()
    out = {}
    for event_id, unit, start in wanted:
        keys = by_unit.get(unit, [])
        end = bisect_left(keys, (start, event_id))
        out[event_id] = [i for _, i in reversed(keys[max(0, end - limit) : end])]
    return out


def events_in(ids: Iterable[int]) -> Select[tuple[int]]:
    """The events ``ids`` as a subquery, for statements that scan comments or samples by event:
    with a month's few hundred ids written out as a list, PostgreSQL expects to match far more
    and scans all 5 M comments (650 ms at full scale); behind a subquery it joins them through
    the target index (155 ms)."""
    return select(Event.id).where(Event.id.in_(list(ids)))


def figures_of(ids: Iterable[int], f: ReportFilter) -> dict[int, LivestreamFigures]:
    """The figures of the livestreams ``ids`` (already scoped by the caller)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    chosen = events_in(wanted)
    facts = {fact.event_id: fact for fact in event_facts_of(chosen, f)}
    targets = select(Target.id).where(Target.event_id.in_(wanted))
    reported = set(
        db.session.scalars(
            select(Target.event_id)
            .where(
                Target.id.in_(targets),
                exists().where(
                    EngagementSample.target_id == Target.id, EngagementSample.views.is_not(None)
                ),
            )
            .distinct()
        )
    )
    # The audience's comments (``counted_comment``); an event whose only comments so far are
    # the page's own replies was collected all the same.
    counts = {
        event_id: (int(n or 0), int(leads or 0))
        for event_id, n, leads in db.session.execute(
            select(
                Target.event_id,
                func.sum(case((counted_comment(), 1), else_=0)),
                func.sum(case((Comment.is_lead, 1), else_=0)),
            )
            .join(Target, Target.id == Comment.target_id)
            .where(Target.event_id.in_(chosen), Comment.deleted_at.is_(None))
            .group_by(Target.event_id)
        )
    }
    units = dict(
        db.session.execute(
            select(Event.id, OrgUnit.name)
            .join(OrgUnit, OrgUnit.id == Event.org_unit_id)
            .where(Event.id.in_(wanted))
        ).all()
    )
    peaks = combined_peaks(wanted)
    collected = sampled(targets) | set(counts)
    out = {}
    for event in db.session.scalars(select(Event).where(Event.id.in_(wanted))):
        missing = (
            NOT_HELD if not is_held(event.start, f.now)
            else None if event.id in collected else NOT_COLLECTED
        )  # fmt: skip
        if missing is not None:
            out[event.id] = LivestreamFigures(
                event.id, event.title, event.org_unit_id, units[event.id], event.start,
                None, None, None, None, None, None, missing,
            )  # fmt: skip
            continue
        fact = facts.get(event.id)
        comments, leads = counts.get(event.id, (0, 0))
        out[event.id] = LivestreamFigures(
            event_id=event.id,
            title=event.title,
            org_unit_id=event.org_unit_id,
            org_unit_name=units[event.id],
            start=event.start,
            views=(fact.reach if fact else 0) if event.id in reported else None,
            peak_viewers=peaks.get(event.id, 0),
            interactions=int(fact.interactions or 0) if fact else 0,
            comments=comments,
            leads=leads,
            enrolments=round(fact.enrolments, 2) if fact else 0.0,
        )
    return out


def sampled(targets: Select[tuple[int]]) -> set[int]:
    """The events of ``targets`` with at least one sample collected."""
    return set(
        db.session.scalars(
            select(Target.event_id)
            .where(
                Target.id.in_(targets),
                exists().where(EngagementSample.target_id == Target.id),
            )
            .distinct()
        )
    )


def combined_peaks(event_ids: Sequence[int]) -> dict[int, int]:
    """Each event's peak viewers as the live page computes it (``app.live.queries.combined_peak``:
    the highest point of its targets' viewers added up at each moment), for many events at once.

    An event with one target (most livestreams) peaks at that target's highest sample: a plain
    MAX, ~17× cheaper on a province's month than the running sum. Only events streamed to
    several targets walk their samples in time order: each sample moves its event's series by
    its target's change since its previous sample, and a running sum per event is the series."""
    targets = dict(
        db.session.execute(
            select(Target.event_id, func.count(Target.id))
            .where(Target.event_id.in_(event_ids))
            .group_by(Target.event_id)
        ).all()
    )
    single = [event_id for event_id, n in targets.items() if n == 1]
    several = [event_id for event_id, n in targets.items() if n > 1]
    s = EngagementSample
    peaks = {}
    if single:
        rows = db.session.execute(
            select(Target.event_id, func.max(s.live_viewers))
            .join(Target, Target.id == s.target_id)
            .where(Target.event_id.in_(events_in(single)), s.live_viewers.is_not(None))
            .group_by(Target.event_id)
        )
        peaks.update({event_id: int(peak or 0) for event_id, peak in rows})
    if several:
        peaks.update(running_peaks(several))
    return peaks


def running_peaks(event_ids: Sequence[int]) -> dict[int, int]:
    """The peak of each event's targets' viewers added up at each moment (see above)."""
    s = EngagementSample
    previous = func.lag(s.live_viewers).over(partition_by=s.target_id, order_by=s.sampled_at)
    steps = (
        select(
            Target.event_id,
            s.sampled_at,
            (s.live_viewers - func.coalesce(previous, 0)).label("step"),
        )
        .join(Target, Target.id == s.target_id)
        .where(Target.event_id.in_(events_in(event_ids)), s.live_viewers.is_not(None))
        .subquery()
    )
    running = select(
        steps.c.event_id,
        func.sum(steps.c.step)
        .over(partition_by=steps.c.event_id, order_by=steps.c.sampled_at)
        .label("total"),
    ).subquery()
    rows = db.session.execute(
        select(running.c.event_id, func.max(running.c.total)).group_by(running.c.event_id)
    )
    return {event_id: int(peak or 0) for event_id, peak in rows}


def comparisons(event_ids: Sequence[int], f: ReportFilter) -> list[LivestreamComparison]:
    """Each finished livestream of ``event_ids`` beside its office's earlier ones, in the order
    given; the figures of every livestream involved are read in one batch."""
    earlier = earlier_of(event_ids)
    figures = figures_of({*event_ids, *(i for ids in earlier.values() for i in ids)}, f)
    out = []
    for event_id in event_ids:
        before = [figures[i] for i in earlier.get(event_id, [])]
        current = figures[event_id]
        out.append(LivestreamComparison(current, before, compare(current, before)))
    return out


def event_comparison(event: Event) -> LivestreamComparison | None:
    """The event page's summary: None unless the event is a finished livestream."""
    if not is_finished(event):
        return None
    return comparisons([event.id], ReportFilter(unit=event.org_unit))[0]


def month_livestreams(f: ReportFilter) -> list[LivestreamComparison]:
    """The report's finished livestreams (its unit's subtree, period and campaign), by start."""
    stmt = (
        select(Event.id)
        .where(Event.id.in_(scoped_events(f)), finished())
        .order_by(event_start(), Event.id)
    )
    return comparisons(list(db.session.scalars(stmt)), f)
