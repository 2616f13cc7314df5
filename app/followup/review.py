"""The review queue: pairs the linkage was unsure of, confirmed or rejected by an officer.

Each pair shows the attendee and the enrolment row side by side (name, full birth date, commune,
masked phone) with how it was found and its score; one click confirms or rejects it. Each view of
the page is audited (it shows full birth dates), once per page, not per pair. Decisions are
audited and outlive every re-run of the linkage (app.followup.linking never touches them). An
officer sees the pairs of people of their communes and of people seen at their events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased
from werkzeug.wrappers import Response

from app.audit import record
from app.auth.access import role_required
from app.extensions import db
from app.followup import bp
from app.followup.match_reason import reason_words
from app.identity.phones import mask_phone
from app.linkage import LinkMethod
from app.models import Attendance, Enrolment, Event, Link, LinkStatus, OrgUnit, Person, Role, utcnow
from app.scoping import scoped

PAGE_SIZE = 200
DECISIONS = {"confirm": LinkStatus.CONFIRMED, "reject": LinkStatus.REJECTED}
DECIDED = {LinkStatus.CONFIRMED: "links.confirm", LinkStatus.REJECTED: "links.reject"}  # audited
# One click decides, so a slip must be mendable: the officer's own decisions of the last half
# hour are listed under the queue with an undo that puts the pair back in review.
UNDO_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class Decided:
    link_id: int
    status: LinkStatus
    attendee: str
    enrolment: str
    at: datetime


@dataclass(frozen=True)
class Side:
    name: str
    birth: str
    commune: str
    phone: str


@dataclass(frozen=True)
class Pair:
    link_id: int
    method: str
    score: float
    attendee: Side
    enrolment: Side
    paid_on: object
    # A pair the score found: what the two rows share (app.followup.match_reason); a pair found
    # by an exact key is said by its method.
    reason: str = ""


def birth_label(iso: str | None, year: int | None) -> str:
    """Stored birth at its precision as written in Vietnam: 17/05/1975, 05/1975 or 1975."""
    if not iso:
        return str(year) if year else ""
    return "/".join(reversed(iso.split("-")))


def _side(row: Person | Enrolment, commune: str | None) -> Side:
    return Side(
        name=row.full_name,
        birth=birth_label(row.birth_date, row.birth_year),
        commune=commune or row.commune_text or "",
        phone=mask_phone(row.phone) if row.phone else "",
    )


def visible_links(user: object) -> object:
    """Links whose person lives in the user's communes or was seen at one of their events."""
    people = scoped(select(Person.id), Person, user)
    events = scoped(select(Event.id), Event, user)
    seen = select(Attendance.person_id).where(Attendance.event_id.in_(events))
    return or_(Link.person_id.in_(people), Link.person_id.in_(seen))


def waiting_count(user: object) -> int:
    """How many pairs wait in the user's review queue (what its page says at its head)."""
    base = select(Link).where(Link.status == LinkStatus.REVIEW, visible_links(user))
    return db.session.scalar(select(db.func.count()).select_from(base.subquery())) or 0


def review_pairs(user: object) -> tuple[list[Pair], int]:
    """The first page of pairs waiting for review (best score first) and how many wait."""
    person_unit = aliased(OrgUnit)
    enrolment_unit = aliased(OrgUnit)
    total = waiting_count(user)
    stmt = (
        select(Link, Person, Enrolment, person_unit.name, enrolment_unit.name)
        .join(Person, Person.id == Link.person_id)
        .join(Enrolment, Enrolment.id == Link.enrolment_id)
        .outerjoin(person_unit, person_unit.id == Person.commune_id)
        .outerjoin(enrolment_unit, enrolment_unit.id == Enrolment.commune_id)
        .where(Link.status == LinkStatus.REVIEW, visible_links(user))
        .order_by(Link.score.desc(), Link.id)
        .limit(PAGE_SIZE)
    )
    pairs = [
        Pair(
            lk.id,
            lk.method,
            lk.score,
            _side(person, p_unit),
            _side(enrolment, e_unit),
            enrolment.paid_on,
            reason_words(person, enrolment) if lk.method == LinkMethod.PROBABILISTIC else "",
        )  # fmt: skip
        for lk, person, enrolment, p_unit, e_unit in db.session.execute(stmt)
    ]
    return pairs, total


def recent_decisions(user: object, now: datetime) -> list[Decided]:
    """The user's own decisions still open to undo, newest first."""
    stmt = (
        select(Link, Person.full_name, Enrolment.full_name)
        .join(Person, Person.id == Link.person_id)
        .join(Enrolment, Enrolment.id == Link.enrolment_id)
        .where(*_undoable(user, now), visible_links(user))
        .order_by(Link.reviewed_at.desc(), Link.id.desc())
    )
    return [Decided(lk.id, lk.status, a, e, lk.reviewed_at)
            for lk, a, e in db.session.execute(stmt)]  # fmt: skip


def _undoable(user: object, now: datetime) -> tuple[object, ...]:
    return (
        Link.status.in_(tuple(DECISIONS.values())),
        Link.reviewed_by_id == user.id,  # type: ignore[attr-defined]
        Link.reviewed_at >= now - UNDO_WINDOW,
    )


def _undo(link_id: int) -> Response:
    """Back to review: the user's own decision of the last half hour, audited."""
    link = db.session.scalar(
        select(Link).where(Link.id == link_id, visible_links(current_user),
                           *_undoable(current_user, utcnow()))
    )  # fmt: skip
    if link is None:
        flash(_("This decision can no longer be undone."), "error")
        return redirect(url_for("followup.review_queue"), code=303)
    was = link.status
    link.status, link.reviewed_by_id, link.reviewed_at = LinkStatus.REVIEW, None, None
    record("links.undo", current_user, "link", link.id, was=was.value,
           person_id=link.person_id, enrolment_id=link.enrolment_id)  # fmt: skip
    db.session.commit()
    flash(_("Undone: the pair is back in review."), "ok")
    return redirect(url_for("followup.review_queue"), code=303)


@bp.route("/follow-up/review", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def review_queue() -> str | Response | tuple[str, int]:
    if request.method == "POST":
        decision = DECISIONS.get(request.form.get("decision", ""))
        link_id = request.form.get("link_id", "")
        if request.form.get("decision") == "undo" and link_id.isdigit():
            return _undo(int(link_id))
        if decision is None or not link_id.isdigit():
            flash(_("Choose a pair and confirm or reject it."), "error")
            return _page(), 422
        link = db.session.scalar(
            select(Link).where(Link.id == int(link_id), visible_links(current_user))
        )
        if link is None:
            abort(404)
        if link.status != LinkStatus.REVIEW:
            flash(_("This pair was already decided."), "error")
            return redirect(url_for("followup.review_queue"), code=303)
        link.status = decision
        link.reviewed_by_id = current_user.id
        link.reviewed_at = utcnow()
        record(DECIDED[decision], current_user, "link", link.id,
               person_id=link.person_id, enrolment_id=link.enrolment_id)  # fmt: skip
        db.session.commit()
        if decision == LinkStatus.CONFIRMED:
            flash(_("Confirmed: the enrolment counts for this person."), "ok")
        else:
            flash(_("Rejected: they are not the same person."), "ok")
        return redirect(url_for("followup.review_queue"), code=303)
    return _page()


def _page() -> str:
    pairs, total = review_pairs(current_user)
    record("review.view", current_user, "link", "", pairs=len(pairs), waiting=total)
    db.session.commit()
    decided = recent_decisions(current_user, utcnow())
    # Most rows know a birth year only: "Năm sinh" over "1998"; a full date shown says "Ngày sinh".
    years = all("/" not in s.birth for p in pairs for s in (p.attendee, p.enrolment))
    return render_template("followup/review.html", pairs=pairs, total=total, decided=decided,
                           undo_minutes=int(UNDO_WINDOW.total_seconds() // 60),
                           birth_heading=_("Birth year") if years else _("Birth"))  # fmt: skip
