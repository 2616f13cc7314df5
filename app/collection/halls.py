"""Conference halls: which bridge point each platform participant is, and each hall's state.

Participant display names are matched to the event's bridge points with ``app.halls`` (never
wrongly: ambiguous or distant names stay unmatched for the organiser); a hall's connection time
comes from its participants' sessions, its people from the latest head count it reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.bridge.services import latest_head_count
from app.extensions import db
from app.halls import Hall, match_participant, parse_display_name
from app.models import BridgePoint, HallAlias, Participant, Target, utcnow


def match_new_participants(target: Target) -> int:
    """Give unmatched participants of the target their hall, when their name says it clearly."""
    points = list(
        db.session.scalars(select(BridgePoint).where(BridgePoint.event_id == target.event_id))
    )
    if not points:
        return 0
    aliases = aliases_by_unit([p.org_unit_id for p in points])
    halls = [
        Hall(code=p.org_unit.code, name=p.org_unit.name, aliases=aliases.get(p.org_unit_id, ()))
        for p in points
    ]
    by_code = {p.org_unit.code: p.id for p in points}
    rows = db.session.execute(
        select(Participant.id, Participant.display_name).where(
            Participant.target_id == target.id, Participant.bridge_point_id.is_(None)
        )
    ).all()
    matched = 0
    for participant_id, name in rows:
        match = match_participant(name, halls)
        if match.hall_code is not None:
            db.session.execute(
                update(Participant)
                .where(Participant.id == participant_id)
                .values(bridge_point_id=by_code[match.hall_code])
            )
            matched += 1
    return matched


def aliases_by_unit(unit_ids: list[int]) -> dict[int, tuple[str, ...]]:
    rows = db.session.execute(
        select(HallAlias.org_unit_id, HallAlias.alias_key).where(
            HallAlias.org_unit_id.in_(unit_ids)
        )
    ).all()
    out: dict[int, list[str]] = {}
    for unit_id, key in rows:
        out.setdefault(unit_id, []).append(key)
    return {unit_id: tuple(keys) for unit_id, keys in out.items()}


def assign(event_id: int, participant: Participant, point: BridgePoint, user_id: int | None) -> int:
    """The organiser's one click: this name is that hall, now and at every later conference.

    Every participant of the event showing the same name (rejoins, other devices) follows.
    """
    key = parse_display_name(participant.display_name).key
    exists = db.session.scalar(
        select(HallAlias.id).where(
            HallAlias.org_unit_id == point.org_unit_id, HallAlias.alias_key == key
        )
    )
    if exists is None and key:
        db.session.add(
            HallAlias(
                org_unit_id=point.org_unit_id,
                alias_key=key,
                created_by_id=user_id,
                created_at=utcnow(),
            )
        )
    same_name = [
        pid
        for pid, name in db.session.execute(
            select(Participant.id, Participant.display_name)
            .join(Target, Target.id == Participant.target_id)
            .where(Target.event_id == event_id)
        ).all()
        if parse_display_name(name).key == key
    ]
    db.session.execute(
        update(Participant).where(Participant.id.in_(same_name)).values(bridge_point_id=point.id)
    )
    return len(same_name)


@dataclass
class HallState:
    id: int
    commune: str
    name: str
    expected: int
    head_count: int | None
    reported_at: datetime | None
    first_join: datetime | None
    last_leave: datetime | None
    minutes_connected: int
    drop_outs: int

    @property
    def connected(self) -> bool:
        return self.first_join is not None or self.head_count is not None

    @property
    def status(self) -> str:
        if self.head_count is not None:
            return "reported"
        return "connected" if self.connected else "not_connected"


def hall_states(event_id: int, now: datetime) -> list[HallState]:
    points = db.session.scalars(
        select(BridgePoint).where(BridgePoint.event_id == event_id).order_by(BridgePoint.id)
    )
    states = []
    for point in points:
        sessions = list(
            db.session.execute(
                select(Participant.joined_at, Participant.left_at)
                .where(Participant.bridge_point_id == point.id)
                .order_by(Participant.joined_at)
            ).all()
        )
        latest = latest_head_count(point)
        states.append(
            HallState(
                id=point.id,
                commune=point.org_unit.code,
                name=point.org_unit.name,
                expected=point.expected_attendance or 0,
                head_count=latest.head_count if latest else None,
                reported_at=latest.reported_at if latest else None,
                first_join=sessions[0][0] if sessions else None,
                last_leave=max((s[1] or now for s in sessions), default=None),
                minutes_connected=_minutes(sessions, now),
                drop_outs=max(len(_merged(sessions, now)) - 1, 0),
            )
        )
    return states


def _merged(sessions: list, now: datetime) -> list[tuple[datetime, datetime]]:
    """Sessions of one hall (several devices, rejoins) merged into disjoint intervals."""
    merged: list[tuple[datetime, datetime]] = []
    for joined, left in sorted((s[0], s[1] or now) for s in sessions):
        if merged and joined <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], left))
        else:
            merged.append((joined, left))
    return merged


def _minutes(sessions: list, now: datetime) -> int:
    return int(sum((b - a).total_seconds() for a, b in _merged(sessions, now)) // 60)
