"""A post's reach: the people Facebook showed a fanpage post to, each once.

The post collector keeps the insight (``POST_REACH``) in each sample's ``extra``; no other target
serves it. One rule for every place that shows it (the event page, the home card, the channels
report's list of activities, its files, the rollups and the API): each target's latest value
read, added up over the event's targets; ``None`` ("not yet read") while no target has one. Only
post events carry it in the reports.

People reached do not add up: one person shown two posts counts once in each. A channel's, a
month's or a commune's figure is therefore the posts' reach *added up* ("Tổng lượt tiếp cận của
các bài đăng", ``labels.REPORT_COLUMN["post_reach_sum"]``; the channels page says it in the reach
cell of its tables by channel and by commune, the files in a column of their own), never called
people reached, and never added into a total across channels (whose reach counts views, people
or copies).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import Channel, EngagementSample, Event, Target
from collectors.facebook.metrics import POST_REACH

REACH_KEY = POST_REACH


def reach_value(key: Any = REACH_KEY) -> Any:
    """A sample's reach as a float (PostgreSQL refuses to cast "12.0" to an integer); ``key`` may
    be a bound parameter (the live summary's prepared statement binds it by name)."""
    return EngagementSample.extra[key].as_float()


def added(values: Iterable[int | None]) -> int | None:
    """Reach values added up, those not read left out; ``None`` when none was read."""
    read = [v for v in values if v is not None]
    return sum(read) if read else None


def post_reach(event_ids: Collection[int] | Select[Any]) -> dict[int, int]:
    """The reach of each post event among ``event_ids`` (a list or a select of ids): each
    target's latest value, added up. Events with no reach read, and events of other channels,
    are left out."""
    ids = event_ids if isinstance(event_ids, Select) else list(event_ids)
    if not isinstance(ids, Select) and not ids:
        return {}
    s = EngagementSample
    value = reach_value()
    targets = (
        select(Target.id)
        .join(Event, Event.id == Target.event_id)
        .where(Event.id.in_(ids), Event.channel == Channel.POST)
    )
    rank = func.row_number().over(partition_by=s.target_id, order_by=s.sampled_at.desc())
    ranked = (
        select(s.target_id, value.label("value"), rank.label("rank"))
        .where(s.target_id.in_(targets), value.is_not(None))
        .subquery()
    )
    rows = db.session.execute(
        select(Target.event_id, ranked.c.value)
        .join(ranked, ranked.c.target_id == Target.id)
        .where(ranked.c.rank == 1)
    )
    out: dict[int, int] = {}
    for event_id, reach in rows:
        out[event_id] = out.get(event_id, 0) + int(reach)
    return out


# Where ``with_post_reach`` leaves an event's reach, read for a whole page of events at once.
_READ = "_lantoa_post_reach"


def with_post_reach(events: Sequence[Event]) -> Sequence[Event]:
    """``events`` each carrying its reach for ``reach_of``: one query for a page of events."""
    reach = post_reach([e.id for e in events if e.channel == Channel.POST])
    for event in events:
        setattr(event, _READ, (reach.get(event.id),))
    return events


def reach_of(event: Event) -> int | None:
    """A post event's reach (``None`` for other channels and before any read), as
    ``with_post_reach`` left it, else read for this event alone."""
    if event.channel != Channel.POST:
        return None
    read: tuple[int | None] | None = getattr(event, _READ, None)
    if read is not None:
        return read[0]
    return post_reach([event.id]).get(event.id)
