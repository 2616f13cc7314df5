"""The follow-up list: who came or asked, and has not enrolled yet — the collection agents' calls.

Each person is on the list once: an attendee once whatever their touches, a commenter once
whatever the number of their comments and targets, and a commenter who also attended as an
attendee. People already linked to an enrolment (new or renewal) are left out, as are people who
withdrew consent or were erased, and attendees who did not answer "Có" to the purpose text
(``app.consent.may_process``). Each row says on what basis we may call: the person's consent (its
purpose text version), or for a comment lead the public-comment basis and until when the data is
kept. A lead who wrote no number here is called on the one their person record holds when a
basis covers it, and the row says where it was given (``app.followup.known_phones``). Phones are
shown whole only to roles allowed to call (officer and above); the list itself is also built for
viewers, masked.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, CompoundSelect, Select, and_, exists, select, union, union_all
from sqlalchemy.orm import aliased

from app.attendance.lead_people import SOURCE, Authors, lead_keys
from app.collation import vietnamese_key
from app.consent import PUBLIC_COMMENT, lead_kept_until, may_process, purpose_name
from app.extensions import db
from app.followup.comment_links import comment_url
from app.followup.known_phones import known_phones
from app.followup.lead_status import is_closed
from app.followup.queries import COUNTING
from app.formatting import fmt_date
from app.identity.phones import mask_phone, mask_phones, national
from app.labels import INTENT, TOUCH_SOURCE, label, labels, vi_label, vi_labels
from app.models import Attendance, Comment, Link, OrgUnit, Person, Target


@dataclass(frozen=True)
class CallRow:
    kind: str  # "attendee" | "lead"
    person_id: int | None
    name: str
    phone: str | None
    birth_year: int | None
    commune: str
    hamlet: str
    source: str  # how they were seen: app.labels.TOUCH_SOURCE
    seen_at: datetime
    note: str
    basis: str = "consent"  # "consent" | app.consent.PUBLIC_COMMENT
    consent_version: str | None = None  # the purpose text agreed to (basis "consent")
    kept_until: datetime | None = None  # a comment lead's data goes then
    comment_id: int | None = None  # a lead's newest comment
    comment_url: str | None = None  # where it is on the platform (app.followup.comment_links)
    # The lead's work (app.followup.lead_rows.with_work): status, assignee, next call, notes.
    status: str = "new"
    assignee_id: int | None = None
    assignee: str = ""
    next_call_on: date | None = None
    work_notes: str = ""
    intents: tuple[str, ...] = ()  # what a lead asked for: app.labels.INTENT
    # A lead's number known from elsewhere (app.followup.known_phones): where it was given.
    phone_source: str | None = None  # app.labels.TOUCH_SOURCE
    phone_event: str = ""
    phone_given_at: datetime | None = None


def _linked_people() -> object:
    return select(Link.person_id).where(Link.status.in_(COUNTING))


def may_call() -> ColumnElement[bool]:
    """Of ``Person``, who the list may call: may be processed (``app.consent.may_process``) and
    not linked to an enrolment that counts."""
    return and_(may_process(), Person.id.not_in(_linked_people()))


def listed_people(events: Select[Any]) -> CompoundSelect:
    """(person_id, event_id) of the people the list shows of ``events`` (a select of event ids),
    before ``may_call`` and the part: attendees (a touch that is not a comment) and the people of
    a lead comment still shown (a commenter not yet made a person is nobody's to call)."""
    return union(attended_pairs(events), commented_pairs(events))


def listed_once(events: Select[Any], people: Any = None) -> CompoundSelect:
    """``listed_people``'s pairs, each once, without sorting the whole union to drop repeats:
    ``attended_once``, then ``commenters_only`` made distinct. ``people`` (person ids, a
    select or a list): only theirs, read from them (a commune's few, of a province)."""
    return union_all(attended_once(events, people), commenters_once(events, people))


def attended_once(events: Select[Any], people: Any = None) -> Select[Any]:
    """``attended_pairs`` each once: an attendee's pair by their touch of the first source (the
    others of the pair are left out through the touches' unique index); of ``people`` only."""
    other = aliased(Attendance)
    attended = attended_pairs(events).where(
        ~exists().where(
            other.person_id == Attendance.person_id,
            other.event_id == Attendance.event_id,
            other.source != SOURCE,
            other.source < Attendance.source,
        )
    )
    return attended if people is None else attended.where(Attendance.person_id.in_(people))


def commenters_once(events: Select[Any], people: Any = None) -> Select[Any]:
    """``commenters_only`` each once (distinct: one per comment else); of ``people`` only."""
    commenters = commenters_only(events)
    if people is not None:
        commenters = commenters.where(Comment.person_id.in_(people))
    return commenters.distinct()


def attended_pairs(events: Select[Any]) -> Select[Any]:
    """(person_id, event_id) of the touches that are not comments: once per source."""
    return select(Attendance.person_id, Attendance.event_id).where(
        Attendance.event_id.in_(events), Attendance.source != SOURCE
    )


def commented_pairs(events: Select[Any]) -> Select[Any]:
    """(person_id, event_id) of the lead comments still shown made people: once per comment."""
    return (
        select(Comment.person_id, Target.event_id)
        .join(Target, Target.id == Comment.target_id)
        .where(Target.event_id.in_(events), Comment.is_lead, Comment.deleted_at.is_(None))
        .where(Comment.erased_at.is_(None), Comment.person_id.is_not(None))
    )


def commenters_only(events: Select[Any]) -> Select[Any]:
    """``commented_pairs`` of the people with no ``attended_pairs`` of the same event: the two
    never share a pair, so the listed people are counted as the sum of both, person by event."""
    touched = exists().where(
        Attendance.person_id == Comment.person_id,
        Attendance.event_id == Target.event_id,
        Attendance.source != SOURCE,
    )
    return commented_pairs(events).where(~touched)


def attendees_to_call(event_id: int, only: ColumnElement[bool] | None = None) -> list[CallRow]:
    """The event's attendees to call; ``only``: a condition on ``Person`` keeping some (a
    commune's part, ``app.followup.call_scope``)."""
    stmt = (
        select(Person, Attendance.source, Attendance.touched_at, OrgUnit.name)
        .join(Attendance, Attendance.person_id == Person.id)
        .outerjoin(OrgUnit, OrgUnit.id == Person.commune_id)
        .where(Attendance.event_id == event_id, Attendance.source != SOURCE)
        .where(may_call())
        .order_by(Person.id)
    )
    if only is not None:
        stmt = stmt.where(only)
    rows: dict[int, CallRow] = {}
    for person, source, touched_at, commune in db.session.execute(stmt):
        if person.id in rows:
            continue
        basis = "consent" if person.consent_agreed else PUBLIC_COMMENT
        rows[person.id] = CallRow("attendee", person.id, person.full_name, person.phone,
                                  person.birth_year, commune or "", person.hamlet, source,
                                  touched_at, "", basis, person.consent_version)  # fmt: skip
    # One event's attendees (hundreds at most): ordered here, SQLite can't collate Vietnamese.
    return sorted(rows.values(), key=lambda r: (vietnamese_key(r.commune), vietnamese_key(r.name)))


def leads_to_call(
    event_id: int, *, called: Collection[int] = (), only: ColumnElement[bool] | None = None
) -> list[CallRow]:
    """One row per person who left a lead comment (a phone or an intent), unless they enrolled,
    withdrew, answered "Không", or are among ``called`` (already on the list as attendees).
    With ``only`` (a condition on ``Person``), just the people it keeps: a commenter not yet
    made a person belongs to nobody's part.

    A person's comments — on every target of the event, registered as a person or not yet —
    are grouped by ``lead_people``'s keys: the row carries the newest name and phone, every
    intent, and the messages newest first. The page's own replies are never leads.
    """
    stmt = (
        select(Comment, Target.account_id, Target.kind, Target.external_id)
        .join(Target, Target.id == Comment.target_id)
        .where(Target.event_id == event_id, Comment.is_lead, Comment.deleted_at.is_(None))
        .where(Comment.erased_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    )
    authors = Authors()
    groups: dict[Hashable, list[Comment]] = {}
    places: dict[int, str | None] = {}
    for comment, account_id, kind, target_external_id in db.session.execute(stmt):
        places[comment.id] = comment_url(kind, target_external_id, comment.external_id)
        keys = lead_keys(comment, account_id)
        if comment.person_id is not None:
            keys.insert(0, ("person", str(comment.person_id)))
        group = authors.owner(keys) or keys[0]
        authors.claim(keys, group)
        groups.setdefault(group, []).append(comment)
    people = {c.person_id for cs in groups.values() for c in cs if c.person_id is not None}
    allowed_stmt = select(Person.id).where(Person.id.in_(people), may_call())
    if only is not None:
        allowed_stmt = allowed_stmt.where(only)
    allowed = set(db.session.scalars(allowed_stmt))
    skipped = (people - allowed) | set(called)
    rows = [
        _lead_row(comments, places)
        for comments in groups.values()
        if not any(c.person_id in skipped for c in comments)
        and (only is None or any(c.person_id is not None for c in comments))
    ]
    return sorted(_with_known_phones(rows), key=lambda r: r.seen_at, reverse=True)


def _with_known_phones(rows: list[CallRow]) -> list[CallRow]:
    """A lead whose comments here carried no number, with the one their person record holds
    when a basis covers it: the row then says where it comes from, on which basis."""
    wanting = {r.person_id for r in rows if not r.phone and r.person_id is not None}
    known = known_phones(wanting)
    out = []
    for row in rows:
        found = known.get(row.person_id) if not row.phone and row.person_id is not None else None
        if found is None:
            out.append(row)
            continue
        consent = found.basis == "consent"
        out.append(replace(row, phone=found.phone, basis=found.basis,
                           consent_version=found.consent_version,
                           kept_until=None if consent else row.kept_until,
                           phone_source=found.source, phone_event=found.event,
                           phone_given_at=found.given_at))  # fmt: skip
    return out


def _lead_row(comments: list[Comment], places: dict[int, str | None]) -> CallRow:
    """One person's lead comments (oldest first) as one row of the list, linked to the newest."""
    newest = comments[-1]
    person_id = next((c.person_id for c in comments if c.person_id is not None), None)
    phone = next((c.phone for c in reversed(comments) if c.phone), None)
    intents = dict.fromkeys(i for c in comments for i in c.lead_intents or [])
    note = " | ".join(c.message for c in reversed(comments))[:300]
    return CallRow("lead", person_id, newest.author_name, phone, None, "", "",
                   SOURCE, newest.created_at, note, PUBLIC_COMMENT, None,
                   lead_kept_until(newest.created_at), newest.id,
                   places.get(newest.id), intents=tuple(intents))  # fmt: skip


def source_words(row: CallRow, *, vietnamese: bool = False) -> str:
    """The "Source" cell: how the person was seen and, for a lead, what they asked for."""
    one, several = (vi_label, vi_labels) if vietnamese else (label, labels)
    seen = one(TOUCH_SOURCE, row.source)
    asked = several(INTENT, row.intents)  # without the codes it does not know
    return f"{seen}: {asked}" if asked else seen


BASIS_WORDS = {
    "consent": _l("Agreed (%(form)s)"),
    "phone": _l("Published their number in a public comment"),
    "asked": _l("Asked in a public comment"),  # a lead by intent, with no number: answer there
}


# Where a lead's number known from elsewhere was given: the basis differs from their comment's.
PHONE_FROM = {
    "sheet": _l("Number from the attendee list of %(event)s (%(date)s)."),
    "checkin": _l("Number from the hall check-in of %(event)s (%(date)s)."),
    "comment": _l("Number from their comment on %(event)s (%(date)s)."),
}


def basis_words(row: CallRow, *, vietnamese: bool = False) -> str:
    """The "Basis for calling" cell: consent, or the public comment and until when it is kept;
    and where the number comes from when it is not the comment's own."""
    with force_locale("vi") if vietnamese else nullcontext():
        words = _basis(row)
        if row.phone_source in PHONE_FROM:
            given = {"event": row.phone_event, "date": fmt_date(row.phone_given_at)}
            words = f"{words}. {str(PHONE_FROM[row.phone_source]) % given}"
        return words


def _basis(row: CallRow) -> str:
    if row.basis != PUBLIC_COMMENT:
        return str(BASIS_WORDS["consent"]) % {"form": purpose_name(row.consent_version)}
    words = str(BASIS_WORDS["phone" if row.phone else "asked"])
    if row.kept_until is None:
        return words
    until = str(_l("kept until %(date)s")) % {"date": fmt_date(row.kept_until)}
    return f"{words}; {until}"


REACH_WORDS = {
    "comment": _l("Reply under their comment on the platform"),
    "commune": _l("Through the commune: %(place)s"),
    "nothing": _l("No phone, comment or commune recorded"),
}


def reach_words(row: CallRow, *, vietnamese: bool = False) -> str:
    """How to reach someone who left no phone number: where they commented, or their commune."""
    with force_locale("vi") if vietnamese else nullcontext():
        if row.kind == "lead":
            return str(REACH_WORDS["comment"])
        if row.commune:
            place = ", ".join(p for p in (row.hamlet, row.commune) if p)
            return str(REACH_WORDS["commune"]) % {"place": place}
        return str(REACH_WORDS["nothing"])


def by_phone(rows: Sequence[CallRow]) -> tuple[list[CallRow], list[CallRow]]:
    """The rows to call (a phone number, masked or not) and those without one, order kept:
    an officer cannot call a row with no number, so it is listed apart with how to reach it.
    A lead whose status is final (``lead_status.CLOSED``: a wrong number, a refusal, enrolled
    by their word) is on neither: nobody is to call or reach them again (``closed_rows``)."""
    open_rows = [r for r in rows if not is_closed(r.status)]
    return [r for r in open_rows if r.phone], [r for r in open_rows if not r.phone]


def closed_rows(rows: Sequence[CallRow]) -> list[CallRow]:
    """The rows ``by_phone`` leaves out, order kept: leads whose status is final."""
    return [r for r in rows if is_closed(r.status)]


def call_list(
    event_id: int, *, phones: bool, only: ColumnElement[bool] | None = None
) -> list[CallRow]:
    """Attendees first (by commune), then leads (newest first); phones masked unless allowed;
    ``only``: a condition on ``Person`` keeping a commune's part (``app.followup.call_scope``)."""
    attendees = attendees_to_call(event_id, only)
    # A lead who also signed a sheet is called once, as an attendee.
    called = {r.person_id for r in attendees if r.person_id is not None}
    rows = attendees + leads_to_call(event_id, called=called, only=only)
    if phones:
        return [replace(r, phone=national(r.phone) if r.phone else None) for r in rows]
    return [
        replace(r, phone=mask_phone(r.phone) if r.phone else None, note=mask_phones(r.note))
        for r in rows
    ]
