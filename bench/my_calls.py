"""What "My calls" (``app.followup.my_calls``) costs at a province's size: ms per page read.

A province's ``--events`` conferences, each with ``--attendees`` attendees who agreed (a phone each,
living in one of the province's communes, many coming back to several events) and ``--leads``
commenters made people; a tenth of them worked (a status, some a call-back date, some held). The
province's officer and a commune's officer read their first and last pages of free leads; each
figure is the median of ``--repeat`` reads of the whole ``my_calls`` (both sections, counts and
rows).

    .venv/bin/python bench/my_calls.py [--backends sqlite,postgresql] [--events 40]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from bench._setup import bench_app  # noqa: E402

START = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 20, 3, 0, tzinfo=UTC)


def _world(args: argparse.Namespace) -> tuple[int, int]:
    """The province's events, people, touches and lead work; (province officer, commune's)."""
    from app.consent import CURRENT, PUBLIC_COMMENT
    from app.extensions import db
    from app.models import (
        Attendance,
        Channel,
        Event,
        LeadStatus,
        LeadWork,
        OrgKind,
        OrgUnit,
        Person,  # fmt: skip
        Role,
        User,
    )
    from app.personal_data import indexed

    rng = random.Random(11)
    province = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
    communes = list(
        db.session.scalars(sa.select(OrgUnit.id).where(OrgUnit.kind == OrgKind.COMMUNE))
    )
    users = [User(email=f"{n}@bench", password_hash="x", role=Role.OFFICER, org_unit_id=unit)
             for n, unit in (("province", province.id), ("commune", communes[0]))]  # fmt: skip
    db.session.add_all(users)
    events = []
    for e in range(args.events):
        event = Event(title=f"Hội nghị {e}", channel=Channel.ONLINE_CONFERENCE,
                      org_unit=province, cost_vnd=0, description="",
                      planned_start=START + timedelta(days=5 * e))  # fmt: skip
        db.session.add(event)
        events.append(event)
    db.session.flush()
    # People come back to several events; a fifth of them are commenters.
    pool = max(args.events * (args.attendees + args.leads) // 3, 5 * args.leads, 2 * args.attendees)
    people = []
    for i in range(pool):
        lead = i % 5 == 0
        consent = {"consent_agreed": None if lead else True,
                   "consent_at": None if lead else START,
                   "consent_version": None if lead else CURRENT}  # fmt: skip
        people.append(dict(full_name=f"Người {i}", name_folded=f"nguoi {i}", hamlet="",
                           commune_text="", commune_id=communes[i % len(communes)],
                           legal_basis=PUBLIC_COMMENT if lead else None,
                           created_at=START, updated_at=START,
                           **consent, **indexed(phone=f"+8498{i:07d}")))  # fmt: skip
    db.session.execute(sa.insert(Person.__table__), people)
    ids = list(db.session.scalars(sa.select(Person.id).order_by(Person.id)))
    leads, attendees = ids[::5], [p for n, p in enumerate(ids) if n % 5]
    from app.collection.targets import add_target
    from app.models import Comment

    targets = {
        event.id: add_target(event.id, "facebook_live", f"live-{event.id}") for event in events
    }
    db.session.flush()
    touches, work, comments = [], [], []
    for event in events:
        seen = [(p, "sheet") for p in rng.sample(attendees, args.attendees)]
        seen += [(p, "comment") for p in rng.sample(leads, args.leads)]
        for person, source in seen:
            touches.append(dict(person_id=person, event_id=event.id, source=source,
                                source_ref="", touched_at=event.planned_start))  # fmt: skip
            if source == "comment":
                comments.append(dict(target_id=targets[event.id].id, external_id=f"c{person}",
                                     author_name=f"Người {person}", message="tư vấn giúp em",
                                     created_at=event.planned_start, is_lead=True,
                                     lead_intents=["consult"], person_id=person))  # fmt: skip
            if rng.random() < 0.1:
                work.append(dict(person_id=person, event_id=event.id, notes="",
                                 status=rng.choice(list(LeadStatus)),
                                 next_call_on=rng.choice([None, date(2026, 12, 25)]),
                                 assignee_id=rng.choice([None, users[0].id]),
                                 created_at=NOW, updated_at=NOW))  # fmt: skip
    db.session.execute(sa.insert(Attendance.__table__), touches)
    db.session.execute(sa.insert(LeadWork.__table__), work)
    db.session.execute(sa.insert(Comment.__table__), comments)
    db.session.commit()
    return users[0].id, users[1].id


def run(backend: str, args: argparse.Namespace) -> None:
    from app.extensions import db
    from app.followup.my_calls import my_calls
    from app.models import User

    with bench_app(backend):
        province, commune = _world(args)
        if backend == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        for label, user_id in (("province officer", province), ("commune officer", commune)):
            user = db.session.get(User, user_id)
            last = my_calls(user, NOW).free.pages or _last_page(user)
            for page in (1, last):
                ms = []
                for _ in range(args.repeat):
                    began = time.perf_counter()
                    calls = my_calls(user, NOW, free_page=page)
                    ms.append((time.perf_counter() - began) * 1000)
                    db.session.rollback()
                free = calls.free.total if calls.free.pages else "over 1000"
                print(f"{backend:10} {label:17} free page {page:>4} of {last:>4} "
                      f"({free} free, {calls.held.total} held): "
                      f"median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms")  # fmt: skip


def _last_page(user: object) -> int:
    """The free leads' last page when the counts stop at the cap: the last page with rows."""
    from app.followup.my_calls import my_calls

    low, high = 1, 2
    while my_calls(user, NOW, free_page=high).free.rows:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (
            (middle, high) if my_calls(user, NOW, free_page=middle).free.rows else (low, middle)
        )
    return low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--attendees", type=int, default=1500)
    parser.add_argument("--leads", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend, args)


if __name__ == "__main__":
    main()
