"""Read side of the follow-up: an event's touches, its attendees' enrolments, and the baseline.

Only links an officer may rely on count (``linked`` and ``confirmed``); links waiting in the
review queue or rejected do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.followup.attribution import (
    DEFAULT_MODEL,
    MODELS,
    WINDOWS,
    Conversion,
    Enrolled,
    Touch,
    event_conversions,
    find_conversions,
    of_scheme,
)
from app.followup.stats import Lift, Rate
from app.models import (
    Attendance,
    BridgePoint,
    Enrolment,
    Event,
    Link,
    LinkStatus,
    OrgKind,
    OrgUnit,
    Person,
)
from app.scoping import subtree_ids
from app.timeparse import VN

COUNTING = (LinkStatus.LINKED, LinkStatus.CONFIRMED)


def local_day(moment: datetime) -> date:
    return moment.astimezone(VN).date()


CHUNK = 10_000  # ids per IN list: PostgreSQL takes at most 65,535 bind parameters a statement


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def touches_of(person_ids: set[int] | None = None, event_id: int | None = None) -> list[Touch]:
    """Touches of the given people (all their events), or of one event's attendees."""
    stmt = select(Attendance.person_id, Attendance.event_id, Attendance.touched_at)
    if event_id is not None:
        attendees = select(Attendance.person_id).where(Attendance.event_id == event_id)
        stmt = stmt.where(Attendance.person_id.in_(attendees))
    if person_ids is None:
        return [Touch(p, e, local_day(at)) for p, e, at in db.session.execute(stmt)]
    return [
        Touch(p, e, local_day(at))
        for chunk in _chunks(person_ids)
        for p, e, at in db.session.execute(stmt.where(Attendance.person_id.in_(chunk)))
    ]


def enrolments_of(person_ids: set[int]) -> list[Enrolled]:
    """Enrolments linked to these people by a link that counts."""
    stmt = (
        select(Link.person_id, Enrolment.id, Enrolment.paid_on, Enrolment.is_new, Enrolment.scheme)
        .join(Enrolment, Enrolment.id == Link.enrolment_id)
        .where(Link.status.in_(COUNTING), Enrolment.paid_on.is_not(None))
    )
    return [
        Enrolled(p, e, paid, bool(new), str(scheme))
        for chunk in _chunks(person_ids)
        for p, e, paid, new, scheme in db.session.execute(stmt.where(Link.person_id.in_(chunk)))
    ]


@dataclass(frozen=True)
class EventFollowUp:
    event_id: int
    window_days: int
    model: str
    scheme: str | None  # the campaign's scheme the conversions count; None: every scheme
    identified: int
    converted: float
    attendees_converted: int
    by_model: dict[str, float]
    median_days_to_enrol: float | None
    baseline: Lift | None

    def as_dict(self) -> dict[str, Any]:
        rate = Rate(self.converted, self.identified)
        out: dict[str, Any] = {
            "event_id": self.event_id,
            "model": self.model,
            "window": self.window_days,
            "scheme": self.scheme,
            "identified": self.identified,
            "converted": round(self.converted, 2),
            "attendees_converted": self.attendees_converted,
            "rate": round(rate.value, 4),
            "rate_ci": [round(x, 4) for x in rate.interval],
            "by_model": {m: round(v, 2) for m, v in self.by_model.items()},
            "median_days_to_enrol": self.median_days_to_enrol,
        }
        if self.baseline is not None:
            base = self.baseline.baseline
            out["baseline"] = {
                "kind": "estimate",
                "people": base.trials,
                "converted": round(base.successes, 2),
                "rate": round(base.value, 4),
                "rate_ci": [round(x, 4) for x in base.interval],
                "absolute_lift": round(self.baseline.absolute, 4),
                "relative_lift": (
                    round(self.baseline.relative, 4) if self.baseline.relative is not None else None
                ),
                "incremental_enrolments": round(self.baseline.incremental, 1),
            }
        return out


def event_follow_up(event: Event, window_days: int, model: str = DEFAULT_MODEL) -> EventFollowUp:
    """The event's identified attendees, how many converted and the credit under each model.

    An event of a campaign counts its campaign's scheme alone, as the campaign's report does.
    """
    if model not in MODELS:
        raise ValueError(f"model: unknown attribution model {model!r}; one of {', '.join(MODELS)}")
    scheme = campaign_scheme(event)
    touches, conversions = event_conversion_list(event, window_days)
    figures = event_conversions(touches, conversions).get(event.id)
    by_model = figures.by_model if figures else dict.fromkeys(MODELS, 0.0)
    identified = figures.identified if figures else 0
    attendees = Rate(by_model[model], identified)
    baseline = _baseline(event, window_days, scheme)
    return EventFollowUp(
        event_id=event.id,
        window_days=window_days,
        model=model,
        scheme=scheme,
        identified=identified,
        converted=by_model[model],
        attendees_converted=figures.attendees_converted if figures else 0,
        by_model=by_model,
        median_days_to_enrol=figures.median_days_to_enrol if figures else None,
        baseline=Lift(attendees, baseline) if baseline and baseline.trials else None,
    )


def event_conversion_list(event: Event, window_days: int) -> tuple[list[Touch], list[Conversion]]:
    """The touches of the event's attendees (all their events) and their conversions, the
    campaign's scheme alone for a campaign's event: what the event's figures are counted from,
    and the follow-up page's list of who enrolled after it (app.followup.enrolled_after)."""
    touches = touches_of(event_id=event.id)
    people = {t.person_id for t in touches}
    enrolments = of_scheme(enrolments_of(people), campaign_scheme(event))
    return touches, find_conversions(touches, enrolments, window_days)


def default_window(event: Event) -> int:
    """The attribution window an event is shown with: its campaign's, else the longest."""
    return event.campaign.attribution_window_days if event.campaign else WINDOWS[-1]


def event_communes(event: Event) -> list[int]:
    """The communes an event reached: its halls', else its own unit's communes."""
    halls = db.session.scalars(
        select(BridgePoint.org_unit_id).where(BridgePoint.event_id == event.id)
    ).all()
    if halls:
        return list(halls)
    if event.org_unit.kind == OrgKind.COMMUNE:
        return [event.org_unit_id]
    stmt = select(OrgUnit.id).where(
        OrgUnit.id.in_(subtree_ids(event.org_unit)), OrgUnit.kind == OrgKind.COMMUNE
    )
    return list(db.session.scalars(stmt))


def campaign_scheme(event: Event) -> str | None:
    """The scheme the event's campaign promotes (its value), or None: every scheme counts."""
    return None if event.campaign is None else str(event.campaign.scheme)


def _baseline(event: Event, window_days: int, scheme: str | None) -> Rate | None:
    """People of the same communes not seen at this event, converting over the same window.

    An estimate: the registry only holds people some event or lead has touched, not the
    commune's whole population, and nobody was held out at random.
    """
    start = event.start
    if start is None:
        return None
    day = local_day(start)
    communes = event_communes(event)
    others = set(
        db.session.scalars(
            select(Person.id).where(
                Person.commune_id.in_(communes),
                Person.erased_at.is_(None),
                Person.id.not_in(
                    select(Attendance.person_id).where(Attendance.event_id == event.id)
                ),
            )
        )
    )
    if not others:
        return None
    converted = 0
    first_new: dict[int, date] = {}
    for row in of_scheme(enrolments_of(others), scheme):
        if row.is_new and (
            row.person_id not in first_new or row.paid_on < first_new[row.person_id]
        ):
            first_new[row.person_id] = row.paid_on
    end = day + timedelta(days=window_days)
    converted = sum(1 for paid in first_new.values() if day <= paid <= end)
    return Rate(converted, len(others))
