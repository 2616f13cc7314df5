"""One person per human: people seen at several events are merged, conservatively.

Two people are the same when they share
- the CCCD; or
- phone, folded given name and birth year; or
- phone and the whole folded name (comment leads carry no birth year).

A phone alone never merges: one phone serves a whole household. Keys are compared through the
blind indexes, so nothing is decrypted. A merge that would put two different CCCDs or two
different birth years in one person is refused (union-find with a conflict check), so a chain
of weak agreements cannot glue a household together.

The survivor is the oldest person. Touches, links and comments move to it; a recorded "no" or a
withdrawn consent on either side wins, else the earliest "yes" is kept; a comment lead's legal
basis comes along. Each merge is audited (ids only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import inspect, select, update

from app.extensions import db
from app.followup.lead_work import move_lead_work
from app.models import Attendance, Comment, Link, LinkStatus, Person
from app.reports.rollups.listeners import note_moved_touches

# When both sides hold a link to the same enrolment, the stronger status stays.
STATUS_RANK = {LinkStatus.CONFIRMED: 0, LinkStatus.REJECTED: 1, LinkStatus.LINKED: 2,
               LinkStatus.REVIEW: 3}  # fmt: skip
FILLED = ("cccd", "cccd_bidx", "bhxh_code", "bhxh_code_bidx", "phone", "phone_bidx", "gender",
          "commune_id", "commune_text", "hamlet")  # fmt: skip
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, None: 3}


@dataclass
class _Group:
    members: list[int]
    cccds: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)


class _Components:
    """Union-find whose unions are refused when they would mix CCCDs or birth years."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.groups: dict[int, _Group] = {}

    def add(self, pid: int, cccd: str | None, year: int | None) -> None:
        self.parent[pid] = pid
        self.groups[pid] = _Group([pid], {cccd} if cccd else set(), {year} if year else set())

    def find(self, pid: int) -> int:
        while self.parent[pid] != pid:
            self.parent[pid] = self.parent[self.parent[pid]]
            pid = self.parent[pid]
        return pid

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ga, gb = self.groups[ra], self.groups[rb]
        if len(ga.cccds | gb.cccds) > 1 or len(ga.years | gb.years) > 1:
            return
        if rb < ra:
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        ga.members += gb.members
        ga.cccds |= gb.cccds
        ga.years |= gb.years
        del self.groups[rb]


def duplicate_groups() -> list[list[int]]:
    """Groups of person ids (oldest first) that are one human; singletons left out."""
    comps = _Components()
    keys: dict[tuple, list[int]] = defaultdict(list)
    stmt = (
        select(
            Person.id, Person.cccd_bidx, Person.phone_bidx, Person.name_folded, Person.birth_year
        )
        .where(Person.erased_at.is_(None))
        .order_by(Person.id)
    )
    for pid, cccd, phone, name, year in db.session.execute(stmt):
        comps.add(pid, cccd, year)
        words = (name or "").split()
        if cccd:
            keys[("cccd", cccd)].append(pid)
        if phone and words and year:
            keys[("phone_given_year", phone, words[-1], year)].append(pid)
        if phone and len(words) >= 2:
            keys[("phone_name", phone, " ".join(words))].append(pid)
    # Strong keys first, so a CCCD agreement settles a group before the weaker keys try.
    for key in sorted(keys, key=lambda k: ("cccd", "phone_given_year", "phone_name").index(k[0])):
        first, *rest = keys[key]
        for other in rest:
            comps.union(first, other)
    return sorted(sorted(g.members) for g in comps.groups.values() if len(g.members) > 1)


def merge_people(survivor: Person, others: list[Person], now: datetime) -> None:
    """Fold ``others`` into ``survivor``: touches, links, comments, consent, missing fields."""
    other_ids = [p.id for p in others]
    _move_attendances(survivor.id, other_ids)
    _move_links(survivor.id, other_ids)
    move_lead_work(survivor.id, other_ids)
    move_lead_work(survivor.id, other_ids)
    db.session.execute(
        update(Comment).where(Comment.person_id.in_(other_ids)).values(person_id=survivor.id)
    )
    for other in others:
        _merge_fields(survivor, other)
    db.session.flush()
    for other in others:
        db.session.delete(other)
    db.session.flush()


def _move_attendances(survivor_id: int, other_ids: list[int]) -> None:
    kept = {
        (a.event_id, a.source): a
        for a in db.session.scalars(select(Attendance).where(Attendance.person_id == survivor_id))
    }
    moving = db.session.scalars(
        select(Attendance).where(Attendance.person_id.in_(other_ids)).order_by(Attendance.id)
    ).all()
    for touch in moving:
        same = kept.get((touch.event_id, touch.source))
        if same is None:
            kept[(touch.event_id, touch.source)] = touch
            continue
        if touch.touched_at < same.touched_at:
            same.touched_at = touch.touched_at
        db.session.delete(touch)
    db.session.flush()
    # The UPDATE below bypasses the ORM: tell the report rollups which touches change hands.
    kept_moving = [t for t in moving if not (inspect(t).deleted or inspect(t).was_deleted)]
    note_moved_touches(db.session, [(t.person_id, survivor_id, t.event_id) for t in kept_moving])
    db.session.execute(
        update(Attendance).where(Attendance.person_id.in_(other_ids)).values(person_id=survivor_id)
    )


def _move_links(survivor_id: int, other_ids: list[int]) -> None:
    kept = {
        lk.enrolment_id: lk
        for lk in db.session.scalars(select(Link).where(Link.person_id == survivor_id))
    }
    for lk in db.session.scalars(
        select(Link).where(Link.person_id.in_(other_ids)).order_by(Link.id)
    ).all():
        same = kept.get(lk.enrolment_id)
        if same is None:
            kept[lk.enrolment_id] = lk
            continue
        if STATUS_RANK[lk.status] < STATUS_RANK[same.status]:
            same.status, same.method, same.score = lk.status, lk.method, lk.score
            same.reviewed_by_id, same.reviewed_at = lk.reviewed_by_id, lk.reviewed_at
        db.session.delete(lk)
    db.session.flush()
    db.session.execute(
        update(Link).where(Link.person_id.in_(other_ids)).values(person_id=survivor_id)
    )


def _merge_fields(survivor: Person, other: Person) -> None:
    for name in FILLED:
        if not getattr(survivor, name) and getattr(other, name):
            setattr(survivor, name, getattr(other, name))
    if survivor.birth_year is None:
        survivor.birth_year = other.birth_year
    mine = survivor.birth_precision.value if survivor.birth_precision else None
    theirs = other.birth_precision.value if other.birth_precision else None
    if other.birth_date and PRECISION_RANK[theirs] < PRECISION_RANK[mine]:
        survivor.birth_date, survivor.birth_precision = other.birth_date, other.birth_precision
    if _answer_wins(other, survivor):
        survivor.consent_agreed = other.consent_agreed
        survivor.consent_at = other.consent_at
        survivor.consent_version = other.consent_version
        survivor.consent_source = other.consent_source
    survivor.legal_basis = survivor.legal_basis or other.legal_basis
    if other.consent_withdrawn_at and (
        survivor.consent_withdrawn_at is None
        or other.consent_withdrawn_at < survivor.consent_withdrawn_at
    ):
        survivor.consent_withdrawn_at = other.consent_withdrawn_at


def _answer_wins(other: Person, survivor: Person) -> bool:
    """A "no" beats any other answer; between two "yes", the earliest; any answer beats none."""
    if other.consent_agreed is None or survivor.consent_agreed is False:
        return False
    if other.consent_agreed is False or survivor.consent_agreed is None:
        return True
    return bool(other.consent_at and (survivor.consent_at is None
                                      or other.consent_at < survivor.consent_at))  # fmt: skip


def deduplicate(now: datetime) -> int:
    """Merge every group of duplicates; returns how many people were merged away."""
    from app import audit

    merged = 0
    for ids in duplicate_groups():
        people = db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
        by_id = {p.id: p for p in people}
        survivor, others = by_id[ids[0]], [by_id[i] for i in ids[1:]]
        merge_people(survivor, others, now)
        audit.record("people.merge", None, "person", survivor.id, merged=ids[1:])
        merged += len(others)
    return merged
