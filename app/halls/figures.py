"""A hall's figures, kept on its row as each report is stored (``queries.event_totals`` adds
them up for the event).

A hall keeps its latest-sent report's head count (``head_count``, ``head_count_at`` and
``head_count_report_id``: the latest ``reported_at`` wins, then the highest id, as
``services.latest_head_count`` orders one hall's reports), and how many reports and attendee rows
it sent. A board of 1,000 halls reads those columns instead of ranking every report again.

Storing a report is two statements, whatever the number of halls or of reports before it:

1. ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` on the hall's idempotency key: no row back
   means the key is stored already (a retry, or two tabs racing), and the first report answers;
2. one ``UPDATE`` of the hall's row that adds to its counters and, in the same statement, keeps
   whichever head count was sent later. The database evaluates it against the row as it stands
   (PostgreSQL re-reads a row another transaction changed meanwhile), so two reports of one hall
   arriving together cannot overwrite each other: no read-modify-write in Python.

On PostgreSQL both go in one round trip (``store_report``: the INSERT and the UPDATE as
data-modifying CTEs, the UPDATE joined to the INSERT's row, so a stored key moves nothing); SQLite
has no writes inside WITH, and runs them one after the other in-process. Either way the statement
also says whether the report rollups are built, which the commit would otherwise ask for again.
A link's head count sent alone is that statement as a transaction of its own (``store_alone``).

A report written through the ORM (a script, a test) moves the figures by the same ``UPDATE``
from a mapper event; a report deleted through the ORM recounts its hall from its reports
(``install``). A bulk ``DELETE`` of reports must call ``recount`` for the halls it touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Insert,
    Integer,
    Select,
    String,
    Update,
    bindparam,
    case,
    event,
    func,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from app import prepared
from app.attendance.rows import people_and_touches
from app.extensions import db
from app.halls import links
from app.halls.links import OpenHall
from app.models import AttendanceReport, BridgePoint, utcnow
from app.reports.rollups.build import built_at
from app.reports.rollups.catch_up import WRITES_LOCK

HALLS = BridgePoint.__table__
REPORTS = AttendanceReport.__table__
FIGURES = ("head_count", "head_count_at", "head_count_report_id")
PREFIX = "report_"  # the parameters of the one-statement store (``_stored_together``)
WRITTEN = ("bridge_point_id", "idempotency_key", "head_count", "reported_at", "source",
           "attendees")  # a report's columns as stored  # fmt: skip


@dataclass(frozen=True)
class HeadCount:
    """A hall's count: the one its latest-sent report carried."""

    head_count: int
    reported_at: datetime
    report_id: int


@dataclass(frozen=True)
class Receipt:
    """What the hall is told once its report is stored (read before the commit, so answering
    needs no further query)."""

    report_id: int
    head_count: int | None
    attendees: int
    reported_at: datetime
    latest: HeadCount | None  # the hall's count with this report stored

    @property
    def superseded(self) -> bool:
        """A count sent later than this one stays the hall's count."""
        return (
            self.head_count is not None
            and self.latest is not None
            and self.latest.report_id != self.report_id
        )


@dataclass(frozen=True)
class Stored:
    """What storing a report did: its id (None when the key was stored already), the hall's
    count with it, and whether the report rollups are built (they follow the count if so)."""

    report_id: int | None
    latest: HeadCount | None = None
    rollups_ready: bool = False


def store_report(
    point: BridgePoint | OpenHall,
    key: str,
    head_count: int | None,
    reported_at: datetime,
    source: str,
    attendees: int,
) -> Stored:
    """Store the report unless the hall's key is stored already, and move the hall's figures."""
    values = {"bridge_point_id": point.id, "idempotency_key": key, "head_count": head_count,
              "reported_at": reported_at, "source": source, "attendees": attendees}  # fmt: skip
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        params = {f"{PREFIX}{name}": value for name, value in values.items()}
        params[f"{PREFIX}updated_at"] = utcnow()  # the hall's onupdate, run as compiled SQL
        shape = ("figures.together", head_count is not None)
        row = prepared.in_session(shape, lambda: _stored_together(shape[1]), **params)
        if row is None:
            return Stored(None)
        report_id, counted = row[0], row[1:]
    else:
        report_id = db.session.execute(_insert_statement(dialect), values).scalar()
        if report_id is None:
            return Stored(None)
        params = count_params(point.id, report_id, head_count, reported_at, attendees)
        counted = db.session.execute(count_statement(head_count is not None), params).one()
    if isinstance(point, BridgePoint):  # the session's copy follows, without a reload and
        for name, value in zip(FIGURES, counted[:3], strict=True):  # without counting as a change
            set_committed_value(point, name, value)
    return Stored(report_id, _head_count(*counted[:3]), counted[3] is not None)


@cache
def _stored_together(with_head_count: bool) -> Select[Any]:
    """PostgreSQL: the INSERT and the hall's UPDATE in one statement (see the module's notes)."""
    inserted: CTE = (
        _insert_statement("postgresql", PREFIX).returning(REPORTS.c.bridge_point_id).cte("inserted")
    )
    counted = (
        _count_update(with_head_count, inserted.c.id, PREFIX)
        .values(updated_at=bindparam(PREFIX + "updated_at", type_=HALLS.c.updated_at.type))
        .where(HALLS.c.id == inserted.c.bridge_point_id)  # a stored key inserts nothing: no row
        .returning(*(HALLS.c[name] for name in FIGURES))
        .cte("counted")
    )
    columns = (counted.c[name] for name in FIGURES)
    return select(inserted.c.id, *columns, built_at()).select_from(
        inserted.outerjoin(counted, true())
    )


def store_alone(
    hall: OpenHall,
    key: str,
    head_count: int | None,
    reported_at: datetime,
    source: str,
    people: dict[str, Any] | None = None,
) -> Stored | None:
    """``store_report`` as one statement that is its own transaction (no BEGIN, no COMMIT, no
    ORM), committed when this returns, with the report's attendee rows if it has any
    (``people``: ``rows.people_params``; written only with a report newly stored). None, having
    written nothing, where it does not apply: not on PostgreSQL, a session bound to one
    connection, or the rollups built (they move in the count's transaction: ``store_report``
    then). A hall whose link was not read in this request (``OpenHall.seen``; never with
    attendee rows) is written only if the link still reads so (``links.unchanged``), else
    ``links.ReadAgain`` is raised."""
    attendees = len(people["p_refs"]) if people else 0
    params = {f"{PREFIX}bridge_point_id": hall.id, f"{PREFIX}idempotency_key": key,
              f"{PREFIX}head_count": head_count, f"{PREFIX}reported_at": reported_at,
              f"{PREFIX}source": source, f"{PREFIX}attendees": attendees,
              f"{PREFIX}updated_at": utcnow()}  # the hall's onupdate, which Core adds  # fmt: skip
    guarded = hall.seen is not None
    assert not (guarded and people), "attendee rows are stored for a link read in the request"
    if guarded:
        params |= links.unchanged_params(hall)
    shape = (head_count is not None, guarded, *((True,) if people else ()))
    params |= people or {}
    ran, row = prepared.written(("figures.alone", *shape), lambda: _stored_alone(*shape), **params)
    if not ran or row is None:
        return None
    if row[4] is not None or not row[5]:  # the rollups are built, or a full build writes them
        return None
    if guarded and not row[6]:  # the link changed since it was read
        raise links.ReadAgain()
    if row[0] is None:  # the key is stored already
        return Stored(None)
    if people:
        assert row[-1] == attendees  # each attendee with their touch
    return Stored(row[0], _head_count(*row[1:4]), False)


@cache
def _stored_alone(with_head_count: bool, guarded: bool = False, rows: bool = False) -> Select[Any]:
    """PostgreSQL: ``_stored_together``, writing only while the rollups are not built and no full
    build is writing them (and, if ``guarded``, the link reads as ``links.unchanged`` says), and
    always one row: the report's id (NULL: nothing inserted), the hall's count, ``built_at``,
    whether no build was writing (and whether the link held; with ``rows``, the attendees'
    touches written after the report: ``rows.people_and_touches``)."""
    # Not while a full build writes them (its catch-up may have read already): the report then
    # goes the session's way, whose commit waits for the build (``catch_up.wait_for_build``).
    gate_row = select(func.pg_try_advisory_xact_lock_shared(func.hashtext(WRITES_LOCK))
                      .label("open")).cte("gate")  # fmt: skip
    values = select(*(bindparam(PREFIX + n, type_=REPORTS.c[n].type) for n in WRITTEN))
    values = values.select_from(gate_row).where(built_at().is_(None), gate_row.c.open)
    # The link's check written once (psycopg parses a statement over 4,096 characters each call)
    link = select(true().label("held")).select_from(links.LINKED).where(links.unchanged())
    held_row = link.cte("held")
    if guarded:
        values = values.select_from(held_row)
    inserted: CTE = (
        postgresql.insert(REPORTS)
        .from_select(WRITTEN, values)
        .on_conflict_do_nothing(index_elements=["bridge_point_id", "idempotency_key"])
        .returning(REPORTS.c.id, REPORTS.c.bridge_point_id)
        .cte("inserted")
    )
    counted = (
        _count_update(with_head_count, inserted.c.id, PREFIX)
        .values(updated_at=bindparam(PREFIX + "updated_at", type_=HALLS.c.updated_at.type))
        .where(HALLS.c.id == inserted.c.bridge_point_id)
        .returning(*(HALLS.c[name] for name in FIGURES))
        .cte("counted")
    )
    figures = (select(counted.c[name]).scalar_subquery() for name in FIGURES)
    extra = [select(held_row.c.held).exists()] if guarded else []
    if rows:  # the attendees follow the report, and the statement says how many were written
        touched = people_and_touches(inserted)[1]
        extra.append(select(func.count()).select_from(touched).scalar_subquery())
    opened = select(gate_row.c.open).scalar_subquery()
    return select(select(inserted.c.id).scalar_subquery(), *figures, built_at(), opened, *extra)


@cache
def _insert_statement(dialect: str, prefix: str = "") -> Insert:
    """Built once per dialect, with bound parameters: a check-in burst builds no SQL.

    ``prefix`` starts the parameters' names: an UPDATE in the same statement would take a
    parameter named after one of its table's columns (``head_count``) for a SET of it.
    """
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(REPORTS)
        .values({name: bindparam(prefix + name, type_=REPORTS.c[name].type) for name in WRITTEN})
        .on_conflict_do_nothing(index_elements=["bridge_point_id", "idempotency_key"])
        .returning(REPORTS.c.id)
    )


@cache
def count_statement(with_head_count: bool) -> Update:
    """The one UPDATE that moves a hall's figures for a newly stored report (``count_params``);
    it returns them, and whether the report rollups are built."""
    return (
        _count_update(with_head_count, bindparam("report_id", type_=Integer))
        .where(HALLS.c.id == bindparam("point_id", type_=Integer))
        .returning(*(HALLS.c[name] for name in FIGURES), built_at())
    )


def _count_update(with_head_count: bool, report_id: ColumnElement[int], prefix: str = "") -> Update:
    """The hall's UPDATE without its WHERE, for the report numbered ``report_id``.

    Every SET expression reads the row as it was, so the three head-count columns move together
    or not at all; a later send time wins, and on the same time the later report. On
    PostgreSQL ``report_id`` is the inserted row's, which also joins the UPDATE to it.
    """
    at = bindparam(prefix + "reported_at", type_=HALLS.c.head_count_at.type)
    values: dict[str, Any] = {
        "reports": HALLS.c.reports + 1,
        "attendees_reported": HALLS.c.attendees_reported
        + bindparam(prefix + "attendees", type_=Integer),
    }
    if with_head_count:
        newer = (
            HALLS.c.head_count_at.is_(None)
            | (HALLS.c.head_count_at < at)
            | ((HALLS.c.head_count_at == at) & (HALLS.c.head_count_report_id < report_id))
        )
        sent = {"head_count": bindparam(prefix + "head_count", type_=Integer), "head_count_at": at,
                "head_count_report_id": report_id}  # fmt: skip
        for name, value in sent.items():
            values[name] = case((newer, value), else_=HALLS.c[name])
    return update(HALLS).values(values)


def count_params(
    point_id: int, report_id: int, head_count: int | None, reported_at: datetime, attendees: int
) -> dict[str, Any]:
    """The parameters of ``count_statement(head_count is not None)``."""
    params = {"point_id": point_id, "attendees": attendees}
    if head_count is not None:
        params |= {"report_id": report_id, "head_count": head_count, "reported_at": reported_at}
    return params


def stored_receipt(point_id: int, key: str, committed: bool = False) -> Receipt | None:
    """The receipt of the report already stored under the hall's key, with the hall's count now.

    ``committed``: read outside the session's transaction (after ``store_alone``)."""
    params = {"point_id": point_id, "idempotency_key": key}
    if committed:
        row = prepared.first("figures.receipt", _receipt, typed=True, **params)
    else:
        row = db.session.execute(_receipt(), params).first()
    if row is None:
        return None
    return Receipt(row[0], row[1], row[2], row[3], _head_count(*row[4:]))


@cache
def _receipt() -> Select[Any]:
    report = (REPORTS.c.id, REPORTS.c.head_count, REPORTS.c.attendees, REPORTS.c.reported_at)
    return (
        select(*report, *(HALLS.c[name] for name in FIGURES))
        .join(HALLS, HALLS.c.id == REPORTS.c.bridge_point_id)
        .where(
            REPORTS.c.bridge_point_id == bindparam("point_id", type_=Integer),
            REPORTS.c.idempotency_key == bindparam("idempotency_key", type_=String),
        )
    )


def hall_count(point_id: int) -> HeadCount | None:
    """The hall's count as stored on its row (read from the database, not the session)."""
    row = db.session.execute(
        select(*(HALLS.c[name] for name in FIGURES)).where(HALLS.c.id == point_id)
    ).first()
    return _head_count(*row) if row is not None else None


def recount_values() -> dict[str, Any]:
    """Each figure of a hall computed from scratch from its reports (correlated subqueries)."""
    mine = REPORTS.c.bridge_point_id == HALLS.c.id
    latest = (
        select(REPORTS)
        .where(mine, REPORTS.c.head_count.is_not(None))
        .order_by(REPORTS.c.reported_at.desc(), REPORTS.c.id.desc())
        .limit(1)
    )
    return {
        "head_count": latest.with_only_columns(REPORTS.c.head_count).scalar_subquery(),
        "head_count_at": latest.with_only_columns(REPORTS.c.reported_at).scalar_subquery(),
        "head_count_report_id": latest.with_only_columns(REPORTS.c.id).scalar_subquery(),
        "reports": select(func.count()).where(mine).scalar_subquery(),
        "attendees_reported": select(func.coalesce(func.sum(REPORTS.c.attendees), 0))
        .where(mine)
        .scalar_subquery(),
    }


def recount_statement(halls: ColumnElement[bool]) -> Update:
    """Recount these halls' figures from their reports (a repair, and after a bulk delete)."""
    return update(HALLS).where(halls).values(recount_values())


def recount(point_ids: Iterable[int]) -> None:
    """Recount these halls from their reports, e.g. after a bulk DELETE of some reports."""
    ids = list(point_ids)
    if ids:
        db.session.execute(recount_statement(HALLS.c.id.in_(ids)))


def _head_count(count: int | None, at: datetime | None, report_id: int | None) -> HeadCount | None:
    if count is None or at is None or report_id is None:
        return None
    return HeadCount(count, at, report_id)


def _after_insert(_mapper: Any, connection: Connection, report: AttendanceReport) -> None:
    params = count_params(report.bridge_point_id, report.id, report.head_count,
                          report.reported_at, report.attendees or 0)  # fmt: skip
    connection.execute(count_statement(report.head_count is not None), params)


def _after_delete(_mapper: Any, connection: Connection, report: AttendanceReport) -> None:
    connection.execute(recount_statement(HALLS.c.id == report.bridge_point_id))


HOOKS = (("after_insert", _after_insert), ("after_delete", _after_delete))


def install() -> None:
    """Reports written or deleted through the ORM move their hall's figures too (once)."""
    for name, fn in HOOKS:
        if not event.contains(AttendanceReport, name, fn):
            event.listen(AttendanceReport, name, fn)
