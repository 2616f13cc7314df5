"""Everyone the event named, accounted for on its follow-up page.

The tour read 48 people named, 39 to call and 4 enrolled after, and nothing said where the other
5 went. The line splits the people named (each person the event's records hold, once; in part,
the commune's alone) into the page's own lists — the very rows shown, never counted again — and
says why the rest are on neither: they did not agree to be contacted, were never asked (an
attendee left at "Chưa hỏi" may not be called either, but did not refuse), withdrew or were
erased, or enrolled in a way not credited to this event (before it, outside the window, another
scheme). A lead whose status is final (a wrong number, not interested, enrolled by their word)
left the lists to call: each such status is its own part of the sum.

An empty list to call says why from the same counts (``Accounting.nobody``): "4 not asked for
their consent" where it once said that everyone had enrolled or nobody was identified.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select

from app.consent import may_process
from app.extensions import db
from app.followup.calls import CallRow
from app.followup.enrolled_after import EnrolledRow
from app.followup.queries import COUNTING
from app.formatting import fmt_number
from app.models import Attendance, LeadStatus, Link, Person

LINE = _l("Identified by name: %(named)s = %(parts)s")
PARTS = {
    "to_call": _l("%(n)s to call"),
    "no_phone": _l("%(n)s without a phone number"),
    "enrolled": _l("%(n)s enrolled after the event"),
    "rest": _l("%(n)s on neither list"),
}
# Leads whose status is final (app.followup.lead_status.CLOSED): each status its own part, after
# the lists to call, when someone has it.
CLOSED_PARTS = {
    LeadStatus.WRONG_NUMBER: _l("%(n)s with a wrong phone number"),
    LeadStatus.NOT_INTERESTED: _l("%(n)s not interested, not to call again"),
    LeadStatus.ENROLLED: _l("%(n)s marked enrolled by an officer"),
}
WHY = {
    "refused": _l("%(n)s did not agree to be contacted"),
    # Left at "Chưa hỏi": nobody asked them, so they may not be called (app.consent.may_process)
    # — but they did not refuse either.
    "not_asked": _l("%(n)s not asked for their consent"),
    "withdrawn": _l("%(n)s withdrew their consent or had their data erased"),
    # Linked to an enrolment this event is not credited with (app.followup.enrolled_after): paid
    # before the event, past its attribution window, not a first enrolment, or in a scheme not
    # the campaign's. Which one is not known here without counting again: all are named.
    "enrolled": _l(
        "%(n)s enrolled, but this event is not credited with it because they enrolled "
        "before the event or after the follow-up period, renewed rather than enrolled "
        "for the first time, or chose a scheme the campaign does not promote"
    ),
    "other": _l("%(n)s whose comment was deleted or is no longer a request"),
}
UNNAMED = _l("Also on the list: %(n)s commenters not identified by name yet.")
# The list to call, when it is empty: why, from the same counts as the line.
NOBODY_LEFT = _l("Nobody to call among the %(named)s people identified: %(reasons)s.")
NOBODY_NAMED = _l("Nobody to call: nobody is identified for this event yet (no attendee list "
                  "imported, no commenter identified by name).")  # fmt: skip
NO_MATCH = _l("Nobody to call matches the filter.")


@dataclass(frozen=True)
class Accounting:
    named: int
    to_call: int  # of the named, on the list to call
    no_phone: int  # of the named, on the list without a number
    enrolled: int
    closed: dict[str, int]  # of the named, leads of a final status, by status (nonzero only)
    why: dict[str, int]  # the rest by reason (WHY's keys), nonzero only
    unnamed: int  # rows of the lists who are not among the named (commenters not registered)

    @property
    def rest(self) -> int:
        return sum(self.why.values())

    def nobody(self, filtered: bool = False) -> str:
        """Why the list to call is empty, in the page's language: each reason the people named
        are not on it, with its count (``filtered``: the filter left nobody)."""
        if filtered:
            return str(NO_MATCH)
        parts = [(PARTS["no_phone"], self.no_phone),
                 *((CLOSED_PARTS[LeadStatus(k)], n) for k, n in self.closed.items()),
                 (PARTS["enrolled"], self.enrolled),
                 *((WHY[k], n) for k, n in self.why.items())]  # fmt: skip
        reasons = "; ".join(str(words) % {"n": fmt_number(n)} for words, n in parts if n)
        if self.named and reasons:
            line = str(NOBODY_LEFT) % {"named": fmt_number(self.named), "reasons": reasons}
        else:
            line = str(NOBODY_NAMED)
        if self.unnamed:
            line = f"{line} {str(UNNAMED) % {'n': fmt_number(self.unnamed)}}"
        return line

    def words(self) -> str:
        """The line in the page's language."""
        parts = [(PARTS["to_call"], self.to_call), (PARTS["no_phone"], self.no_phone),
                 *((CLOSED_PARTS[LeadStatus(k)], n) for k, n in self.closed.items()),
                 (PARTS["enrolled"], self.enrolled), (PARTS["rest"], self.rest)]  # fmt: skip
        said = " + ".join(str(words) % {"n": fmt_number(n)} for words, n in parts)
        line = str(LINE) % {"named": fmt_number(self.named), "parts": said}
        if self.why:
            reasons = "; ".join(str(WHY[k]) % {"n": fmt_number(n)} for k, n in self.why.items())
            line = f"{line} ({reasons})"
        line = f"{line}."
        if self.unnamed:
            line = f"{line} {str(UNNAMED) % {'n': fmt_number(self.unnamed)}}"
        return line


def account(
    event_id: int,
    lists: tuple[Collection[CallRow], Collection[CallRow]],
    enrolled: Collection[EnrolledRow],
    only: ColumnElement[bool] | None = None,
    closed: Collection[CallRow] = (),
) -> Accounting:
    """The named people split into the page's lists (to call, no phone: unfiltered), the leads
    of a final status (``closed``, by status) and ``enrolled``; the rest by reason. ``only``:
    the commune's part, as the lists were read."""
    stmt = select(Attendance.person_id).where(Attendance.event_id == event_id).distinct()
    if only is not None:
        stmt = stmt.join(Person, Person.id == Attendance.person_id).where(only)
    named = set(db.session.scalars(stmt))
    to_call, no_phone = ({r.person_id for r in rows} & named for rows in lists)
    ended: dict[str, set[int]] = {}
    for row in closed:
        if row.person_id in named:
            ended.setdefault(LeadStatus(row.status), set()).add(row.person_id)
    by_status = {s.value: len(ended[s]) for s in CLOSED_PARTS if s in ended}
    after = {r.person_id for r in enrolled} & named
    listed = {r.person_id for rows in (*lists, closed) for r in rows}
    rest = sorted(named - to_call - no_phone - after - {p for ps in ended.values() for p in ps})
    return Accounting(len(named), len(to_call), len(no_phone), len(after), by_status, _why(rest),
                      len(listed - named))  # fmt: skip


def _why(rest: list[int]) -> dict[str, int]:
    """Why each of these named people is on neither list, counted by reason."""
    if not rest:
        return {}
    ids = Person.id.in_(rest)
    allowed = set(db.session.scalars(select(Person.id).where(ids, may_process())))
    gone = set(db.session.scalars(select(Person.id).where(ids, or_(
        Person.erased_at.is_not(None), Person.consent_withdrawn_at.is_not(None)))))  # fmt: skip
    linked = select(Link.person_id).where(Link.person_id.in_(rest), Link.status.in_(COUNTING))
    enrolled = set(db.session.scalars(linked)) & allowed
    answered = select(Person.id).where(ids, Person.consent_agreed.is_not(None))
    asked = set(db.session.scalars(answered))
    refused = set(rest) - allowed - gone
    counts = {
        "refused": len(refused & asked),
        "not_asked": len(refused - asked),
        "withdrawn": len(gone),
        "enrolled": len(enrolled),
        "other": len(allowed - enrolled),
    }
    return {k: n for k, n in counts.items() if n}
