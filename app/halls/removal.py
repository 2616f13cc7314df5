"""Removing a hall added by mistake: only while it holds nothing, never its figures.

A hall that sent a report (from its link or typed by an organiser), has attendees recorded at it,
or platform sessions assigned to it holds figures of the event: removing it would drop its
reports with it (they belong to the hall) and leave its people and sessions with no hall. Such a
hall is refused, naming what it holds; revoking its link stops it reporting instead. A hall
with nothing goes with its link: the link's secret is the hall's row, so it stops opening at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select, union

from app import audit
from app.extensions import db
from app.models import Attendance, AttendanceReport, BridgePoint, Participant, User


@dataclass(frozen=True)
class Holdings:
    """What a hall holds of its event's figures."""

    reports: int  # head counts and attendee sheets, from its link or typed by an organiser
    attendees: int  # people recorded at the hall
    sessions: int  # platform sessions assigned to the hall

    def __bool__(self) -> bool:
        return bool(self.reports or self.attendees or self.sessions)

    def words(self) -> str:
        """ "2 reports, 15 attendees" — what a page says the hall holds."""
        parts = []
        if self.reports:
            parts.append(ngettext("%(num)s report", "%(num)s reports", self.reports))
        if self.attendees:
            parts.append(ngettext("%(num)s attendee", "%(num)s attendees", self.attendees))
        if self.sessions:
            parts.append(ngettext("%(num)s platform session", "%(num)s platform sessions",
                                  self.sessions))  # fmt: skip
        return ", ".join(parts)


class HallHolds(Exception):
    """The hall holds figures: it stays, and the page says what it holds."""

    def __init__(self, name: str, holdings: Holdings) -> None:
        super().__init__(f"{name} holds figures")
        self.name = name
        self.holdings = holdings

    def localized(self) -> str:
        return _(
            "%(hall)s cannot be removed: it already holds %(what)s of this event. Its figures "
            "are kept; if the hall should no longer report, revoke its link instead.",
            hall=self.name,
            what=self.holdings.words(),
        )


def _count(stmt: Select[Any]) -> int:
    return int(db.session.scalar(stmt) or 0)


def holdings(point_id: int) -> Holdings:
    """Counted in the database, not from the hall's kept figures: a report typed or sent a
    moment ago counts."""
    return Holdings(
        reports=_count(select(func.count()).where(AttendanceReport.bridge_point_id == point_id)),
        attendees=_count(select(func.count()).where(Attendance.bridge_point_id == point_id)),
        sessions=_count(select(func.count()).where(Participant.bridge_point_id == point_id)),
    )


def halls_holding(point_ids: Collection[int]) -> set[int]:
    """Which of ``point_ids`` hold reports, attendees or sessions (so ``remove_hall`` refuses
    them): one statement for a page of halls, counted in the database as ``holdings`` is."""
    if not point_ids:
        return set()
    ids = list(point_ids)
    held = union(
        *(
            select(model.bridge_point_id).where(model.bridge_point_id.in_(ids))
            for model in (AttendanceReport, Attendance, Participant)
        )
    )
    return {int(point_id) for point_id in db.session.scalars(select(held.subquery().c[0]))}


def remove_hall(point: BridgePoint, user: User) -> str:
    """Delete the hall (and so its link) if it holds nothing, audited; the caller commits.
    Returns what the page says it did.

    The hall's row is locked first (PostgreSQL): a report arriving meanwhile either committed
    before, and is counted, or waits for the removal and then finds no hall to report for.

    Raises:
        HallHolds: it holds reports, attendees or sessions; nothing is changed.
    """
    db.session.execute(
        select(BridgePoint.id).where(BridgePoint.id == point.id).with_for_update()
    ).first()
    held = holdings(point.id)
    if held:
        raise HallHolds(point.org_unit.name, held)
    name, code = point.org_unit.name, point.org_unit.code
    audit.record("bridge_point.remove", user, "event", point.event_id, hall=point.id,
                 commune=code, had_link=point.checkin_token_hash is not None)  # fmt: skip
    db.session.delete(point)
    db.session.flush()
    return _("%(hall)s is no longer a hall of this event; its check-in link no longer works.",
             hall=name)  # fmt: skip
