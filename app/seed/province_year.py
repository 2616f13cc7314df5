"""A realistic province-year for benchmarks: communes, events of every channel, their samples,
comments, halls and head counts, people with touches, enrolments and links.

Seeded for a moment (``now``, default the clock): the events starting after it are planned
(scheduled, not started) and have nothing yet, as in a real office (halls check in from two hours
before a start, collectors read nothing before a live starts): no samples, comments, touches,
head counts or enrolments credited through them; halls are registered. Nothing is dated after
the moment. Deterministic for a given ``seed`` and moment.

Personal fields (phone, CCCD, BHXH code, birth date) are left empty (NULL): encrypting a million
values would dominate the run and no report reads them; names come from the sandbox's generator
(``sandbox.people``), as the reports never show them either.

Shapes follow the seeds' figures: a livestream peaks around 100-300 viewers and ends with
1,000-3,000 views; an online conference relays to 20-100 commune halls of 5-60 people; small groups
gather 5-30 people; about half the identified people enrol within a few weeks of a touch.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.identity.names import written_name
from app.identity.text import fold
from app.models import Event, OrgKind, OrgUnit
from app.personal_data import cipher
from app.seed.bulk import insert_rows, next_id, reset_sequences
from app.timeparse import VN, as_utc
from sandbox.people import Names

PROVINCE_CODE = "99"
PROVINCE_NAME = "Tỉnh Mẫu (dữ liệu đo hiệu năng)"
YEAR = 2026
# Share of events per channel (posts are frequent, conferences rare).
CHANNEL_MIX = {"post": 0.40, "small_group": 0.30, "livestream": 0.15, "conference": 0.10,
               "online_conference": 0.05}  # fmt: skip
MESSAGES = ("Tư vấn giúp em với ạ", "Mức đóng thấp nhất là bao nhiêu?", "Hay quá",
            "Cho mình hỏi thủ tục", "Em ở xã bên có tham gia được không?", "Cảm ơn BHXH tỉnh",
            "Đóng 1 lần 5 năm được không ạ", "Like", "Chia sẻ cho mọi người cùng biết")  # fmt: skip


class SeedRefused(RuntimeError):
    """The database already holds events and ``force`` was not given."""


@dataclass
class Sizes:
    communes: int = 100
    events: int = 20_000
    samples: int = 5_000_000
    comments: int = 5_000_000
    people: int = 1_000_000
    enrolments: int = 500_000

    def scaled(self, factor: float) -> Sizes:
        return Sizes(
            max(2, round(self.communes * min(1.0, factor * 10))),
            *(max(1, round(getattr(self, k) * factor)) for k in
              ("events", "samples", "comments", "people", "enrolments")),
        )  # fmt: skip


@dataclass
class Seeded:
    counts: dict[str, int] = field(default_factory=dict)
    province_code: str = PROVINCE_CODE


def _vn(day: date, minutes: int) -> datetime:
    """A Vietnam wall-clock moment (minutes after midnight) as UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes - 420)


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-10 * (x - 0.35)))


def seed_province_year(
    sizes: Sizes, seed: int = 1, force: bool = False, now: datetime | None = None
) -> Seeded:
    """Generate the province-year in the current transaction (the caller commits), as it stands
    at ``now`` (a naive moment is Vietnam time): events after it planned and empty."""
    moment = as_utc(now) or datetime.now(UTC)
    today = moment.astimezone(VN).date()
    s = db.session
    if not force and s.scalar(select(Event.id).limit(1)) is not None:
        raise SeedRefused("the database already has events; pass --force to add a province-year")
    rng = random.Random(seed)
    out = Seeded()
    counts = out.counts
    # -- the province and its communes -------------------------------------------------------
    code = PROVINCE_CODE
    while s.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        code = str(int(code) - 1)  # --force on a seeded database: a fresh province beside it
    out.province_code = code
    root = s.scalar(select(OrgUnit).where(OrgUnit.kind == OrgKind.COUNTRY))
    unit_id = next_id(s, "org_units")
    province_id = unit_id
    prefix = root.path if root is not None else "VN"
    province_path = f"{prefix}/{code}"
    units = [(province_id, code, PROVINCE_NAME, PROVINCE_NAME, "province", "Tỉnh",
              root.id if root else None, province_path, "seed")]  # fmt: skip
    communes: list[int] = []
    for i in range(sizes.communes):
        cid, ccode = unit_id + 1 + i, f"{code}{i + 1:03d}"
        name = f"Xã Mẫu {i + 1}"
        units.append((cid, ccode, name, name, "commune", "Xã", province_id,
                      f"{province_path}/{ccode}", "seed"))  # fmt: skip
        communes.append(cid)
    counts["org_units"] = insert_rows(
        s, "org_units",
        ("id", "code", "name", "short_name", "kind", "division_type", "parent_id", "path",
         "source_version"), units)  # fmt: skip
    # -- campaigns: one per quarter ------------------------------------------------------------
    campaign_id = next_id(s, "campaigns")
    quarters = [(date(YEAR, 3 * q + 1, 1), date(YEAR + (q == 3), (3 * q + 3) % 12 + 1, 1)) for q
                in range(4)]  # fmt: skip
    campaigns = [
        (campaign_id + q, f"BHXH tự nguyện Q{q + 1}/{YEAR}", province_id, "bhxh_tu_nguyen",
         start, end - timedelta(days=1), sizes.enrolments // 8, 90, "")
        for q, (start, end) in enumerate(quarters)
    ]  # fmt: skip
    counts["campaigns"] = insert_rows(
        s, "campaigns",
        ("id", "name", "org_unit_id", "scheme", "starts_on", "ends_on", "goal",
         "attribution_window_days", "description"), campaigns)  # fmt: skip
    # -- events ---------------------------------------------------------------------------------
    event_id = next_id(s, "events")
    channels = list(CHANNEL_MIX)
    weights = list(CHANNEL_MIX.values())
    events: list[tuple[Any, ...]] = []
    by_channel: dict[str, list[tuple[int, date, int]]] = {c: [] for c in channels}  # held
    ahead: dict[str, list[tuple[int, date, int]]] = {c: [] for c in channels}
    for i in range(sizes.events):
        channel = rng.choices(channels, weights)[0]
        day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        at_province = channel == "online_conference" or rng.random() < 0.15
        unit = province_id if at_province else rng.choice(communes)
        cost = {"livestream": 2_000_000, "online_conference": 5_000_000, "conference": 3_000_000,
                "small_group": 300_000, "post": 0}[channel]  # fmt: skip
        cost = int(cost * rng.uniform(0.5, 1.5)) // 1000 * 1000
        start = _vn(day, rng.choice((8 * 60, 9 * 60, 14 * 60, 19 * 60 + 30)))
        eid = event_id + i
        held = start <= moment
        events.append((eid, f"{channel} {i + 1}", channel, "ended" if held else "scheduled",
                       unit, campaign_id + (day.month - 1) // 3, start,
                       start + timedelta(hours=2), cost, "", "seed"))  # fmt: skip
        (by_channel if held else ahead)[channel].append((eid, day, unit))
    counts["events"] = insert_rows(
        s, "events",
        ("id", "title", "channel", "status", "org_unit_id", "campaign_id", "planned_start",
         "planned_end", "cost_vnd", "description", "origin"), events)  # fmt: skip
    # -- targets, samples and comments for the livestreams and posts held --------------------
    target_id = next_id(s, "targets")
    online = [(e, d, "livestream") for e, d, _ in by_channel["livestream"]]
    online += [(e, d, "post") for e, d, _ in by_channel["post"]]
    kinds = {"livestream": "facebook_live", "post": "facebook_post"}
    targets = [(target_id + i, e, kinds[c], f"seed-{e}", {}, "", 0, 0, "ended")
               for i, (e, _, c) in enumerate(online)]  # fmt: skip
    counts["targets"] = insert_rows(
        s, "targets",
        ("id", "event_id", "kind", "external_id", "cursor", "last_error", "failures",
         "calls_used", "status"), targets)  # fmt: skip
    counts["engagement_samples"] = insert_rows(
        s, "engagement_samples",
        ("target_id", "sampled_at", "live_viewers", "views", "reactions_like", "reactions_love",
         "reactions_total", "comments", "shares", "extra"),
        _samples(rng, online, target_id, sizes.samples, moment))  # fmt: skip
    leads: list[tuple[int, int, datetime]] = []  # (comment id, event id, at) picked as leads
    comment_id = next_id(s, "comments")
    counts["comments"] = insert_rows(
        s, "comments",
        ("id", "target_id", "external_id", "author_name", "message", "created_at", "is_lead",
         "lead_intents"),
        _comments(rng, online, target_id, comment_id, sizes.comments, leads, moment))  # fmt: skip
    # -- halls of online conferences, head counts of those held -------------------------------
    hall_id = next_id(s, "bridge_points")
    halls: dict[int, dict[int, int]] = {}  # event -> commune -> hall id
    hall_rows, reports = [], []
    planned = {eid for eid, _, _ in ahead["online_conference"]}
    for eid, day, _ in by_channel["online_conference"] + ahead["online_conference"]:
        chosen = rng.sample(communes, min(len(communes), rng.randint(20, 100)))
        halls[eid] = {}
        for commune in chosen:
            halls[eid][commune] = hall_id
            hall_rows.append((hall_id, eid, commune, rng.randint(10, 60), ""))
            if eid in planned:
                hall_id += 1
                continue
            first = rng.randint(5, 60)
            start = _vn(day, 8 * 60)
            reports.append((hall_id, first, start, f"seed-{hall_id}-1", "checkin", 0))
            if rng.random() < 0.5:
                reports.append((hall_id, first + rng.randint(0, 10), start + timedelta(minutes=30),
                                f"seed-{hall_id}-2", "checkin", 0))  # fmt: skip
            hall_id += 1
    counts["bridge_points"] = insert_rows(
        s,
        "bridge_points",
        ("id", "event_id", "org_unit_id", "expected_attendance", "contact_name"),
        hall_rows,
    )
    counts["attendance_reports"] = insert_rows(
        s, "attendance_reports",
        ("bridge_point_id", "head_count", "reported_at", "idempotency_key", "source",
         "attendees"), reports)  # fmt: skip
    # -- people and their touches ---------------------------------------------------------------
    person_id = next_id(s, "people")
    gatherings = [(e, d, u, c) for c in ("small_group", "conference", "online_conference")
                  for e, d, u in by_channel[c]]  # fmt: skip
    people_rows, touches = [], []
    names = Names(rng)
    first_touch: dict[int, date] = {}
    lead_iter = iter(leads)
    for i in range(sizes.people):
        pid = person_id + i
        commune = rng.choice(communes)
        name = written_name(names.name().full)  # stored as every path stores a person's
        people_rows.append(
            (pid, name, fold(name), commune, rng.randint(1960, 2005), "", "", "seed")
        )
        seen: set[int] = set()
        lead = next(lead_iter, None) if rng.random() < 0.1 else None
        if lead is not None:
            touches.append((pid, lead[1], None, "comment", f"comment {lead[0]}", lead[2]))
            seen.add(lead[1])
            first_touch[pid] = lead[2].date()
        for _ in range(1 + int(rng.expovariate(1.6))):
            if not gatherings:
                break
            eid, day, _unit, channel = rng.choice(gatherings)
            if eid in seen:
                continue
            seen.add(eid)
            hall = halls.get(eid, {}).get(commune) if channel == "online_conference" else None
            at = _vn(day, 9 * 60)
            touches.append((pid, eid, hall, "sheet", "seed", at))
            first_touch[pid] = min(first_touch.get(pid, day), day)
    counts["people"] = insert_rows(
        s, "people",
        ("id", "full_name", "name_folded", "commune_id", "birth_year", "commune_text", "hamlet",
         "consent_source"), people_rows)  # fmt: skip
    counts["attendances"] = insert_rows(
        s, "attendances",
        ("person_id", "event_id", "bridge_point_id", "source", "source_ref", "touched_at"),
        touches)  # fmt: skip
    # -- enrolments and their links -------------------------------------------------------------
    batch_id = next_id(s, "import_batches")
    insert_rows(s, "import_batches",
                ("id", "kind", "filename", "sha256", "org_unit_id", "rows_total", "rows_ok",
                 "rows_rejected", "report", "created_at"),
                [(batch_id, "enrolments", "seed.xlsx", f"{seed:064x}"[-64:], province_id,
                  sizes.enrolments, sizes.enrolments, 0, {}, moment)])  # fmt: skip
    touched = list(first_touch.items())
    rng.shuffle(touched)
    enrol_id = next_id(s, "enrolments")
    enrolments, links = [], []
    people_commune = {p[0]: p[3] for p in people_rows}
    for pid, day in touched:
        if len(enrolments) >= sizes.enrolments:
            break
        paid = day + timedelta(days=int(rng.expovariate(1 / 20)))
        if paid > today:  # not paid yet at the moment: no payment list has it
            continue
        i = len(enrolments)
        eid = enrol_id + i
        enrolments.append((eid, batch_id, i + 2, f"seed-{seed}-{eid}", province_id,
                           people_commune[pid], "bhxh_tu_nguyen", rng.random() < 0.9, paid,
                           rng.choice((1_485_000, 2_970_000)), "", "", "", "", ""))  # fmt: skip
        status = "linked" if rng.random() < 0.95 else "review"
        links.append((pid, eid, "phone", 1.0, status, moment))
    counts["enrolments"] = insert_rows(
        s, "enrolments",
        ("id", "import_batch_id", "source_row", "row_key", "org_unit_id", "commune_id", "scheme",
         "is_new", "paid_on", "amount_vnd", "payment_method", "agent_name", "full_name",
         "name_folded", "commune_text"), enrolments)  # fmt: skip
    counts["links"] = insert_rows(
        s, "links", ("person_id", "enrolment_id", "method", "score", "status", "created_at"),
        links)  # fmt: skip
    reset_sequences(s, ("org_units", "campaigns", "events", "targets", "comments",
                        "bridge_points", "people", "import_batches", "enrolments"))  # fmt: skip
    return out


def _samples(
    rng: random.Random,
    online: list[tuple[int, date, str]],
    first_target: int,
    total: int,
    moment: datetime,
) -> Iterator[tuple[Any, ...]]:
    """Livestreams sampled every minute (viewers rise then fall, views grow on an S-curve);
    posts sampled hourly (views grow fast the first day, then slowly); none after ``moment``."""
    if not online:
        return
    per = max(2, total // len(online))
    remaining = total
    for i, (_eid, day, channel) in enumerate(online):
        n = min(per, remaining) if i < len(online) - 1 else remaining
        if n <= 0:
            break
        remaining -= n
        target = first_target + i
        start = _vn(day, 19 * 60 + 30)
        live = channel == "livestream"
        final_views = rng.randint(1000, 3000) if live else rng.randint(100, 2000)
        final_reactions = int(final_views * rng.uniform(0.2, 0.5))
        peak = rng.randint(80, 300)
        step = timedelta(minutes=1) if live else timedelta(hours=1)
        for k in range(n):
            if start + k * step > moment:
                break
            x = (k + 1) / n
            grown = _logistic(x) if live else 1 - math.exp(-5 * x)
            reactions = int(final_reactions * grown)
            viewers = int(peak * math.sin(math.pi * min(x * 1.2, 1.0))) if live else None
            yield (target, start + k * step, viewers, int(final_views * grown),
                   int(reactions * 0.8), reactions - int(reactions * 0.8), reactions,
                   None, int(final_reactions * 0.15 * grown), {})  # fmt: skip


def _comments(
    rng: random.Random,
    online: list[tuple[int, date, str]],
    first_target: int,
    first_id: int,
    total: int,
    leads: list[tuple[int, int, datetime]],
    moment: datetime,
) -> Iterator[tuple[Any, ...]]:
    """Comments over a livestream's two hours or a post's three days, none after ``moment``."""
    if not online:
        return
    per = max(1, total // len(online))
    cid = first_id
    # The column holds ciphertext (written here below the ORM); one per stock message is enough.
    sealed = {text: cipher().encrypt(text) for text in MESSAGES}
    names = Names(rng)
    remaining = total
    for i, (eid, day, channel) in enumerate(online):
        n = min(per, remaining) if i < len(online) - 1 else remaining
        if n <= 0:
            break
        remaining -= n
        start = _vn(day, 19 * 60 + 30)
        span = 120 if channel == "livestream" else 60 * 24 * 3
        for _k in range(n):
            at = start + timedelta(minutes=rng.randrange(span))
            lead = rng.random() < 0.02
            if at > moment:
                continue
            if lead:
                leads.append((cid, eid, at))
            drawn = names.name()
            name = f"{drawn.surname} {drawn.given}"
            yield (cid, first_target + i, f"c{cid}", name, sealed[rng.choice(MESSAGES)], at, lead,
                   ["advice"] if lead else [])  # fmt: skip
            cid += 1
