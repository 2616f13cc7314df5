"""Which hall each platform participant of a conference is, and the organiser's corrections.

Participant display names are matched to the event's halls with ``app.halls.names`` (never
wrongly: ambiguous or distant names stay unmatched for the organiser); a hall named as its commune
was before the 2025 reform ("UBND xã Sơn Thành") is found through the commune it became. An
organiser's assignment is remembered as an alias of the commune, so later conferences recognise
the name by themselves. A name the organiser marked as no hall (the host's room, a staff phone)
stays so for the rest of the event: a session that joins later under it is marked as it arrives.
"""

from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.halls.names import Hall, HallMatcher, parse_display_name
from app.models import BridgePoint, HallAlias, Participant, Target, utcnow


def match_new_participants(target: Target) -> int:
    """Give unmatched participants of the target their hall, when their name says it clearly.

    Names marked as no hall at this event are left alone, and their new sessions marked too.
    """
    carry_not_a_hall(target)
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
    matcher = HallMatcher(halls)  # indexed once for the whole roster
    rows = db.session.execute(
        select(Participant.id, Participant.display_name).where(
            Participant.target_id == target.id,
            Participant.bridge_point_id.is_(None),
            Participant.not_a_hall.is_(False),
        )
    ).all()
    matched = 0
    for participant_id, name in rows:
        match = matcher.match(name)
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
        update(Participant)
        .where(Participant.id.in_(same_name))
        .values(bridge_point_id=point.id, not_a_hall=False)  # a hall after all
    )
    return len(same_name)


def carry_not_a_hall(target: Target) -> int:
    """Mark the target's new sessions whose exact name is marked as no hall at this event.

    Participants are stored per session (target, participant key, join time), so a rejoin or a
    second device is a new row: without this it would bring the name back to the unmatched list.
    """
    marked = (
        select(Participant.display_name)
        .join(Target, Target.id == Participant.target_id)
        .where(Target.event_id == target.event_id, Participant.not_a_hall.is_(True))
    )
    result = db.session.execute(
        update(Participant)
        .where(
            Participant.target_id == target.id,
            Participant.bridge_point_id.is_(None),
            Participant.not_a_hall.is_(False),
            Participant.display_name.in_(marked),
        )
        .values(not_a_hall=True)
    )
    return int(result.rowcount)


def mark_not_a_hall(event_id: int, participant: Participant, marked: bool = True) -> int:
    """The organiser's "not a hall" (or its undo) for every hall-less session of the event
    under the participant's exact name, as the unmatched list groups them; how many changed."""
    ids = list(
        db.session.scalars(
            select(Participant.id)
            .join(Target, Target.id == Participant.target_id)
            .where(
                Target.event_id == event_id,
                Participant.display_name == participant.display_name,
                Participant.bridge_point_id.is_(None),
                Participant.not_a_hall.is_(not marked),
            )
        )
    )
    if ids:
        db.session.execute(
            update(Participant).where(Participant.id.in_(ids)).values(not_a_hall=marked)
        )
    return len(ids)
