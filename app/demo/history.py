"""The demo's past events with the figures they would have gathered, so a newcomer's reports,
campaign pages and follow-up lists are filled on the first visit, not only the live event's.

Each past event gets what its channel leaves behind, written through the app's own paths where it
has them: the livestream and the fanpage post their samples and comments (as a finished target),
the online conference its halls and their head counts (``services.record_report``, 932 people in
39 communes, as in the seed article), the conference and the small group their attendee sheets
(``add_attendees``). Some of the people met enrol in the weeks after, in an enrolment export
stored as an import would store it. The lead comments make their authors people, as a collected
batch does (``register_comment_leads``), so the channels page has no lead left uncounted; then
``run_linkage`` links everyone as it does after every import: by phone, and by name, year and
commune where a row was typed without accents under a relative's phone (a few of those wait in
the review queue). A few enrol with a phone we never saw, so the follow-up also shows people it
could not link. Deterministic: one seed, the same people every time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.attendance.lead_people import register_comment_leads
from app.attendance.rows import AttendeeRow, Visit, add_attendees
from app.collection.writer import comment_row
from app.consent import CURRENT
from app.extensions import db
from app.followup.linking import run_linkage
from app.halls import services
from app.identity.births import BirthPrecision
from app.identity.names import written_name
from app.identity.phones import normalize_phone
from app.identity.text import fold
from app.models import (
    Attendance,
    BridgePoint,
    Channel,
    Comment,
    EngagementSample,
    Enrolment,
    Event,
    ImportBatch,
    OrgUnit,
    Participant,
    Person,
    Scheme,
    Target,
)
from app.post_reach import REACH_KEY
from app.timeparse import VN, as_utc
from collectors.base import CommentRecord
from sandbox.people import Names, plain

SEED = 1700
LIVE_VIEWS, LIVE_PEAK = 1_700, 180  # the seed article's monthly livestream
# The post collector reads Facebook's post_total_media_view_unique by default (app.post_reach), so
# the demo's post has it too: about 7 in 10 of its 640 views are distinct people (448).
POST_REACH_SHARE = 0.7
CONFERENCE_PEOPLE, CONFERENCE_HALLS = 932, 39  # and its online conference
NEAR = 4  # people met who enrolled under another phone: pairs for the review queue
MEETING_HALLS = 36  # the other three only reported from the phone
MOBILE_PREFIXES = ("90", "91", "93", "94", "96", "97", "98", "86", "88", "89", "32", "35", "38",
                   "70", "77", "79", "81", "83", "85")  # fmt: skip
QUESTIONS = (
    "Cho em hỏi mức đóng BHXH tự nguyện thấp nhất là bao nhiêu ạ?",
    "Đóng một lần cho 5 năm được không ạ?",
    "Mẹ em 58 tuổi còn tham gia được không?",
    "Thông tin rất hữu ích, cảm ơn BHXH tỉnh",
    "Hỗ trợ của Nhà nước cho hộ nghèo là bao nhiêu phần trăm?",
    "Em ở xã khác có đăng ký ở đây được không?",
    "Chia sẻ cho mọi người cùng biết",
    "Hay quá ạ",
)


@dataclass(frozen=True)
class PastFigures:
    """What ``fill`` wrote: enough for a test to check the pages show it."""

    people: int
    enrolments: int
    linked: int


def fill(
    province: OrgUnit,
    events: Sequence[Event],
    communes: Sequence[OrgUnit],
    today: date,
    now: datetime,
) -> PastFigures:
    """Figures for every ended event of ``events``, in the session's transaction (the caller
    commits); ``communes`` are the province's, by code. Nothing is read after ``now``: a post
    put up three days ago has its samples up to this moment, not the 72 hours it will be read."""
    rng = random.Random(SEED)
    names = Names(rng)
    db.session.flush()  # the events' ids
    people: list[tuple[Person, date]] = []
    for event in events:
        if event.actual_start is None:
            continue  # still to come
        if event.channel == Channel.LIVESTREAM:
            _online(rng, names, event, "facebook_live", LIVE_VIEWS, minutes=120, now=now)
        elif event.channel == Channel.POST:
            _online(rng, names, event, "facebook_post", 640, minutes=72 * 60, now=now)
        elif event.channel == Channel.ONLINE_CONFERENCE:
            people += _halls(rng, names, event, [c for c in communes if c.division_type == "Xã"])
        elif event.channel in (Channel.CONFERENCE, Channel.SMALL_GROUP):
            size = 64 if event.channel == Channel.CONFERENCE else 18
            people += _sheet(rng, names, event, size)
    enrolled = _enrolments(rng, names, people, province, today)
    now = as_utc(datetime.combine(today, datetime.min.time()))
    register_comment_leads(now)  # collected comments are people as they are stored
    run = run_linkage(now)
    return PastFigures(len(people), enrolled, sum(run.new_links.values()))


def _online(
    rng: random.Random,
    names: Names,
    event: Event,
    kind: str,
    views: int,
    minutes: int,
    now: datetime,
) -> None:
    """A finished target with its samples (viewers rise and fall, views grow) and comments, read
    until ``minutes`` after the start or ``now``, whichever comes first."""
    start = event.actual_start
    assert start is not None
    live = kind == "facebook_live"
    video = f"{rng.randrange(10**15, 10**16)}"  # a Facebook video id's shape
    target = _finished(event, kind, video, min(start + timedelta(minutes=minutes), now))
    step = 1 if live else 60
    reactions, shares = int(views * 0.31), int(views * 0.04)
    count = minutes // step
    comments = 46 if live else 12
    for k in range(count + 1):
        x = k / count
        grown = 1 / (1 + math.exp(-10 * (x - 0.35))) if live else 1 - math.exp(-5 * x)
        if k == count:
            grown = 1.0
        viewers = round(LIVE_PEAK * math.sin(math.pi * min(x * 1.15, 1.0))) if live else None
        if start + timedelta(minutes=k * step) > now:
            break  # not read yet
        db.session.add(EngagementSample(
            target_id=target.id, sampled_at=start + timedelta(minutes=k * step),
            live_viewers=viewers, views=round(views * grown),
            reactions_like=round(reactions * grown * 0.8), reactions_total=round(reactions * grown),
            reactions_love=round(reactions * grown) - round(reactions * grown * 0.8),
            comments=round(comments * grown), shares=round(shares * grown),
            extra={} if live else {REACH_KEY: round(views * POST_REACH_SHARE * grown)},
        ))  # fmt: skip
    for i in range(comments):
        drawn = names.name()
        message = rng.choice(QUESTIONS)
        if i % 5 == 0:  # some viewers leave a number to be called back
            message += f" Sđt em 0{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
        record = CommentRecord(
            external_id=f"demo-{event.id}-{i}", message=message,
            created_at=min(start + timedelta(minutes=rng.randrange(min(minutes, 150))), now),
            author_name=f"{drawn.surname} {drawn.given}",
        )  # fmt: skip
        # Stored as a collector stores it: the same scan marks questions and phones as leads.
        db.session.add(Comment(**comment_row(target.id, record)))


def _finished(event: Event, kind: str, external_id: str, at: datetime) -> Target:
    """A target read to its end at ``at``: the scheduler leaves it alone."""
    target = Target(event_id=event.id, kind=kind, external_id=external_id, cursor={}, failures=0,
                    calls_used=0, last_error="", status="ended", last_success_at=at,
                    finished_at=at)  # fmt: skip
    db.session.add(target)
    db.session.flush()
    return target


def _halls(
    rng: random.Random, names: Names, event: Event, communes: Sequence[OrgUnit]
) -> list[tuple[Person, date]]:
    """39 halls reporting 932 people, a few of them by name; the named people with the day."""
    start = event.actual_start
    assert start is not None
    chosen = list(communes[:CONFERENCE_HALLS])
    counts = _split(rng, CONFERENCE_PEOPLE, len(chosen))
    expected = {c.code: n + rng.randint(-3, 8) for c, n in zip(chosen, counts, strict=True)}
    # Chosen before the conference, as organisers do: the halls had their links then.
    added = start - timedelta(days=3)
    points = services.set_bridge_points(event, [c.code for c in chosen], expected, now=added)
    by_unit = {p.org_unit_id: p for p in points}
    _meeting(rng, event, [by_unit[c.id] for c in chosen[:MEETING_HALLS]])
    for index, (commune, count) in enumerate(zip(chosen, counts, strict=True)):
        point = by_unit[commune.id]
        at = start + timedelta(minutes=10 + rng.randrange(25))
        named = [_attendee(rng, names) for _ in range(6)] if index < 8 else []
        services.record_report(point, f"demo-past-{point.id}-1", max(0, count - 4), [], at)
        services.record_report(point, f"demo-past-{point.id}-2", count,
                               [_form_fields(r) for r in named], at + timedelta(minutes=20),
                               consent_version=CURRENT)  # fmt: skip
    day = start.astimezone(VN).date()
    return [(person, day) for person in _people_of(event)]


def _meeting(rng: random.Random, event: Event, points: Sequence[BridgePoint]) -> None:
    """The Zoom meeting the halls joined: most once, some dropping and rejoining; and the
    organiser's own connections, which match no hall."""
    start, end = event.actual_start, event.actual_end
    assert start is not None
    assert end is not None
    meeting = _finished(event, "zoom_meeting", str(rng.randrange(84 * 10**9, 89 * 10**9)), end)
    for point in points:
        joined = start - timedelta(minutes=rng.randint(2, 15))
        sessions = [(joined, end)]
        if rng.random() < 0.2:  # the commune's connection dropped once
            drop = start + timedelta(minutes=rng.randint(20, 90))
            sessions = [(joined, drop), (drop + timedelta(minutes=rng.randint(1, 6)), end)]
        name = f"Điểm cầu {point.org_unit.name}"
        for at, left in sessions:
            db.session.add(Participant(target_id=meeting.id, participant_key=f"hall-{point.id}",
                                       display_name=name, joined_at=at, left_at=left,
                                       bridge_point_id=point.id, detail={}))  # fmt: skip
    for key, name in enumerate((f"BHXH {event.org_unit.short_name}", "iPhone của Lan")):
        db.session.add(Participant(target_id=meeting.id, participant_key=f"organiser-{key}",
                                   display_name=name, joined_at=start - timedelta(minutes=20),
                                   left_at=end, detail={}))  # fmt: skip


def _form_fields(row: AttendeeRow) -> dict[str, str]:
    """The check-in form's fields of an attendee row."""
    return {"name": row.full_name, "birth": row.birth or "", "phone": row.phone or "",
            "hamlet": row.hamlet, "consent": "yes"}  # fmt: skip


def _sheet(rng: random.Random, names: Names, event: Event, size: int) -> list[tuple[Person, date]]:
    """An attendee sheet of ``size`` rows, as its import stores them."""
    start = event.actual_start
    assert start is not None
    rows = [_attendee(rng, names) for _ in range(size)]
    visit = Visit(event.id, None, event.org_unit_id, "sheet", CURRENT, "sheet:demo", start)
    refs = [f"sheet:demo-{event.id}:{i + 2}" for i in range(size)]
    day = start.astimezone(VN).date()
    return [(p, day) for p in add_attendees(rows, visit, refs)]


def _attendee(rng: random.Random, names: Names) -> AttendeeRow:
    year = rng.randint(1965, 2002)
    phone = _phone(rng) if rng.random() < 0.85 else None
    # As a sheet's row is stored (``check_attendee``): the name as names are written.
    return AttendeeRow(full_name=written_name(names.name().full), birth=str(year),
                       birth_precision=BirthPrecision.YEAR,
                       birth_year=year, phone=phone, cccd=None,
                       hamlet=f"Thôn {rng.randint(1, 12)}", consent=True)  # fmt: skip


def _phone(rng: random.Random) -> str:
    """A mobile number the app's phone rules accept (a real network's prefix), in E.164."""
    while True:
        number = f"+84{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
        if normalize_phone(number) == number:
            return number


def _people_of(event: Event) -> list[Person]:
    stmt = select(Person).join(Attendance, Attendance.person_id == Person.id)
    return list(db.session.scalars(stmt.where(Attendance.event_id == event.id)))


def _enrolments(
    rng: random.Random,
    names: Names,
    people: list[tuple[Person, date]],
    province: OrgUnit,
    today: date,
) -> int:
    """About four in ten people met enrol 3–40 days later (never after today); a few strangers."""
    batch = ImportBatch(kind="enrolments", filename="danh-sach-tham-gia-moi.xlsx",
                        sha256=f"{SEED:064x}", org_unit_id=province.id,
                        created_at=as_utc(datetime.combine(today, datetime.min.time())),
                        report={})  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    rows: list[Enrolment] = []
    others: list[tuple[Person, date]] = []
    for person, met in people:
        paid = met + timedelta(days=rng.randint(3, 40))
        if person.phone is None or rng.random() > 0.42 or paid > today:
            others.append((person, paid))
            continue
        rows.append(_enrolment(batch, len(rows), person.full_name, person.phone,
                               person.birth_year, person.commune_id, paid, rng))  # fmt: skip
    for person, paid in others[:: max(1, len(others) // NEAR)][:NEAR]:
        # typed without accents under a relative's phone, a year off: a pair to review
        year = person.birth_year + 1 if person.birth_year else None
        rows.append(_enrolment(batch, len(rows), plain(person.full_name), _phone(rng), year,
                               person.commune_id, min(paid, today), rng))  # fmt: skip
    homes = sorted({p.commune_id for p, _ in people if p.commune_id is not None})
    for _ in range(9):  # enrolled after hearing of it elsewhere: nobody to link them to
        year = rng.randint(1965, 2002)
        paid = today - timedelta(days=rng.randint(1, 30))
        home = rng.choice(homes) if homes else None
        rows.append(_enrolment(batch, len(rows), names.name().full,
                               _phone(rng), year, home, paid, rng))  # fmt: skip
    db.session.add_all(rows)
    batch.rows_total = batch.rows_ok = len(rows)
    db.session.flush()
    return len(rows)


def _enrolment(
    batch: ImportBatch,
    index: int,
    name: str,
    phone: str,
    year: int | None,
    commune_id: int | None,
    paid: date,
    rng: random.Random,
) -> Enrolment:
    scheme = Scheme.BHXH_TU_NGUYEN if rng.random() < 0.7 else Scheme.BHYT_HO_GIA_DINH
    amount = 1_485_000 if scheme == Scheme.BHXH_TU_NGUYEN else 1_263_600
    enrolment = Enrolment(
        import_batch_id=batch.id, source_row=index + 2, row_key=f"demo-{SEED}-{index}",
        org_unit_id=batch.org_unit_id, commune_id=commune_id, commune_text="",
        full_name=name, name_folded=fold(name), birth_year=year,
        birth_date=str(year) if year else None, scheme=scheme, is_new=True, paid_on=paid,
        amount_vnd=amount, payment_method="Chuyển khoản", agent_name="",
    )  # fmt: skip
    enrolment.set_identifiers(phone=phone)
    return enrolment


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` uneven whole shares (halls of 5 to 60 people)."""
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return shares
