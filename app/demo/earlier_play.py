"""What an earlier start's play left on a demo sandbox event: whether a user made anything on it
(``user_made``), and clearing the play's own rows so the event can play again (``clear_play``).

The demo's sandbox events are the demo's own: the demo wrote them (no ``created_by``, no campaign)
and everything on them came from the sandbox through the collectors (targets and their reads,
people made from lead comments, alerts) or from the demo's check-in player (head counts sent
with the sandbox's ``hc-`` keys through the halls' links). Anything else on an event — a target
an officer tracked, a head count a phone or the organiser sent, an attendee sheet, a lead worked,
a link waiting, an end or reopening by hand — was made by a user: that event is theirs, and a
restart never clears it. Opening its pages is no such thing, though each view is audited: the
audit log's reads (``app.audit.READS``) are left out.
"""

from __future__ import annotations

from sqlalchemy import Select, String, and_, delete, exists, or_, select

from app import audit
from app.attendance.lead_people import SOURCE as COMMENT_SOURCE
from app.extensions import db
from app.models import (
    Alert,
    Attendance,
    AttendanceReport,
    AuditLog,
    BridgePoint,
    Comment,
    Event,
    EventStatus,
    ImportBatch,
    LeadCall,
    LeadWork,
    Link,
    PendingLink,
    Person,
    Target,
)
from app.reports.rollups import build

# The check-in player's reports: sent through the halls' links with the sandbox's own keys.
DEMO_KEY_PREFIX = "hc-"
DEMO_REPORT_SOURCE = "checkin"


def user_made(event: Event) -> bool:
    """Whether a user made or changed anything on ``event`` (see the module docstring)."""
    if event.created_by_id is not None or event.ended_by_id is not None:
        return True
    if event.campaign_id is not None:
        return True
    targets = select(Target.id.cast(String)).where(Target.event_id == event.id)
    points = select(BridgePoint.id).where(BridgePoint.event_id == event.id)
    theirs: list[Select] = [
        select(AuditLog.id).where(
            AuditLog.user_id.is_not(None),
            audit.changes(),  # opening its pages, exporting or printing them made nothing
            or_(
                and_(AuditLog.object_type == "event", AuditLog.object_id == str(event.id)),
                and_(AuditLog.object_type == "target", AuditLog.object_id.in_(targets)),
            ),
        ),
        select(AttendanceReport.id).where(
            AttendanceReport.bridge_point_id.in_(points),
            or_(
                AttendanceReport.source != DEMO_REPORT_SOURCE,
                AttendanceReport.idempotency_key.not_like(f"{DEMO_KEY_PREFIX}%"),
                AttendanceReport.attendees > 0,
            ),
        ),
        select(Attendance.id).where(
            Attendance.event_id == event.id, Attendance.source != COMMENT_SOURCE
        ),
        select(ImportBatch.id).where(ImportBatch.event_id == event.id),
        select(LeadWork.id).where(LeadWork.event_id == event.id),
        select(LeadCall.id).where(LeadCall.event_id == event.id),
        select(PendingLink.id).where(PendingLink.event_id == event.id),
    ]
    return any(db.session.scalar(select(exists(q))) for q in theirs)


def clear_play(event: Event) -> None:
    """Remove what the earlier play left on ``event`` (a demo event no user made anything on):
    its targets and their reads, the people only its lead comments made, its alerts and the
    player's head counts; it is scheduled again, never started. Its id, halls and their check-in
    links stay, so a page or link kept from the earlier play still opens it."""
    touches = list(
        db.session.scalars(
            select(Attendance).where(
                Attendance.event_id == event.id, Attendance.source == COMMENT_SOURCE
            )
        )
    )
    people = {a.person_id for a in touches}
    for touch in touches:  # through the ORM: the rollups follow a touch removed
        db.session.delete(touch)
    targets = select(Target.id).where(Target.event_id == event.id)
    db.session.execute(delete(Comment).where(Comment.target_id.in_(targets)))
    db.session.execute(delete(Target).where(Target.event_id == event.id))
    db.session.flush()
    if people:
        _drop_lone(people)
    db.session.execute(delete(Alert).where(Alert.event_id == event.id))
    points = select(BridgePoint.id).where(BridgePoint.event_id == event.id)
    reports = select(AttendanceReport).where(AttendanceReport.bridge_point_id.in_(points))
    for report in db.session.scalars(reports):  # through the ORM: its hall is recounted
        db.session.delete(report)
    event.status = EventStatus.SCHEDULED
    event.actual_start = event.actual_end = None
    db.session.flush()
    if build.ready():
        build.refresh_events([event.id])


def _drop_lone(person_ids: set[int]) -> None:
    """The people the play's comments made who are touched or linked nowhere else."""
    lone = select(Person).where(
        Person.id.in_(person_ids),
        ~exists().where(Attendance.person_id == Person.id),
        ~exists().where(Link.person_id == Person.id),
        ~exists().where(Comment.person_id == Person.id),
    )
    for person in db.session.scalars(lone):
        db.session.delete(person)
    db.session.flush()
