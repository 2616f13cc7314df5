"""Lead comments whose authors the reports cannot count yet, said beside "People identified".

"People identified" counts distinct people touched by the events: people named on attendance
sheets, check-ins and rosters, and the authors of lead comments, made people in the batch that
collects them (``app.collection.steps.register_leads``). Lead comments stored otherwise wait for
``flask followup link`` (``app.attendance.lead_people.register_pending_leads``, also run after an
enrolment import, and ``register_comment_leads`` when an officer marks a lead): those stored before
comments were registered as they come, written by a script, or whose registration failed
(logged). Until then the event's follow-up list already shows those
commenters (it groups the comments itself) while the report counts nobody: the channels page says
how many lead comments wait, and how many carry a phone, so the two pages do not seem to
disagree — and says nothing when none waits, which is the rule now. Comments, not people: one
commenter may have written several.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select

from app.extensions import db
from app.models import Comment, Target
from app.reports import bp
from app.reports.facts import ReportFilter
from app.reports.sources import scoped_events


@dataclass(frozen=True)
class PendingLeads:
    comments: int  # lead comments of the report's events whose author is not a person yet
    with_phone: int  # of them, those with a phone number written in them


def pending_statement(f: ReportFilter) -> Select[tuple[int, int | None]]:
    """The count and its phones, read from ix_comments_pending_leads alone: the index holds only
    the waiting lead comments, with every column read here (its WHERE is this one)."""
    return (
        select(func.count(), func.sum(case((Comment.phone_bidx.is_not(None), 1), else_=0)))
        .select_from(Comment)
        .join(Target, Target.id == Comment.target_id)
        .where(
            Target.event_id.in_(scoped_events(f)),
            Comment.is_lead,
            Comment.person_id.is_(None),
            Comment.deleted_at.is_(None),
            Comment.erased_at.is_(None),
        )
    )


def pending_leads(f: ReportFilter) -> PendingLeads:
    """The report's lead comments not yet registered as people (shown, not erased)."""
    comments, phones = db.session.execute(pending_statement(f)).one()
    return PendingLeads(int(comments or 0), int(phones or 0))


@bp.app_context_processor
def _pending_leads_globals() -> dict[str, Any]:
    return {"pending_leads": pending_leads}
