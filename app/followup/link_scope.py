"""Which person ↔ enrolment pairs may be linked: both inside the unit that imported the enrolment.

An enrolment export belongs to the office that imported it. Linking its rows to people of another
province would take those people off that province's follow-up list, and the import's "N new
links" answer would tell the importer whether a CCCD exists anywhere in the country. A pair is
in scope when the person's commune lies in the importing unit's subtree, or, for people with no
commune (comment leads), when they were seen at an event of that subtree. Enrolments imported
without a unit (the country's command line) may link anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import select

from app.extensions import db
from app.models import Attendance, Enrolment, Event, OrgUnit, Person

CHUNK = 500
T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _inside(path: str | None, unit_path: str) -> bool:
    return path is not None and (path == unit_path or path.startswith(unit_path + "/"))


def in_scope_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The ``(person_id, enrolment_id)`` pairs whose person is inside the enrolment's unit."""
    pairs = set(pairs)
    enrolment_ids = sorted({e for _, e in pairs})
    person_ids = sorted({p for p, _ in pairs})
    unit_of: dict[int, str | None] = {}
    for chunk in _chunks(enrolment_ids):
        rows: Any = db.session.execute(
            select(Enrolment.id, OrgUnit.path)
            .outerjoin(OrgUnit, OrgUnit.id == Enrolment.org_unit_id)
            .where(Enrolment.id.in_(chunk))
        )
        unit_of.update({eid: path for eid, path in rows})
    place_of: dict[int, str | None] = {}
    for chunk in _chunks(person_ids):
        rows = db.session.execute(
            select(Person.id, OrgUnit.path)
            .outerjoin(OrgUnit, OrgUnit.id == Person.commune_id)
            .where(Person.id.in_(chunk))
        )
        place_of.update({pid: path for pid, path in rows})
    seen_at: dict[int, set[str]] = {}
    placeless = sorted(pid for pid, path in place_of.items() if path is None)
    for chunk in _chunks(placeless):
        rows = db.session.execute(
            select(Attendance.person_id, OrgUnit.path)
            .join(Event, Event.id == Attendance.event_id)
            .join(OrgUnit, OrgUnit.id == Event.org_unit_id)
            .where(Attendance.person_id.in_(chunk))
            .distinct()
        )
        for pid, path in rows:
            seen_at.setdefault(pid, set()).add(path)
    allowed = set()
    for person_id, enrolment_id in pairs:
        unit_path = unit_of.get(enrolment_id)
        if (
            unit_path is None
            or _inside(place_of.get(person_id), unit_path)
            or any(_inside(path, unit_path) for path in seen_at.get(person_id, ()))
        ):
            allowed.add((person_id, enrolment_id))
    return allowed
