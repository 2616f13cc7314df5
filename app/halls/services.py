"""The halls (bridge points, điểm cầu) of an event, and the head-count reports they send.

Setting an event's halls gives each new hall its check-in link (``app.halls.links``); a report,
from that link or typed by an organiser, is stored once per idempotency key, with its attendee
rows checked by the same rules as the attendee-sheet import.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import prepared
from app.attendance.rows import (
    AttendeeRow,
    Visit,
    add_attendees,
    check_attendee,
    insert_attendees,
    people_params,
)
from app.collation import sorted_vietnamese
from app.consent import purpose
from app.extensions import db
from app.halls import figures, window
from app.halls.figures import HeadCount, Receipt
from app.halls.links import OpenHall, ReadAgain, event_over, new_link
from app.models import (
    BridgePoint,
    Event,
    OrgKind,
    OrgUnit,
    utcnow,
)
from app.reports.rollups.listeners import note_hall_counted
from app.sheets.issues import VALUE, _l
from app.sheets.issues import count as dotted
from app.timeparse import as_utc, sent_time

MAX_HEAD_COUNT = 10_000
MAX_ATTENDEES = 1_000
NO_PURPOSE = _l("Unknown purpose text; reload the page and send the report again.")


class HallError(ValueError):
    """Input the hall or the organiser must correct; names the field (and row) at fault.

    ``msgid`` is English (``message`` for scripts and the API); ``localized()`` is what a page
    shows. ``value`` is what was written, shown beside the message and never stored.
    """

    def __init__(self, field: str, msgid: str, value: str = "", **params: Any) -> None:
        self.field = field
        self.msgid = msgid
        self.params = params
        self.value = value
        inline = {**params, "value": value} if VALUE in msgid else params
        self.message = self._shown(msgid % inline if inline else msgid)
        # The submission's further problems, each naming its field: an officer on a weak link
        # corrects them all before sending again, not one per round trip.
        self.also: list[HallError] = []
        super().__init__(f"{field}: {self.message}")

    @classmethod
    def every(cls, problems: list[HallError]) -> HallError:
        """The first problem, carrying the others."""
        first, *rest = problems
        first.also = rest
        return first

    @property
    def all(self) -> list[HallError]:
        return [self, *self.also]

    def _shown(self, text: str) -> str:
        """The value after the message, unless the message writes it itself (``VALUE``)."""
        return f"{text} ({self.value})" if self.value and VALUE not in self.msgid else text

    def localized(self) -> str:
        """The message in the request's language."""
        from flask_babel import gettext

        params = {**self.params, "value": self.value} if VALUE in self.msgid else self.params
        return self._shown(gettext(self.msgid, **params))


class NotOpenYet(HallError):
    """A report sent before its hall may report (``window``): refused, nothing stored."""

    def __init__(self, opens_at: datetime) -> None:
        super().__init__("sent_at", window.REFUSED, **window.when_params(opens_at))
        self.opens_at = opens_at


def communes_of(event: Event) -> list[OrgUnit]:
    """The communes an event can have halls in (its province's, or its own commune), in
    Vietnamese order of their names."""
    unit = event.org_unit
    if unit.kind == OrgKind.COMMUNE:
        return [unit]
    stmt = select(OrgUnit).where(OrgUnit.parent_id == unit.id, OrgUnit.kind == OrgKind.COMMUNE)
    return sorted_vietnamese(db.session.scalars(stmt.order_by(OrgUnit.code)), key=lambda u: u.name)


def set_bridge_points(
    event: Event, codes: list[str] | str, expected: dict[str, int], now: datetime | None = None
) -> list[BridgePoint]:
    """Create or update the event's halls; unknown or foreign commune codes are refused.

    A hall added once the event is over (``links.event_over`` at ``now``) gets no check-in link:
    one would be born expired. The hall is still worth having: its head count can be typed in
    and platform participants assigned to it, as the organiser reconciles the event afterwards.
    """
    if not event.channel.has_halls:
        raise HallError("event", _l("Only conferences and small groups have halls."))
    allowed = {u.code: u for u in communes_of(event)}
    wanted = list(allowed) if codes == "all" else list(dict.fromkeys(codes))
    unknown = [c for c in [*wanted, *expected] if c not in allowed]
    if unknown:
        raise HallError("communes", _l("Not communes of this event's unit: %(codes)s"),
                        codes=", ".join(unknown))  # fmt: skip
    for code, count in expected.items():
        if not isinstance(count, int) or not 0 <= count <= MAX_HEAD_COUNT:
            raise HallError(f"expected.{code}", _l("Must be a whole number from 0 to %(max)s."),
                            max=dotted(MAX_HEAD_COUNT))  # fmt: skip
    existing = {p.org_unit.code: p for p in points_of(event)}
    now = now or utcnow()
    linked = not event_over(event, now)
    for code in wanted:
        point = existing.get(code)
        if point is None:
            point = BridgePoint(event_id=event.id, org_unit=allowed[code], contact_name="")
            if linked:
                new_link(point, now)
            db.session.add(point)
            existing[code] = point
        if code in expected:
            point.expected_attendance = expected[code]
        elif point.expected_attendance is None:
            point.expected_attendance = 0
    db.session.flush()
    return sorted_vietnamese(existing.values(), key=lambda p: p.org_unit.name)


def points_of(event: Event) -> list[BridgePoint]:
    """The event's halls in Vietnamese order of their communes' names."""
    stmt = select(BridgePoint).where(BridgePoint.event_id == event.id)
    return sorted_vietnamese(db.session.scalars(stmt), key=lambda p: p.org_unit.name)


def parse_attendee(index: int, raw: dict[str, Any]) -> tuple[AttendeeRow | None, list[HallError]]:
    """One row of the attendee sheet, or its problems, each naming the row (1-based) and field.

    The checks themselves are app.attendance.rows', shared with the attendee-sheet import (which
    also writes the name as names are written: "lò văn páo" → "Lò Văn Páo").
    """
    row, problems = check_attendee(raw)
    found = [HallError(f"attendees[{index + 1}].{p.field}", p.message, p.value) for p in problems]
    if found or row is None:
        return None, found
    return row, found


def parse_sent_at(value: Any, field: str = "sent_at") -> datetime | None:
    """A time the page sent (ISO 8601; without an offset it is Vietnam time), or None."""
    if value in (None, ""):
        return None
    try:
        return as_utc(datetime.fromisoformat(str(value)))
    except ValueError:
        example = "2026-03-10T08:30:00+07:00"
        raise HallError(field, _l("An ISO 8601 time, e.g. %(example)s."), example=example) from None


def record_report(
    point: BridgePoint | OpenHall,
    idempotency_key: str,
    head_count: int | None,
    attendees: list[dict[str, Any]],
    now: datetime,
    source: str = "checkin",
    sent_at: datetime | None = None,
    clock: datetime | None = None,
    consent_version: str | None = None,
) -> tuple[Receipt, bool]:
    """Store one submission once: a retry with the same key returns the first, changing nothing.

    ``source`` says who reported: the hall's link ("checkin") or an organiser typing it in.
    The report, and the visit of every attendee on it, is dated when the officer sent it
    (``sent_at`` and the page's ``clock``, see ``sent_time``), not when it arrived (``now``): a
    report queued offline arrives late, and attribution counts enrolments from the visit. The
    hall's head count is its latest-sent report's (``app.halls.figures``), so an earlier press
    arriving late is stored without replacing a later one. ``consent_version`` is the purpose
    text the page showed: every attendee's answer (agreed or not) is recorded against it.

    A report sent before its hall may report (``window``) is refused (``NotOpenYet``).
    ``point``: the hall, as the ORM object or as ``links.open_hall`` opened it (a check-in);
    ``links.ReadAgain`` when its link was not read in this request and this write cannot check it.
    Returns the receipt (``figures.Receipt``: the report and the hall's count with it) and
    whether this call stored it; the caller commits.
    """
    unread = isinstance(point, OpenHall) and point.seen is not None
    key = (idempotency_key or "").strip()
    if not 8 <= len(key) <= 80:
        raise HallError("idempotency_key", _l("8 to 80 characters, the same for every retry."))
    reported_at = sent_time(sent_at, now, clock)
    opens = point.opens_at if isinstance(point, OpenHall) else window.opens_at(point.event)
    if opens is not None and reported_at < opens:  # sent before the hall may report
        if unread:  # the remembered row may be stale: the event may start earlier now
            raise ReadAgain()
        stored = figures.stored_receipt(point.id, key)  # sent in time once, the start moved since
        if stored is None:
            raise NotOpenYet(opens)
        return stored, False
    try:
        rows = _checked(head_count, attendees, consent_version)
    except HallError:  # a retry: the first answer stands, whatever this one carries
        if unread:
            raise ReadAgain() from None
        stored = figures.stored_receipt(point.id, key)
        if stored is None:
            raise
        return stored, False
    visit = Visit(point.event_id, point.id, point.org_unit_id, "checkin", consent_version or "",
                  f"checkin:{point.id}", reported_at)  # fmt: skip
    refs = [f"checkin:{point.id}:{key}:{i + 1}" for i in range(len(rows))]
    alone = None  # a link's report: one statement, its own transaction, where it can be
    if isinstance(point, OpenHall) and not (rows and unread) and prepared.writes_alone():
        people = people_params(rows, visit, refs) if rows else None
        alone = figures.store_alone(point, key, head_count, reported_at, source, people)
    if alone is None and unread:  # only a statement that checks the link may write for it
        raise ReadAgain()
    stored = alone or figures.store_report(point, key, head_count, reported_at, source, len(rows))
    if stored.report_id is None:  # the key is stored already: a retry, or two tabs at once
        receipt = figures.stored_receipt(point.id, key, committed=alone is not None)
        assert receipt is not None  # inserts are never undone but by their whole transaction
        return receipt, False
    receipt = figures.Receipt(stored.report_id, head_count, len(rows), reported_at, stored.latest)
    if alone is not None:  # committed with its rows, the rollups not built: nothing to note
        return receipt, True
    note_hall_counted(db.session, point.id, stored.rollups_ready)  # people present (no ORM)
    if rows:  # without the ORM's objects while no rollup follows them (``insert_attendees``)
        write = add_attendees if stored.rollups_ready else insert_attendees
        write(rows, visit, refs)
    return receipt, True


def _checked(
    head_count: int | None, attendees: list[dict[str, Any]], consent_version: str | None
) -> list[AttendeeRow]:
    """The submission's attendee rows, all valid; or every problem (``HallError.also``)."""
    if head_count is None and not attendees:
        raise HallError("head_count", _l("Send a head count, attendees, or both."))
    if len(attendees) > MAX_ATTENDEES:
        raise HallError("attendees", _l("At most %(max)s rows per submission."),
                        max=dotted(MAX_ATTENDEES))  # fmt: skip
    problems: list[HallError] = []
    if head_count is not None and not 0 <= head_count <= MAX_HEAD_COUNT:
        problems.append(HallError("head_count", _l("Must be between 0 and %(max)s."),
                                  max=dotted(MAX_HEAD_COUNT)))  # fmt: skip
    rows: list[AttendeeRow] = []
    for i, raw in enumerate(attendees):  # all valid, or nothing
        row, found = parse_attendee(i, raw)
        problems += found
        if row is not None:
            rows.append(row)
    if problems:
        raise HallError.every(problems)
    if any(r.consent is not None for r in rows) and purpose(consent_version) is None:
        raise HallError("consent_version", NO_PURPOSE, str(consent_version or "")[:40])
    return rows


def check_rows(attendees: list[dict[str, Any]], consent_version: str | None) -> None:
    """Every problem of these attendee rows (``HallError``), storing nothing: the page without
    JavaScript marks the rows left to correct once their head count went first alone."""
    if attendees:
        _checked(None, attendees, consent_version)


def count_alone(head_count: int | None, error: HallError) -> bool:
    """Whether a refused submission's head count would be stored on its own: it has one, in
    range, and every problem lies in its attendee rows. The page then offers to send the count
    first, as a submission of its own, so a mistyped row does not keep the hall's count from
    the organiser's board during the meeting; the rows are corrected and sent after it."""
    in_rows = all(re.match(r"attendees\b|consent_version$", e.field) for e in error.all)
    return head_count is not None and 0 <= head_count <= MAX_HEAD_COUNT and in_rows


def names_over_count(head_count: int | None, names: int) -> str | None:
    """A warning, not a refusal, when a report names more people than its head count: the count
    may be a typo (1 for 12), or the list may carry people who left; the officer checks."""
    if head_count is None or names <= head_count:
        return None
    from flask_babel import ngettext

    return ngettext(
        "Please check: the list names %(num)s person but the head count is %(n)s. If more people "
        "are in the hall, send the head count again.",
        "Please check: the list names %(num)s people but the head count is %(n)s. If more people "
        "are in the hall, send the head count again.",
        names,
        n=dotted(head_count),
    )


def latest_head_count(point: BridgePoint) -> HeadCount | None:
    """The hall's count: its latest-sent report's, whenever that report arrived (kept on the
    hall's row by ``app.halls.figures``, read from the database rather than the session)."""
    return figures.hall_count(point.id)
