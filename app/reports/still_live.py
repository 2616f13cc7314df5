"""The report's events still running when it is read: their figures will still grow.

A report counts a livestream or a conference under way with the figures collected so far: the
runner refreshes the event's rollup row with every batch (``rollups.build.refresh_online``), so a
report agrees with the live page at each reading. What a manager cannot tell from a number alone
is that it is not final: a livestream at 479 views at 01:50 ends near 1,600, as Facebook counts
a live's views only once it ends (``app.live.summary``: "not yet read", never 0). So each report
says how many of its events are still live, up to when their figures were read, and which
platforms' views are still to come; the event rows say "still live".

An event is still live when a collector (or an officer) set it live and its start has passed at
the report's moment (``facts.is_held``): ended events, and events not held yet (planned), are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from babel.numbers import format_decimal
from flask_babel import lazy_gettext, lazy_ngettext
from sqlalchemy import exists, func, select

from app.extensions import db
from app.formatting import fmt_moment
from app.labels import in_vietnamese
from app.models import EngagementSample, Event, EventStatus, Target, utcnow
from app.reports.facts import ChannelReport, ReportFilter, held_sql
from app.reports.sources import event_start, of_period
from app.scoping import subtree_ids
from app.timeparse import VN

# The livestream kinds whose views their platform serves only once the live ends
# (``collectors.facebook.live``: the video insights are read at the end).
VIEWS_AT_END = ("facebook_live",)


@dataclass(frozen=True)
class StillLive:
    """The events of a report still running at its moment."""

    event_ids: frozenset[int] = frozenset()
    last_read: datetime | None = None  # the latest successful read of their targets
    views_at_end: tuple[str, ...] = field(default=())  # target kinds whose views are to come

    @property
    def events(self) -> int:
        return len(self.event_ids)


def still_live(f: ReportFilter, now: datetime) -> StillLive:
    """The events of ``f``'s scope (unit subtree, period, campaign) live and held at ``now``.

    Read from the events' status index first: the few events live anywhere, then those of them
    in scope. Asking the scope first would list every event of a province-year (20,000) to keep
    the one or two live, on every report page."""
    anywhere = list(db.session.scalars(select(Event.id).where(Event.status == EventStatus.LIVE)))
    if not anywhere:
        return StillLive()
    rows = select(Event.id).where(
        Event.id.in_(anywhere),
        Event.org_unit_id.in_(subtree_ids(f.unit)),
        held_sql(event_start(), now),
    )
    live = frozenset(db.session.scalars(of_period(rows, f)))
    if not live:
        return StillLive()
    last_read = db.session.scalar(
        select(func.max(Target.last_success_at)).where(Target.event_id.in_(live))
    )
    read = exists().where(
        EngagementSample.target_id == Target.id, EngagementSample.views.is_not(None)
    )
    pending = db.session.scalars(
        select(Target.kind)
        .where(Target.event_id.in_(live), Target.kind.in_(VIEWS_AT_END), ~read)
        .distinct()
    )
    return StillLive(live, last_read, tuple(sorted(pending)))


# The platform each kind of ``VIEWS_AT_END`` names on a page ("lượt xem Facebook").
PLATFORMS = {"facebook_live": "Facebook"}


def of_report(report: ChannelReport) -> StillLive:
    """The events of ``report``'s scope still live at its moment (``taken_at``), asked once per
    report however many of its tables and lines ask."""
    if "still_live" not in report.kept:
        report.kept["still_live"] = still_live(report.filter, report.taken_at or utcnow())
    return report.kept["still_live"]


def live_line(live: StillLive, vietnamese: bool = True) -> str:
    """ "1 sự kiện đang diễn ra: số liệu là số đã thu thập đến 08/12/2026 01:50 và sẽ còn
    tăng. Chưa gồm lượt xem Facebook: …" ("" if none), in Vietnamese for the files, in the
    page's language on a page."""
    if not live.events:
        return ""
    say = in_vietnamese if vietnamese else str
    at = fmt_moment(live.last_read.astimezone(VN)) if live.last_read else "—"
    line = say(
        lazy_ngettext(
            "%(n)s event is still live: its figures are those collected up to %(time)s and "
            "will still grow.",
            "%(n)s events are still live: their figures are those collected up to %(time)s "
            "and will still grow.",
            live.events,
            n=format_decimal(live.events, "#,##0", locale="vi"),
            time=at,
        )
    )
    if live.views_at_end:
        platforms = ", ".join(PLATFORMS.get(k, k) for k in live.views_at_end)
        line += " " + say(
            lazy_gettext(
                "Views of %(platforms)s are not in them yet: the platform gives a live's views "
                "only once it ends.",
                platforms=platforms,
            )
        )
    return line
