"""Whose follow-up a user sees of an event: all of it, or only their commune's people.

An event of the user's subtree is theirs whole. A commune's user sees the province's event their
commune takes part in (``app.scoping.get_event_view``) in part: its follow-up list, the Excel
export, the enrolled-after section and the leads API keep only the people who are the commune's
(``app.scoping.people_in_part``), so no other commune's names and phones are even read, and every
count on the page is the commune's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select

from app.extensions import db
from app.models import Attendance, BridgePoint, Event, OrgUnit, Person, User
from app.scoping import get_event_view, people_in_part

PART_NOTE = _l(
    "Only people of %(unit)s are shown: those who live there, and those with no commune "
    "recorded who checked in at its hall. Every count on this page is theirs alone."
)
PART_TITLE = _l("people of %(unit)s")
# How a commune's name may begin, and the unit in a sentence of the page's language by its kind.
KINDS = {
    "Xã ": _l("%(name)s commune"),
    "Phường ": _l("%(name)s ward"),
    "Thị trấn ": _l("%(name)s township"),
    "Đặc khu ": _l("%(name)s special zone"),
}


@dataclass(frozen=True)
class CallScope:
    event: Event
    part: OrgUnit | None  # the commune whose people alone are shown; None: the whole event
    only: ColumnElement[bool] | None  # the condition on ``Person`` that keeps them

    def kept(self, person_ids: Collection[int]) -> set[int]:
        """Those of ``person_ids`` this scope shows (all of them for the whole event)."""
        wanted = set(person_ids)
        if self.only is None or not wanted:
            return wanted
        stmt = select(Person.id).where(Person.id.in_(sorted(wanted)), self.only)
        return set(db.session.scalars(stmt))


def call_scope(event_id: int, user: User) -> CallScope:
    """The event's follow-up as ``user`` may see it, else 404 (never 403: ids are not confirmed)."""
    view = get_event_view(event_id, user)
    if view.whole:
        return CallScope(view.event, None, None)
    return CallScope(view.event, user.org_unit, people_in_part(view.event.id, user))


def unit_name(unit: OrgUnit) -> str:
    """The commune's name inside a sentence of the page's language: "xã Nghi Phong" (its kind
    word in lower case) or "Nghi Phong commune", the kind "xã" when the name has none."""
    for word, words in KINDS.items():
        if unit.name.startswith(word):
            return str(words) % {"name": unit.name[len(word) :]}
    return str(KINDS["Xã "]) % {"name": unit.name}


def part_note(unit: OrgUnit) -> str:
    """What the page says above a commune's part of the list, in the page's language."""
    return str(PART_NOTE) % {"unit": unit_name(unit)}


def part_words(unit: OrgUnit) -> str:
    """Whose list the Excel file is, in Vietnamese whatever the page's language (its words are)."""
    with force_locale("vi"):
        return str(PART_TITLE) % {"unit": unit_name(unit)}


def people_communes(event_id: int, person_ids: Collection[int]) -> dict[int, set[int]]:
    """The commune(s) each of these people is the part of, in ``people_in_part``'s terms: the
    commune they live in, else (no commune recorded) those of the event's halls they checked in
    at. A person with neither is the organiser's alone (absent from the answer)."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    found: dict[int, set[int]] = {}
    lives = select(Person.id, Person.commune_id).where(
        Person.id.in_(wanted), Person.commune_id.is_not(None)
    )
    for person_id, commune_id in db.session.execute(lives):
        found[person_id] = {commune_id}
    halls = (
        select(Attendance.person_id, BridgePoint.org_unit_id)
        .join(BridgePoint, BridgePoint.id == Attendance.bridge_point_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(Attendance.event_id == event_id, Attendance.person_id.in_(wanted))
        .where(Person.commune_id.is_(None))
    )
    for person_id, unit_id in db.session.execute(halls):
        found.setdefault(person_id, set()).add(unit_id)
    return found
