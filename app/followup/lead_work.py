"""Working a lead: its status, assignee, notes and next call, changed by officers and audited.

A lead is a person of the event (a commenter, or an attendee on the follow-up list): several
comments by one commenter are one person, so marking any of their comments marks them all. A
comment not yet made a person (collection registers its batch's leads as it stores them; one
stored otherwise waits for the follow-up job) is registered when an officer first marks it.
Every change writes one audit row per field with its old and new value; notes are personal
text, so the log says only that they changed and their lengths.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.attendance.lead_people import Authors, lead_keys, register_lead_once
from app.audit import record
from app.events.services import FieldError
from app.extensions import db
from app.followup.call_scope import CallScope, call_scope
from app.followup.lead_assign import NotAllowed, check_in_part, may_work, parse_assignee
from app.followup.lead_status import (
    NEEDS_A_NUMBER,
    REACHED,
    parse_status,
    status_choices,
    status_label,
)
from app.followup.numbers_left import people_with_a_number
from app.identity.phones import mask_phones
from app.models import (
    Attendance,
    Comment,
    Event,
    LeadCall,
    LeadStatus,
    LeadWork,
    OrgUnit,
    Target,
    User,
    utcnow,
)
from app.scoping import subtree_ids
from app.timeparse import VN

FIELDS = ("status", "assignee_id", "notes", "next_call_on")
NOTES_MAX = 2000
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VN_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def person_of_comment(event: Event, comment_id: int) -> int:
    """The person behind a lead comment of the event, registered now if not yet."""
    comment = db.session.scalar(
        select(Comment)
        .join(Target, Target.id == Comment.target_id)
        .where(Comment.id == comment_id, Target.event_id == event.id)
    )
    if comment is None:
        raise FieldError("comment_id", f"no comment {comment_id} in this event")
    if not comment.is_lead or comment.deleted_at is not None or comment.erased_at is not None:
        raise FieldError("comment_id", f"comment {comment_id} is not a lead")
    if comment.person_id is None:
        register_lead_once(comment.id)
    if comment.person_id is None:  # pragma: no cover - registration always makes a person
        raise FieldError("comment_id", f"comment {comment_id} has no author to call")
    return comment.person_id


def check_person(event: Event, person_id: int) -> None:
    """A lead is someone the event touched (a comment, a sheet, a check-in)."""
    touched = db.session.scalar(
        select(Attendance.id).where(Attendance.event_id == event.id,
                                    Attendance.person_id == person_id).limit(1)
    )  # fmt: skip
    if touched is None:
        raise FieldError("person_id", f"person {person_id} is not a lead of this event")


def update_lead(event: Event, person_id: int, user: User, changes: Mapping[str, Any]) -> LeadWork:
    """Apply ``changes`` (any of ``FIELDS``) to the person's lead; the caller commits.

    The event is seen as ``user`` sees it (``call_scope``: 404 if not at all): in part, only
    the user's own people's leads, given only to their unit's officers (``lead_assign``).
    Raises NotInPart for a person outside the part, NotAllowed for viewers, FieldError naming
    a bad field (NotAssignable for a holder the user may not choose)."""
    scope = call_scope(event.id, user)
    check_in_part(scope, person_id)
    if not may_work(user):
        raise NotAllowed("officer role needed to work on leads")
    check_person(event, person_id)
    for field in changes:
        if field not in FIELDS:
            raise FieldError(field, f"unknown field; the fields are {', '.join(FIELDS)}")
    work = db.session.scalar(
        select(LeadWork).where(LeadWork.event_id == event.id, LeadWork.person_id == person_id)
    )
    held = work.assignee_id if work is not None else None
    parsed = {
        field: _parse(field, value, scope, user, (held, person_id))
        for field, value in changes.items()
    }
    _check_sense(person_id, parsed)
    _check_call_back(parsed, work)
    if work is None:
        work = LeadWork(event_id=event.id, person_id=person_id, status=LeadStatus.NEW, notes="")
        db.session.add(work)
        db.session.flush()
    for field, new in parsed.items():
        old = getattr(work, field)
        if old == new:
            continue
        setattr(work, field, new)
        record("lead.update", user, "lead_work", work.id, event_id=event.id, person_id=person_id,
               field=field, **_audited(field, old, new))  # fmt: skip
    work.updated_by_id = user.id
    work.updated_at = utcnow()
    db.session.flush()
    return work


def _parse(
    field: str, value: Any, scope: CallScope, user: User, lead: tuple[int | None, int]
) -> Any:
    """One field's new value; ``lead``: who holds the lead now, and whose lead it is."""
    if field == "status":
        status = parse_status(value) if isinstance(value, str) else None
        if status is None:
            codes = ", ".join(s["value"] for s in status_choices())
            raise FieldError("status", f"unknown status {value!r}; one of {codes}")
        return status
    if field == "assignee_id":
        return parse_assignee(value, scope, user, *lead)
    if field == "notes":
        if value is None:
            return ""
        if not isinstance(value, str):
            raise FieldError("notes", "must be text")
        if len(value) > NOTES_MAX:
            raise FieldError("notes", f"at most {NOTES_MAX} characters")
        return value.strip()
    return _day(value)


# What an officer may be told as the page's words (the API's scripts read them too).
NO_NUMBER = _l("This person left no phone number, so it cannot be a wrong number.")
NOT_CALLED = _l(
    "This person left no phone number, so they cannot have been called: reach them through "
    "their comment or their commune, then mark what they answered."
)
PAST_DAY = _l("The next call cannot be before today.")


def _check_sense(person_id: int, parsed: Mapping[str, Any]) -> None:
    """Values well-formed but impossible for this lead: called, or a wrong number, where no
    number was left; a next call in the past."""
    status = parsed.get("status")
    if status in NEEDS_A_NUMBER and person_id not in people_with_a_number({person_id}):
        raise FieldError("status", str(NO_NUMBER if status == LeadStatus.WRONG_NUMBER
                                       else NOT_CALLED))  # fmt: skip
    day = parsed.get("next_call_on")
    if day is not None and day < utcnow().astimezone(VN).date():
        raise FieldError("next_call_on", str(PAST_DAY))


# A call back is a promise to call on a day: without one it would sit in "My calls" undated.
NO_DAY = "a call back needs its day: send next_call_on (dd/mm/yyyy or yyyy-mm-dd), today or later"


def _check_call_back(parsed: Mapping[str, Any], work: LeadWork | None) -> None:
    """A lead set to call back (or kept so while its day is cleared) has a day to call on: the
    one sent, else the one it has if not past. A change of other fields (the assignee) leaves a
    call back from before the rule, without a day, as it is."""
    if "status" not in parsed and "next_call_on" not in parsed:
        return
    status = parsed.get("status", work.status if work is not None else LeadStatus.NEW)
    if status != LeadStatus.CALL_BACK:
        return
    if "next_call_on" in parsed:
        day = parsed["next_call_on"]
    else:
        day = work.next_call_on if work is not None else None
        if day is not None and day < utcnow().astimezone(VN).date():
            day = None  # yesterday's promise: a new call back names its day
    if day is None:
        raise FieldError("next_call_on", NO_DAY)


def _day(value: Any) -> date | None:
    """The next call's date: ISO (2026-12-24) or as written in Vietnam (24/12/2026), or null."""
    if value is None or value == "":
        return None
    text = value.strip() if isinstance(value, str) else ""
    try:
        if ISO_DAY.match(text):
            return date.fromisoformat(text)
        found = VN_DAY.match(text)
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        pass
    raise FieldError("next_call_on", f"{value!r} is not a date (dd/mm/yyyy or yyyy-mm-dd)")


def _audited(field: str, old: Any, new: Any) -> dict[str, Any]:
    if field == "notes":
        return {"old": f"{len(old or '')} characters", "new": f"{len(new or '')} characters"}
    if isinstance(old, date | datetime) or isinstance(new, date | datetime):
        return {"old": old.isoformat() if old else None, "new": new.isoformat() if new else None}
    return {"old": getattr(old, "value", old), "new": getattr(new, "value", new)}


def work_of_event(event_id: int) -> dict[int, LeadWork]:
    """The worked leads of an event by person id (a lead without a row is new, unassigned)."""
    rows = db.session.scalars(select(LeadWork).where(LeadWork.event_id == event_id))
    return {w.person_id: w for w in rows}


def work_dict(
    work: LeadWork | None, person_id: int | None, names: Mapping[int, str], *, masked: bool = False
) -> dict[str, Any]:
    """A lead's work as the API and the pages' scripts read it; ``masked``: phones in the notes
    hidden, for roles that may not call."""
    status = work.status if work is not None else LeadStatus.NEW
    notes = (work.notes or "") if work is not None else ""
    assignee = work.assignee_id if work is not None else None
    return {
        "person_id": person_id,
        "status": status.value,
        "status_label": status_label(status),
        "assignee_id": assignee,
        "assignee_name": names.get(assignee, "") if assignee is not None else "",
        "notes": mask_phones(notes) if masked else notes,
        "next_call_on": work.next_call_on.isoformat() if work and work.next_call_on else None,
    }


def comment_people(event_id: int, comment_ids: Collection[int]) -> dict[int, int | None]:
    """The person of each of these lead comments of the event (None: nobody known yet).

    A comment the follow-up job has not registered yet belongs to the person an earlier comment
    of the same author already has (``lead_people``'s keys), so a commenter's new comment shows
    the lead's status as soon as it arrives.
    """
    wanted = set(comment_ids)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Comment.id, Comment.target_id, Comment.author_name, Comment.author_external_id,
               Comment.phone_bidx, Comment.person_id, Target.account_id)
        .join(Target, Target.id == Comment.target_id)
        .where(Target.event_id == event_id, Comment.is_lead, Comment.deleted_at.is_(None),
               Comment.erased_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    ).all()  # fmt: skip
    authors = Authors()
    for row in rows:
        if row.person_id is not None:
            authors.claim(lead_keys(row, row.account_id), row.person_id)
    found: dict[int, int | None] = {}
    for row in rows:
        if row.id in wanted:
            found[row.id] = row.person_id or authors.owner(lead_keys(row, row.account_id))
    return found


def move_lead_work(survivor_id: int, other_ids: Collection[int]) -> None:
    """Merged people's leads go to the survivor; where both had one for an event, the one
    changed last is kept. Their calls go to the survivor, all of them (each one happened)."""
    db.session.execute(
        update(LeadCall)
        .where(LeadCall.person_id.in_(list(other_ids)))
        .values(person_id=survivor_id)
    )
    others = db.session.scalars(
        select(LeadWork).where(LeadWork.person_id.in_(list(other_ids))).order_by(LeadWork.id)
    ).all()
    kept = {w.event_id: w for w in db.session.scalars(
        select(LeadWork).where(LeadWork.person_id == survivor_id))}  # fmt: skip
    for work in others:
        mine = kept.get(work.event_id)
        if mine is None:
            work.person_id = survivor_id
            kept[work.event_id] = work
        elif work.updated_at > mine.updated_at:
            db.session.delete(mine)
            db.session.flush()
            work.person_id = survivor_id
            kept[work.event_id] = work
        else:
            db.session.delete(work)
    db.session.flush()


def clear_lead_notes(person_id: int) -> None:
    """An erased person's leads and calls keep their status (they count) but lose the notes."""
    db.session.execute(update(LeadWork).where(LeadWork.person_id == person_id).values(notes=""))
    db.session.execute(update(LeadCall).where(LeadCall.person_id == person_id).values(notes=""))


def people_called(campaign_id: int, part: OrgUnit | None = None) -> int:
    """People of the campaign's events whose lead somebody reached (``REACHED``): the funnel's
    "called" stage, each person once however many of its events they were a lead of; of the
    events of ``part`` and below alone when it is given (the campaign's report read in part)."""
    stmt = (
        select(func.count(func.distinct(LeadWork.person_id)))
        .join(Event, Event.id == LeadWork.event_id)
        .where(Event.campaign_id == campaign_id, LeadWork.status.in_(list(REACHED)))
    )
    if part is not None:
        stmt = stmt.where(Event.org_unit_id.in_(subtree_ids(part)))
    return int(db.session.scalar(stmt) or 0)
