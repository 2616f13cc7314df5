"""Who was met at an event and enrolled after it: the other half of an event's follow-up.

The call list leaves out everyone linked to an enrolment; this list shows them. It is read from
the very conversions the event's figures are counted from (``queries.event_conversion_list``:
the attribution window, the campaign's scheme, new enrolments only), so its length is the
event's "attendees converted" and its credit the one the reports give the event — never a
second count. A person whose data was withdrawn or erased still counts, but is not named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import aliased

from app.collation import vietnamese_key
from app.consent import person_may_be_processed
from app.extensions import db
from app.followup.attribution import DEFAULT_MODEL, Conversion
from app.followup.match_reason import reason_words
from app.followup.queries import COUNTING, default_window, event_conversion_list
from app.labels import LINK_METHOD, LINK_STATUS, SCHEME, TOUCH_SOURCE, label
from app.linkage import LinkMethod
from app.models import Attendance, BridgePoint, Enrolment, Event, Link, LinkStatus, OrgUnit, Person

HIDDEN = _l("Data withdrawn or erased")


@dataclass(frozen=True)
class EnrolledRow:
    person_id: int
    name: str  # empty when the person's data may no longer be shown
    commune: str
    hamlet: str  # with the birth year, tells two people of one name apart (as the call list)
    birth_year: int | None
    met: tuple[tuple[str, str], ...]  # (TOUCH_SOURCE code, hall's commune or "") at this event
    scheme: str  # Scheme's value
    paid_on: date
    days_after: int  # from the day they were met at this event
    method: str  # LINK_METHOD code
    confirmed: bool  # an officer confirmed the pair in the review queue
    reason: str = ""  # a probabilistic pair's own words (match_reason), not the method's label

    def met_words(self) -> str:
        """How they were met, in the page's language: "Hall check-in (Xã A), Public comment"."""
        return ", ".join(
            f"{label(TOUCH_SOURCE, s)} ({hall})" if hall else label(TOUCH_SOURCE, s)
            for s, hall in self.met
        )

    def link_words(self) -> str:
        """How the enrolment was matched to the person, and whether an officer confirmed it."""
        words = self.reason or label(LINK_METHOD, self.method)
        if self.confirmed:
            return f"{words}; {label(LINK_STATUS, LinkStatus.CONFIRMED)}"
        return words

    def scheme_words(self) -> str:
        return label(SCHEME, self.scheme)

    def shown_name(self) -> str:
        return self.name or str(HIDDEN)


@dataclass(frozen=True)
class EnrolledAfter:
    window_days: int
    rows: list[EnrolledRow]
    credited: float  # the event's credit under the default model, as the reports give it


def enrolled_after(event: Event, only: ColumnElement[bool] | None = None) -> EnrolledAfter:
    """The event's converted attendees, one row each, ordered by commune then name; ``only``:
    a condition on ``Person`` keeping a commune's part, its credit then the part's alone."""
    window = default_window(event)
    touches, conversions = event_conversion_list(event, window)
    ours = [c for c in conversions if any(t.event_id == event.id for t in c.touches)]
    if only is not None and ours:
        people = sorted({c.person_id for c in ours})
        kept = set(db.session.scalars(select(Person.id).where(Person.id.in_(people), only)))
        ours = [c for c in ours if c.person_id in kept]
    credited = sum(c.credit(DEFAULT_MODEL).get(event.id, 0.0) for c in ours)
    rows = _rows(event.id, ours)
    rows.sort(key=lambda r: (vietnamese_key(r.commune), vietnamese_key(r.shown_name())))
    return EnrolledAfter(window, rows, round(credited, 6))


def _rows(event_id: int, conversions: Sequence[Conversion]) -> list[EnrolledRow]:
    if not conversions:
        return []
    people = [c.person_id for c in conversions]
    enrolments = [c.enrolment_id for c in conversions]
    persons = {
        p.id: (p, commune)
        for p, commune in db.session.execute(
            select(Person, OrgUnit.name)
            .outerjoin(OrgUnit, OrgUnit.id == Person.commune_id)
            .where(Person.id.in_(people))
        )
    }
    hall = aliased(OrgUnit)
    met: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, source, hall_name in db.session.execute(
        select(Attendance.person_id, Attendance.source, hall.name)
        .outerjoin(BridgePoint, BridgePoint.id == Attendance.bridge_point_id)
        .outerjoin(hall, hall.id == BridgePoint.org_unit_id)
        .where(Attendance.event_id == event_id, Attendance.person_id.in_(people))
        .order_by(Attendance.touched_at, Attendance.id)
    ):
        met[person_id].append((source, hall_name or ""))
    rows_of = {
        e.id: e for e in db.session.scalars(select(Enrolment).where(Enrolment.id.in_(enrolments)))
    }
    links = {
        (lk.person_id, lk.enrolment_id): lk
        for lk in db.session.scalars(
            select(Link).where(Link.enrolment_id.in_(enrolments), Link.status.in_(COUNTING))
        )
    }
    rows = []
    for c in conversions:
        person, commune = persons[c.person_id]
        shown = person_may_be_processed(person)
        link = links[(c.person_id, c.enrolment_id)]
        touch = next(t for t in c.touches if t.event_id == event_id)
        rows.append(
            EnrolledRow(
                person_id=c.person_id,
                name=person.full_name if shown else "",
                commune=(commune or "") if shown else "",
                hamlet=(person.hamlet or "") if shown else "",
                birth_year=person.birth_year if shown else None,
                met=tuple(dict.fromkeys(met[c.person_id])),
                scheme=str(rows_of[c.enrolment_id].scheme),
                paid_on=c.paid_on,
                days_after=(c.paid_on - touch.on).days,
                method=link.method,
                confirmed=link.status == LinkStatus.CONFIRMED,
                reason=reason_words(person, rows_of[c.enrolment_id])
                if shown and link.method == LinkMethod.PROBABILISTIC
                else "",
            )
        )
    return rows
