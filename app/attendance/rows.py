"""One attendee row, checked the same way whether typed on the hall's check-in page or imported
from an attendee sheet, and written as a Person with one Attendance (a touch of the event).

``check_attendee`` collects *every* problem of a row (a sheet's report lists them all), each as
``(field, msgid, value)``; the check-in endpoint stops at the first. Messages are English msgids
marked with ``_l`` so pages translate them when they render; values stay apart so a stored report
can drop them (they are personal data).

A row carries the person's answer to the purpose text (``consent``: Có / Không / not asked);
``add_attendee`` records it with the text's version and when it was given (app.consent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import CTE, Insert, Integer, Select, bindparam, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by

from app import prepared
from app.consent import read_answer
from app.extensions import db
from app.identity.births import Birth, BirthPrecision, written_birth
from app.identity.names import written_name
from app.identity.phones import normalize_phone
from app.identity.text import name_columns
from app.models import Attendance, Person, utcnow
from app.personal_data import indexed
from app.sheets.issues import _l
from app.timeparse import VN

FIELDS = ("name", "birth", "phone", "cccd", "hamlet", "consent")
CCCD = re.compile(r"^\d{12}$")
OLDEST_YEAR = 1900
TEXT_LIMIT = 200


NAME_REQUIRED = _l("The name is required.")
BAD_BIRTH = _l("Write the year (1975) or the date (17/05/1975).")
FUTURE_BIRTH = _l("The date of birth is in the future or before 1900.")
# The value comes first, written into the message (``VALUE``), the form after it as an example.
NO_SUCH_DAY = _l(
    "The date of birth %(value)s is not in the calendar: check the day and the month (for "
    "example 17/05/1975)."
)
# Written as a day: "31/02/1975", "31-4-1980" (a date that does not exist is said so).
DAY_SHAPE = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}")
BAD_PHONE = _l("Not a Vietnamese phone number.")
BAD_CCCD = _l("A CCCD has 12 digits (the old 9-digit CMND is not accepted).")


@dataclass(frozen=True)
class AttendeeRow:
    full_name: str
    birth: str | None  # ISO at its precision: "1975", "1975-05" or "1975-05-17"
    birth_precision: BirthPrecision | None
    birth_year: int | None
    phone: str | None  # E.164
    cccd: str | None
    hamlet: str
    consent: bool | None = None  # agreed to the purpose text; None: not asked


@dataclass(frozen=True)
class Problem:
    field: str
    message: str  # English msgid
    value: str = ""  # what was written, shown next to the message, never stored in reports


def check_attendee(
    raw: Mapping[str, Any], today: date | None = None
) -> tuple[AttendeeRow | None, list[Problem]]:
    """The row, or every problem found in it (``raw`` holds text under the names of FIELDS)."""
    today = today or datetime.now(VN).date()
    problems: list[Problem] = []
    name = " ".join(str(raw.get("name") or "").split())
    if not name:
        problems.append(Problem("name", NAME_REQUIRED))
    birth_text = str(raw.get("birth") or "").strip()
    birth: Birth | None = None
    if birth_text:
        parsed = written_birth(birth_text)
        if parsed is None:
            shape = NO_SUCH_DAY if DAY_SHAPE.fullmatch(birth_text) else BAD_BIRTH
            problems.append(Problem("birth", shape, birth_text))
        elif not OLDEST_YEAR <= parsed.year <= today.year or parsed.text > today.isoformat():
            problems.append(Problem("birth", FUTURE_BIRTH, birth_text))
        else:
            birth = parsed
    phone_text = str(raw.get("phone") or "").strip()
    phone = normalize_phone(phone_text) if phone_text else None
    if phone_text and phone is None:
        problems.append(Problem("phone", BAD_PHONE, phone_text))
    cccd_text = str(raw.get("cccd") or "").strip()
    cccd = re.sub(r"\D", "", cccd_text)
    if cccd_text and not CCCD.match(cccd):
        problems.append(Problem("cccd", BAD_CCCD, cccd_text))
    hamlet = " ".join(str(raw.get("hamlet") or "").split())[:TEXT_LIMIT]
    consent = None
    try:
        consent = read_answer(raw.get("consent"))
    except ValueError as exc:
        problems.append(Problem("consent", str(exc), str(raw.get("consent"))[:20]))
    if problems:
        return None, problems
    row = AttendeeRow(
        # Stored as names are written ("LÒ VĂN PÁO", "lò văn páo" → "Lò Văn Páo"), whether typed
        # at check-in or read from a sheet; cut at a word, as leads' and enrolments' names.
        full_name=name_columns(written_name(name))[0],
        birth=birth.text if birth else None,
        birth_precision=birth.precision if birth else None,
        birth_year=birth.year if birth else None,
        phone=phone,
        cccd=cccd or None,
        hamlet=hamlet,
        consent=consent,
    )
    return row, []


def add_attendee(
    row: AttendeeRow,
    *,
    event_id: int,
    bridge_point_id: int | None,
    commune_id: int | None,
    source: str,
    source_ref: str,
    consent_version: str,
    consent_source: str,
    touched_at: datetime,
) -> Person:
    """A new Person and the Attendance tying them to the event (deduplication is the linkage's).

    ``touched_at`` is when the person was there (attribution counts from it) and so when they
    answered; ``consent_version`` the purpose text the sheet or page showed them. A row without
    an answer records none.
    """
    visit = Visit(event_id, bridge_point_id, commune_id, source, consent_version, consent_source,
                  touched_at)  # fmt: skip
    return add_attendees([row], visit, [source_ref])[0]


@dataclass(frozen=True)
class Visit:
    """Where and when a batch of attendees were: the columns every one of their rows shares."""

    event_id: int
    bridge_point_id: int | None
    commune_id: int | None
    source: str
    consent_version: str
    consent_source: str
    touched_at: datetime

    def touches(self, person_ids: Sequence[int], refs: Sequence[str]) -> list[dict[str, Any]]:
        """The Attendance rows of these people, one source reference each."""
        return [{"person_id": person_id, "event_id": self.event_id,
                 "bridge_point_id": self.bridge_point_id, "source": self.source,
                 "source_ref": ref[:300], "touched_at": self.touched_at}
                for person_id, ref in zip(person_ids, refs, strict=True)]  # fmt: skip

    def person(self, row: AttendeeRow) -> dict[str, Any]:
        return _person_values(row, self.commune_id, self.consent_version, self.consent_source,
                              self.touched_at)  # fmt: skip


def add_attendees(
    rows: Sequence[AttendeeRow], visit: Visit, source_refs: Sequence[str]
) -> list[Person]:
    """``add_attendee`` for several rows at once (``source_refs``: one per row): the people are
    inserted in one flush, not one round trip each, as a hall's sheet comes in one request."""
    people = [Person(**visit.person(row)) for row in rows]
    db.session.add_all(people)
    db.session.flush()
    ids = [person.id for person in people]
    db.session.add_all(Attendance(**touch) for touch in visit.touches(ids, source_refs))
    return people


def insert_attendees(
    rows: Sequence[AttendeeRow], visit: Visit, source_refs: Sequence[str]
) -> list[int]:
    """``add_attendees``' rows written by Core in the session's transaction, without ORM
    objects: the people's ids. Half of a check-in burst's CPU went to the unit of work of its
    attendee rows. The rollups' listeners see ORM objects only, so call it only while the
    rollups are not built (``add_attendees`` then).

    On PostgreSQL one statement writes the people and their touches (``people_and_touches``,
    compiled once whatever the number of rows); elsewhere two, the people's ids read between."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        params = people_params(rows, visit, source_refs)
        row = prepared.in_session("rows.people_and_touches", _people_and_touches, **params)
        assert row is not None
        assert row[1] == len(rows)  # each person with their touch
        return list(row[0])
    people = [visit.person(row) for row in rows]
    ids = list(connection.execute(_people_insert(), people).scalars())
    connection.execute(_touches_insert(), visit.touches(ids, source_refs))
    return ids


# A person's columns as ``Visit.person`` gives them; with commune_text and the timestamps,
# every column of a person a check-in writes (the others stay NULL).
PERSON_COLUMNS = ("full_name", "name_folded", "birth_date", "birth_precision", "birth_year",
                  "commune_id", "hamlet", "consent_agreed", "consent_at", "consent_version",
                  "consent_source", "phone", "phone_bidx", "cccd", "cccd_bidx")  # fmt: skip


def people_params(
    rows: Sequence[AttendeeRow], visit: Visit, source_refs: Sequence[str]
) -> dict[str, Any]:
    """The parameters of ``people_and_touches``: each person column as an array in the rows'
    order, the touches' source references likewise, and the visit's columns."""
    people = [visit.person(row) for row in rows]
    params: dict[str, Any] = {f"p_{name}": [person[name] for person in people]
                              for name in PERSON_COLUMNS}  # fmt: skip
    return params | {"p_at": utcnow(), "p_refs": [ref[:300] for ref in source_refs],
                     "p_event_id": visit.event_id, "p_point_id": visit.bridge_point_id,
                     "p_source": visit.source, "p_touched_at": visit.touched_at}  # fmt: skip


@cache
def _people_and_touches() -> Select[Any]:
    """The people's ids in order, and the touches written (``people_and_touches``)."""
    people, touches = people_and_touches()
    ids = select(func.array_agg(aggregate_order_by(people.c.id, people.c.id)))
    count = select(func.count()).select_from(touches)
    return select(ids.scalar_subquery(), count.scalar_subquery())


def people_and_touches(after: CTE | None = None) -> tuple[CTE, CTE]:
    """PostgreSQL: the people from one array per column (``unnest``, each value through its
    column's type: identifiers encrypted as the ORM would), inserted in the rows' order, then
    one touch each, matched by that order (``people_params``); both as data-modifying CTEs, the
    people's returning their ids, the touches' theirs. ``after``: another CTE of the statement
    that must have returned a row for anyone to be written (the report they came with).

    The ids follow the rows' order because the INSERT takes its rows ORDER BY their place and
    the sequence numbers them as they come (SQLAlchemy's "insertmanyvalues" relies on the same).
    """
    people, touches = Person.__table__, Attendance.__table__
    arrays = (bindparam(f"p_{name}", type_=ARRAY(people.c[name].type)) for name in PERSON_COLUMNS)
    given = func.unnest(*arrays).table_valued(*PERSON_COLUMNS, with_ordinality="n")
    given = given.render_derived(name="v")
    at = bindparam("p_at", type_=people.c.created_at.type)
    rows = select(*(given.c[name] for name in PERSON_COLUMNS), literal(""), at, at)
    if after is not None:
        rows = rows.where(select(after).exists())
    written = (
        insert(people)
        .from_select(
            (*PERSON_COLUMNS, "commune_text", "created_at", "updated_at"),
            rows.order_by(given.c.n),
            include_defaults=False,
        )
        .returning(people.c.id)
        .cte("people")
    )
    placed = select(written.c.id, func.row_number().over(order_by=written.c.id).label("n"))
    placed_ = placed.subquery("p")
    refs = func.unnest(bindparam("p_refs", type_=ARRAY(touches.c.source_ref.type)))
    refs = refs.table_valued("ref", with_ordinality="n").render_derived(name="r")
    one_each = select(placed_.c.id, bindparam("p_event_id", type_=Integer),
                      bindparam("p_point_id", type_=Integer),
                      bindparam("p_source", type_=touches.c.source.type), refs.c.ref,
                      bindparam("p_touched_at", type_=touches.c.touched_at.type))  # fmt: skip
    touched = (
        insert(touches)
        .from_select(
            ("person_id", "event_id", "bridge_point_id", "source", "source_ref", "touched_at"),
            one_each.select_from(placed_.join(refs, refs.c.n == placed_.c.n)),
            include_defaults=False,
        )
        .returning(touches.c.id)
        .cte("touches")
    )
    return written, touched


@cache
def _people_insert() -> Insert:
    """Several people in one statement, their ids back in the rows' order."""
    table = Person.__table__
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)  # type: ignore[arg-type]


@cache
def _touches_insert() -> Insert:
    return insert(Attendance.__table__)  # type: ignore[arg-type]


def _person_values(
    row: AttendeeRow, commune_id: int | None, version: str, consent_source: str, at: datetime
) -> dict[str, Any]:
    """A person's columns from the row (identifiers beside their blind index, as
    ``Person.set_identifiers`` writes them)."""
    answered = row.consent is not None
    full_name, name_folded = name_columns(row.full_name)  # the folded one may be longer
    return {
        "full_name": full_name,
        "name_folded": name_folded,
        "birth_date": row.birth,
        "birth_precision": row.birth_precision,
        "birth_year": row.birth_year,
        "commune_id": commune_id,
        "hamlet": row.hamlet,
        "consent_agreed": row.consent,
        "consent_at": at if answered else None,
        "consent_version": version if answered else None,
        "consent_source": consent_source[:80],
        **indexed(phone=row.phone, cccd=row.cccd),
    }
