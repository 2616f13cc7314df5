"""The alerts tick under a busy morning: several conferences' halls, livestreams, at once.

    .venv/bin/python bench/alerts.py [--conferences 8] [--backends sqlite,postgresql] [--repeat 20]

Every commune of Nghệ An is a hall of each of ``conferences`` online conferences under way (about
130 halls each); two thirds of the halls joined (a participant session each), a tenth of those
left 8 minutes ago. The tick (``app.collection.scheduler.alerts_tick``: evaluate every watched
event, then send what is owed, no recipients here) is timed at 20 minutes after the start: the
first tick opens every alert, later ticks find nothing new. Prints p50/p95 and SQL statements
per steady tick.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import bench_app  # noqa: E402

START = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
NOW = START + timedelta(minutes=20)


def seed(conferences: int) -> int:
    from sqlalchemy import select

    from app.collection.targets import add_target
    from app.extensions import db
    from app.halls import services
    from app.models import Channel, Event, OrgUnit, Participant, Platform, PlatformAccount

    province = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "40")).one()
    account = PlatformAccount(platform=Platform.ZOOM, name="Zoom", org_unit=province,
                              credentials={"access_token": "x"})  # fmt: skip
    db.session.add(account)
    halls = 0
    for n in range(conferences):
        event = Event(title=f"Hội nghị {n}", channel=Channel.ONLINE_CONFERENCE, org_unit=province,
                      planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
        db.session.add(event)
        db.session.flush()
        target = add_target(event.id, "zoom_meeting", f"m{n}", account_id=account.id)
        target.status = "live"
        points = services.set_bridge_points(event, "all", {})
        for i, point in enumerate(points):
            if i % 3 == 0:
                continue  # never joined
            left = START + timedelta(minutes=12) if i % 10 == 1 else None
            joined = START + timedelta(minutes=2)
            db.session.add(Participant(target_id=target.id, participant_key=f"{n}-{i}",
                                       display_name=point.org_unit.name, bridge_point_id=point.id,
                                       joined_at=joined, left_at=left))  # fmt: skip
        halls += len(points)
    db.session.commit()
    return halls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conferences", type=int, default=8)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from sqlalchemy import event as sa_event
    from sqlalchemy import func, select

    from app.alerts.engine import evaluate
    from app.alerts.outbox import deliver_due
    from app.extensions import db
    from app.models import Alert

    for backend in args.backends.split(","):
        with bench_app(backend):
            halls = seed(args.conferences)
            began = time.perf_counter()
            evaluate(NOW)
            deliver_due(NOW)
            first = time.perf_counter() - began
            opened = db.session.scalar(select(func.count()).select_from(Alert))
            statements: list[int] = []

            def listener(*_args: object, counted: list[int] = statements, **_kw: object) -> None:
                counted.append(1)

            sa_event.listen(db.engine, "before_cursor_execute", listener)
            times = []
            for i in range(args.repeat):
                statements.clear()
                began = time.perf_counter()
                evaluate(NOW + timedelta(seconds=15 * (i + 1)))
                deliver_due(NOW)
                times.append(time.perf_counter() - began)
            sa_event.remove(db.engine, "before_cursor_execute", listener)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"{backend}: {args.conferences} conferences, {halls} halls, {opened} alerts "
                  f"opened by the first tick in {first * 1000:.0f} ms; steady tick "
                  f"p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                  f"{len(statements)} SQL statements")  # fmt: skip


if __name__ == "__main__":
    main()
