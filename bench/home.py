"""The home screen on a seeded province-year, for the province's manager and a commune officer.

    .venv/bin/python bench/home.py --scale 0.1 [--backends sqlite,postgresql] [--repeat 30]

Seeds ``flask seed province-year`` at ``scale`` (1.0 = 100 communes, 20,000 events, 5 M samples,
5 M comments, 1 M people, 500,000 enrolments) into a fresh database per backend, then sets up a
busy morning at 10:00 on 25/11/2026 (Vietnam time): three livestreams (with their samples and
comments) and two online conferences (with their halls; a third of one's halls silent) under
way, five targets paused, an account failing and one whose token runs out in three days.
PostgreSQL is then vacuumed and analysed, as autovacuum keeps a database in use (right after a
bulk load its planner has no statistics). The home screen is read at that moment (the page's
clock is set to it), and times are p50/p95 over ``repeat`` calls:

- ``home_for`` (the read model alone) and ``GET /`` (the whole page), with the SQL statements
  one page costs, for the manager and for a commune officer whose commune is a hall of both
  conferences;
- ``GET /events`` (the list, now with the events a commune takes part in) and the commune
  officer's part of a conference (``GET /events/<id>``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import bench_app  # noqa: E402
from bench.reports import pct  # noqa: E402

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def timed(client: Any, url: str, params: dict[str, str], headers: dict[str, str], n: int) -> str:
    """p50 and p95 of ``n`` GETs of ``url`` in ms; what failed instead, as a figure, not a crash."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        try:
            response = client.get(url, query_string=params, headers=headers)
        except Exception as exc:
            from app.extensions import db

            db.session.rollback()
            return f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return f"HTTP {response.status_code}: {response.get_data(as_text=True)[:120]!r}"
    return f"p50 {statistics.median(times):8.1f} ms   p95 {pct(times, 0.95):8.1f} ms  (n={n})"


def busy_morning(province_code: str) -> tuple[list[int], int]:
    """Put five of the seeded events under way at NOW; return the conferences and a hall's unit."""
    from sqlalchemy import delete, select, update

    from app.extensions import db
    from app.halls import figures
    from app.models import (
        AttendanceReport,
        BridgePoint,
        Event,
        EventStatus,
        OrgUnit,
        Platform,
        PlatformAccount,
        Target,
    )

    province = db.session.scalars(select(OrgUnit).where(OrgUnit.code == province_code)).one()
    under_way = []
    for channel, n in (("livestream", 3), ("online_conference", 2)):
        under_way += db.session.scalars(
            select(Event.id)
            .where(Event.channel == channel, Event.org_unit_id == province.id)
            .order_by(Event.id)
            .limit(n)
        ).all()
    db.session.execute(
        update(Event)
        .where(Event.id.in_(under_way))
        .values(status=EventStatus.LIVE, planned_start=NOW - timedelta(hours=1),
                actual_start=NOW - timedelta(hours=1), planned_end=NOW + timedelta(hours=1))
    )  # fmt: skip
    db.session.execute(update(Target).where(Target.event_id.in_(under_way)).values(status="live"))
    failing = PlatformAccount(platform=Platform.FACEBOOK, name="Fanpage", org_unit=province,
                              credentials={"access_token": "x"}, health="auth_expired",
                              health_detail="", rate_limit_usage={})  # fmt: skip
    expiring = PlatformAccount(platform=Platform.FACEBOOK, name="Trang xã", org_unit=province,
                               credentials={"access_token": "y",
                                            "expires_at": (NOW + timedelta(days=3)).isoformat()},
                               health="ok", health_detail="", rate_limit_usage={})  # fmt: skip
    db.session.add_all([failing, expiring])
    paused = db.session.scalars(select(Target.id).order_by(Target.id.desc()).limit(5)).all()
    db.session.execute(
        update(Target).where(Target.id.in_(paused)).values(paused_reason="auth_expired")
    )
    conferences = under_way[3:]
    silent = select(BridgePoint.id).where(BridgePoint.event_id == conferences[1],
                                          BridgePoint.id % 3 == 0)  # fmt: skip
    db.session.execute(delete(AttendanceReport).where(AttendanceReport.bridge_point_id.in_(silent)))
    figures.recount(db.session.scalars(silent))  # a bulk delete: the halls' figures follow
    shared = db.session.scalars(
        select(BridgePoint.org_unit_id)
        .where(BridgePoint.event_id == conferences[0])
        .intersect(select(BridgePoint.org_unit_id).where(BridgePoint.event_id == conferences[1]))
    ).first()
    db.session.commit()
    return conferences, int(shared)


def run(backend: str, scale: float, repeat: int) -> None:
    import sqlalchemy as sa

    from app.extensions import db
    from app.home import queries, routes
    from app.models import OrgUnit, User
    from app.seed.province_year import Sizes, seed_province_year
    from tests.conftest import Factory, FreshContextClient, login

    with bench_app(backend) as app:
        sizes = Sizes().scaled(scale)
        started = time.perf_counter()
        out = seed_province_year(sizes, seed=1)
        db.session.commit()
        rows = sum(out.counts.values())
        took = time.perf_counter() - started
        print(f"\n== {backend}: seeded {rows:,} rows in {took:.1f} s  {sizes}")
        conferences, commune_id = busy_morning(out.province_code)
        if backend == "postgresql":  # the statistics autovacuum keeps in a database in use
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        commune = db.session.get(OrgUnit, commune_id)
        manager = Factory(app).user("manager", out.province_code)
        officer = Factory(app).user("officer", commune.code)
        routes.utcnow = lambda: NOW  # the page's clock at the busy morning
        app.test_client_class = FreshContextClient  # each request in its own context, as served
        for who, user in (("province manager", manager), (f"commune {commune.code}", officer)):
            home = queries.home_for(db.session.get(User, user.id), NOW)
            missing = sum(len(u.halls_missing) for u in home.under_way)
            print(f"-- {who}: {len(home.under_way)} under way, {len(home.today_events.events)} "
                  f"today (more: {home.today_events.more}), {len(home.upcoming.events)} "
                  f"upcoming, {len(home.alerts)} alerts, {len(home.campaigns)} campaigns, "
                  f"{missing} halls not connected")  # fmt: skip
            times = []
            for _ in range(repeat):
                db.session.expire_all()
                reader = db.session.get(User, user.id)
                began = time.perf_counter()
                queries.home_for(reader, NOW)
                times.append((time.perf_counter() - began) * 1000)
            print(f"{'home_for (read model)':32} p50 {statistics.median(times):8.1f} ms   "
                  f"p95 {pct(times, 0.95):8.1f} ms  (n={repeat})")  # fmt: skip
            client = app.test_client()
            login(client, user.email)
            statements = []

            def count(*_args, _seen=statements, **_kw) -> None:  # type: ignore[no-untyped-def]
                _seen.append(1)

            sa.event.listen(db.engine, "before_cursor_execute", count)
            client.get("/")
            sa.event.remove(db.engine, "before_cursor_execute", count)
            print(f"{'GET / : SQL statements':32} {len(statements)}")
            print(f"{'GET /':32} {timed(client, '/', {}, {}, repeat)}")
            print(f"{'GET /events':32} {timed(client, '/events', {}, {}, repeat)}")
            if user is officer:
                url = f"/events/{conferences[0]}"
                print(f"{'GET /events/<id> (their part)':32} {timed(client, url, {}, {}, repeat)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend.strip(), args.scale, args.repeat)


if __name__ == "__main__":
    main()
