"""A person's rights under the Personal Data Protection Law (91/2025/QH15): see, correct, erase.

Erasing keeps the person's row and their touches and links with every identifier removed, so the
aggregate counts already reported (people identified, converted) do not change while nobody can be
recognised any more. The enrolment rows linked to the person lose their identifiers the same way
(scheme, payment date, amount and commune stay, so enrolment counts do not move either).
Withdrawing consent stops future linkage and calls. Corrections keep every derived field in step:
the folded name, the blind indexes, and a birth date that never contradicts the birth year.
The retention sweep (app.followup.retention) erases with the same functions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, delete, literal_column, or_, select, update

from app.consent import PUBLIC_COMMENT, lead_kept_until, public_comment_basis, purpose
from app.extensions import db
from app.followup.lead_work import clear_lead_notes
from app.identity.births import BirthPrecision, written_birth
from app.identity.names import written_name
from app.identity.phones import normalize_phone
from app.identity.text import name_columns
from app.linkage import LinkMethod
from app.models import Attendance, Comment, Enrolment, Event, Link, LinkStatus, Person, User
from app.personal_data import blind_index
from app.scoping import scoped
from app.sheets.issues import _l
from app.timeparse import VN

IDENTIFIERS = ("phone", "phone_bidx", "cccd", "cccd_bidx", "bhxh_code", "bhxh_code_bidx",
               "birth_date", "birth_precision", "birth_year", "gender")  # fmt: skip
CORRECTABLE = ("full_name", "phone", "cccd", "hamlet", "birth_year", "birth")
# The links through which an enrolment row is the person's own (a household member's row, or a
# pair still waiting for review, belongs to somebody else or to nobody yet).
OWN_STATUSES = (LinkStatus.LINKED, LinkStatus.CONFIRMED)
LOOKUP_LIMIT = 50

NOT_CORRECTABLE = _l("cannot be corrected; one of %(fields)s")
ERASED = _l("was erased")
EMPTY_NAME = _l("must not be empty")
BAD_PHONE = _l("is not a Vietnamese phone number")
BAD_CCCD = _l("must be 12 digits")
BAD_YEAR = _l("must be a year such as 1975")
BAD_BIRTH = _l("write the year (1975) or the date (17/05/1975)")
NOTHING_TO_FIND = _l("give a phone number or a CCCD to look a person up")


class RightsError(ValueError):
    """A request that cannot be served as asked; ``message`` is an English msgid."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(f"{field}: {message % params if params else message}")
        self.field = field
        self.message = message % params if params else message
        self.msgid = message
        self.params = params


def find_people(user: User, phone: str = "", cccd: str = "") -> list[Person]:
    """People in the user's scope holding this phone or CCCD, by blind index (nothing decrypted)."""
    stmt = scoped(select(Person), Person, user).where(Person.erased_at.is_(None))
    phone, cccd = phone.strip(), "".join(cccd.split())
    if phone:
        normal = normalize_phone(phone)
        if normal is None:
            raise RightsError("phone", BAD_PHONE)
        stmt = stmt.where(Person.phone_bidx == blind_index("phone", normal))
    elif cccd:
        if not (len(cccd) == 12 and cccd.isdigit()):
            raise RightsError("cccd", BAD_CCCD)
        stmt = stmt.where(Person.cccd_bidx == blind_index("cccd", cccd))
    else:
        raise RightsError("phone", NOTHING_TO_FIND)
    return list(db.session.scalars(stmt.order_by(Person.id).limit(LOOKUP_LIMIT)))


def export_person(person: Person) -> dict[str, Any]:
    """Everything we hold about the person, in clear, for a subject-access request."""
    touches = db.session.execute(
        select(Attendance.event_id, Event.title, Attendance.source, Attendance.touched_at)
        .join(Event, Event.id == Attendance.event_id)
        .where(Attendance.person_id == person.id)
        .order_by(Attendance.touched_at)
    ).all()
    links = db.session.execute(
        select(Link.method, Link.status, Enrolment.scheme, Enrolment.paid_on, Enrolment.is_new)
        .join(Enrolment, Enrolment.id == Link.enrolment_id)
        .where(Link.person_id == person.id)
    ).all()
    agreed_to = purpose(person.consent_version)
    counted = {"touches": len(touches), "enrolments": len(links)}
    if person.erased_at is not None:
        # Only the counts are kept: which events and which payments would point at somebody.
        touches, links = [], []
    return {
        "id": person.id,
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "birth_year": person.birth_year,
        "gender": person.gender,
        "phone": person.phone,
        "cccd": person.cccd,
        "bhxh_code": person.bhxh_code,
        "commune": person.commune.name if person.commune else None,
        "hamlet": person.hamlet,
        "consent": {
            "agreed": person.consent_agreed,
            "at": _iso(person.consent_at),
            "version": person.consent_version,
            "purpose": agreed_to.text if agreed_to else None,
            "source": person.consent_source,
            "withdrawn_at": _iso(person.consent_withdrawn_at),
        },
        "legal_basis": _basis(person, [at for *_, at in touches]),
        "erased_at": _iso(person.erased_at),
        "counted": counted,
        "touches": [
            {"event_id": e, "event": title, "source": source, "at": _iso(at)}
            for e, title, source, at in touches
        ],
        "enrolments": [
            {
                "method": m,
                "status": s.value,
                "scheme": sc.value,
                "paid_on": _iso(paid),
                "is_new": new,
            }  # fmt: skip
            for m, s, sc, paid, new in links
        ],
    }


def _basis(person: Person, touched: list[datetime]) -> dict[str, Any]:
    """On what ground we hold the person: their consent, or the public comment they wrote."""
    if person.consent_agreed or person.legal_basis != PUBLIC_COMMENT:
        return {"basis": "consent", "text": None, "kept_until": None}
    last = max(touched) if touched else None
    return {
        "basis": PUBLIC_COMMENT,
        "text": public_comment_basis(),
        "kept_until": _iso(lead_kept_until(last)) if last else None,
    }


def correct_person(person: Person, changes: dict[str, Any]) -> list[str]:
    """Apply corrections the person asked for; returns the fields changed (names only)."""
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise RightsError(unknown[0], NOT_CORRECTABLE, fields=", ".join(CORRECTABLE))
    if person.erased_at is not None:
        raise RightsError("person", ERASED)
    changed = []
    if "full_name" in changes:
        name = written_name(str(changes["full_name"] or ""))  # "lê thị hoa" → "Lê Thị Hoa"
        if not name:
            raise RightsError("full_name", EMPTY_NAME)
        person.full_name, person.name_folded = name_columns(name)  # each fits its column
        changed.append("full_name")
    if "phone" in changes:
        phone = normalize_phone(str(changes["phone"] or "")) if changes["phone"] else None
        if changes["phone"] and phone is None:
            raise RightsError("phone", BAD_PHONE)
        person.set_identifiers(phone=phone)
        changed.append("phone")
    if "cccd" in changes:
        cccd = "".join(str(changes["cccd"] or "").split()) or None
        if cccd is not None and not (len(cccd) == 12 and cccd.isdigit()):
            raise RightsError("cccd", BAD_CCCD)
        person.set_identifiers(cccd=cccd)
        changed.append("cccd")
    if "hamlet" in changes:
        person.hamlet = " ".join(str(changes["hamlet"] or "").split())
        changed.append("hamlet")
    if "birth" in changes:
        _correct_birth(person, str(changes["birth"] or "").strip())
        changed.append("birth")
    elif "birth_year" in changes:
        _correct_birth_year(person, changes["birth_year"])
        changed.append("birth_year")
    return changed


def _correct_birth(person: Person, written: str) -> None:
    """A whole new birth (year, month/year or date): date, precision and year together."""
    if not written:
        person.birth_date = person.birth_precision = person.birth_year = None
        return
    birth = written_birth(written)
    today = datetime.now(VN).date()
    if birth is None or not 1900 <= birth.year <= today.year or birth.text > today.isoformat():
        raise RightsError("birth", BAD_BIRTH)
    person.birth_date, person.birth_precision, person.birth_year = (
        birth.text,
        birth.precision,
        birth.year,
    )


def _correct_birth_year(person: Person, year: Any) -> None:
    """A new year: a stored date of another year is cut back to the year (never contradicts)."""
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool)
                                 and 1900 <= year <= 2100):  # fmt: skip
        raise RightsError("birth_year", BAD_YEAR)
    if year is None:
        person.birth_date = person.birth_precision = None
    elif person.birth_date and not person.birth_date.startswith(f"{year:04d}"):
        person.birth_date, person.birth_precision = f"{year:04d}", BirthPrecision.YEAR
    person.birth_year = year


def withdraw_consent(person: Person, now: datetime) -> None:
    """No more linkage or calls from now on; links already made stay for the counts."""
    if person.consent_withdrawn_at is None:
        person.consent_withdrawn_at = now


def erase_person(person: Person, now: datetime) -> None:
    """Remove every identifier, the place they live, and the identifiers of the enrolment rows
    and comments that are the person's; the anonymous rows keep the counts they are part of."""
    # Read before they go: they find the person's other rows below.
    strong = [(Enrolment.cccd_bidx, person.cccd_bidx), (Enrolment.bhxh_code_bidx,
              person.bhxh_code_bidx)]  # fmt: skip
    authors = set(db.session.scalars(select(Comment.author_external_id).where(
        Comment.person_id == person.id, Comment.author_external_id.is_not(None))))  # fmt: skip
    for column in IDENTIFIERS:
        setattr(person, column, None)
    person.full_name = ""
    person.name_folded = ""
    person.hamlet = ""
    person.commune_text = ""
    person.commune_id = None
    person.erased_at = now
    if person.consent_withdrawn_at is None:
        person.consent_withdrawn_at = now
    # The same author's comments not tied to the person hold their name and what they wrote.
    erase_comments((Comment.person_id == person.id) | Comment.author_external_id.in_(authors), now)
    clear_lead_notes(person.id)
    db.session.execute(
        Attendance.__table__.update().where(Attendance.person_id == person.id).values(source_ref="")
    )
    own = select(Link.enrolment_id).where(
        Link.person_id == person.id,
        Link.status.in_(OWN_STATUSES),
        Link.method != LinkMethod.HOUSEHOLD.value,
    )
    # A row with their CCCD or BHXH code is theirs whatever its link (or none) says.
    same = [column == value for column, value in strong if value]
    erase_enrolments(or_(Enrolment.id.in_(own), *same), now)
    # A pair still waiting for review can never be judged now: it goes (it counted for nothing).
    db.session.execute(
        delete(Link).where(Link.person_id == person.id, Link.status == LinkStatus.REVIEW)
    )


def erase_enrolments(where: ColumnElement[bool], now: datetime) -> int:
    """Remove the identifiers of the enrolment rows ``where`` selects; returns how many.

    The row's key was a hash of its identifiers: it becomes the row's id, so nothing computed
    from the person's data is left (a later file holding the same row stores it again).
    """
    cleared = {name: None for name in IDENTIFIERS}
    key = literal_column("'erased:'", String) + cast(Enrolment.id, String)
    result = db.session.execute(
        update(Enrolment)
        .where(where, Enrolment.erased_at.is_(None))
        .values(
            full_name="",
            name_folded="",
            commune_text="",
            household_ref=None,
            source_ref=None,
            row_key=key,
            erased_at=now,
            **cleared,
        )  # fmt: skip
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def erase_comments(where: ColumnElement[bool], now: datetime) -> int:
    """Remove author, text and phone of the comments ``where`` selects; they still count."""
    result = db.session.execute(
        update(Comment)
        .where(where, Comment.erased_at.is_(None))
        .values(
            author_name="",
            author_external_id=None,
            message="",
            phone=None,
            phone_bidx=None,
            erased_at=now,
        )  # fmt: skip
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
