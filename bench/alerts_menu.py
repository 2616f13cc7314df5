"""The menu's open-alerts count on a province's biggest day: what it adds to a page, and its plan.

    .venv/bin/python bench/alerts_menu.py [--conferences 8] [--closed 100000] [--per-commune 150]
                                          [--backends sqlite,postgresql] [--repeat 50]

Every commune of Nghệ An (130) holds ``per-commune`` events of its own over the past year (150:
about 20,000 events, a province's year), and is a hall of each of ``conferences`` province
conferences under way today (about 1,000 halls), each hall with an open alert (not connected);
``closed`` alerts of the past year, all cleared, lie under them, spread over every event.
PostgreSQL is vacuumed and analysed (as autovacuum keeps a database in use). For the province's
officer and a commune's officer, p50/p95 over ``repeat``:

- the count alone (``views.open_count``), and its plan (EXPLAIN QUERY PLAN / EXPLAIN);
- ``GET /account/password`` (a light page with the menu) as served, and in the same run with the
  menu's count left out (the reference: the page without it); the difference is the count's cost,
  within the noise of a busy machine (compare the count alone);
- ``GET /checkin/<token>`` (a hall's phone page) by a logged-in officer, and the statements each
  page sends to the ``alerts`` table: one on an officer's page, none on the hall's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import bench_app  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)  # today: the halls' check-in links work


def seed(conferences: int, closed: int, per_commune: int) -> dict[str, Any]:
    """The day: the province's conferences under way, every hall's alert open, the year's past
    alerts closed. Returns the province's and a commune's code and a hall's check-in token."""
    import sqlalchemy as sa

    from app.alerts import rules
    from app.alerts.engine import open_key
    from app.extensions import db
    from app.halls import services
    from app.models import Alert, Channel, Event, OrgKind, OrgUnit

    province = db.session.scalars(select_unit(OrgUnit, "40")).one()
    communes = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.kind == OrgKind.COMMUNE).order_by(OrgUnit.id)
    ).all()
    past = []
    for n, commune in enumerate(communes):
        for k in range(per_commune):
            start = NOW - timedelta(days=3 + (n * per_commune + k) % 360)
            past.append(Event(title=f"Livestream {commune.name} {k}", channel=Channel.LIVESTREAM,
                              org_unit=commune, planned_start=start,
                              planned_end=start + timedelta(hours=2)))  # fmt: skip
    db.session.add_all(past)
    halls: list[tuple[int, int]] = []
    tokens = []
    for n in range(conferences):
        event = Event(title=f"Hội nghị {n}", channel=Channel.ONLINE_CONFERENCE, org_unit=province,
                      planned_start=NOW - timedelta(hours=1),
                      planned_end=NOW + timedelta(hours=2))  # fmt: skip
        db.session.add(event)
        db.session.flush()
        points = services.set_bridge_points(event, "all", {}, now=NOW - timedelta(hours=2))
        halls += [(event.id, p.id) for p in points]
        tokens += [p.checkin_token for p in points[:1]]
    db.session.flush()
    rows = []
    for event_id, hall_id in halls:
        subject = f"hall:{hall_id}"
        rows.append({"event_id": event_id, "rule": rules.HALL_ABSENT, "subject": subject,
                     "subject_name": "Hội trường", "detail": {},
                     "open_key": open_key(event_id, rules.HALL_ABSENT, subject),
                     "opened_at": NOW - timedelta(minutes=20)})  # fmt: skip
    for i in range(closed):
        event = past[i % len(past)]
        opened = event.planned_start + timedelta(minutes=i % 90)
        rows.append({"event_id": event.id, "rule": rules.VIEWERS_ZERO, "subject": f"target:{i}",
                     "subject_name": "Fanpage", "detail": {}, "open_key": None,
                     "opened_at": opened, "cleared_at": opened + timedelta(minutes=5)})  # fmt: skip
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(Alert), rows[start : start + 5000])
    db.session.commit()
    return {"province": "40", "commune": communes[0].code, "token": tokens[0],
            "open": len(halls), "events": len(past) + conferences}  # fmt: skip


def select_unit(model: Any, code: str) -> Any:
    import sqlalchemy as sa

    return sa.select(model).where(model.code == code)


def p50_p95(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    call()  # templates compiled, caches filled
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def plan(backend: str, user: Any) -> list[str]:
    import sqlalchemy as sa

    from app.alerts import views
    from app.extensions import db

    stmt = views.open_count_statement(user)
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN "
    rows = db.session.execute(sa.text(explain + sql)).all()
    return [" | ".join(str(c) for c in row[-1:]) for row in rows]


def run(backend: str, args: argparse.Namespace) -> None:
    import sqlalchemy as sa

    from app.alerts import views
    from app.extensions import db
    from app.models import User
    from tests.conftest import Factory, FreshContextClient, login

    with bench_app(backend) as app:
        began = time.perf_counter()
        day = seed(args.conferences, args.closed, args.per_commune)
        print(f"\n== {backend}: {day['events']:,} events, {day['open']:,} open alerts over "
              f"{args.closed:,} closed, seeded in {time.perf_counter() - began:.1f} s")  # fmt: skip
        if backend == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        app.test_client_class = FreshContextClient
        for who, role_unit in (("province officer", day["province"]),
                               (f"commune {day['commune']} officer", day["commune"])):  # fmt: skip
            user = Factory(app).user("officer", role_unit)
            reader = db.session.get(User, user.id)
            count = views.open_count(reader)
            print(f"-- {who}: the menu shows {count:,}")
            for line in plan(backend, reader):
                print(f"   plan: {line}")
            ms = p50_p95(lambda r=reader: views.open_count(r), args.repeat)
            print(f"{'count alone':36} p50 {ms[0]:7.2f} ms  p95 {ms[1]:7.2f} ms")
            client = app.test_client()
            login(client, user.email)
            alerts_sql: list[str] = []

            def seen(_conn, _cursor, statement, *_a, _to=alerts_sql, **_kw) -> None:  # type: ignore[no-untyped-def]
                if " alerts" in statement:
                    _to.append(statement)

            pages = (("GET /account/password", "/account/password"),
                     ("GET /checkin/<token> (hall phone)", f"/checkin/{day['token']}"))  # fmt: skip
            for label, url in pages:
                sa.event.listen(db.engine, "before_cursor_execute", seen)
                assert client.get(url).status_code == 200, url
                sa.event.remove(db.engine, "before_cursor_execute", seen)
                print(f"{label + ': alerts statements':36} {len(alerts_sql)}")
                alerts_sql.clear()
            pages_with_and_without(client, day["token"], args.repeat)


def pages_with_and_without(client: Any, token: str, repeat: int) -> None:
    """The light page without the menu's count (the reference), then as served; a hall's page."""
    from app.alerts import routes

    served = routes.open_count
    url = "/account/password"
    routes.open_count = lambda: 0  # the reference: the same page, the menu without the count
    try:
        without = p50_p95(lambda: client.get(url), repeat)
    finally:
        routes.open_count = served
    with_count = p50_p95(lambda: client.get(url), repeat)
    added = with_count[0] - without[0]
    print(f"{url + ' without the count':36} p50 {without[0]:7.2f} ms  p95 {without[1]:7.2f} ms")
    print(f"{url + ' with the count':36} p50 {with_count[0]:7.2f} ms  "
          f"p95 {with_count[1]:7.2f} ms  ({added:+.2f} ms)")  # fmt: skip
    ms = p50_p95(lambda: client.get(f"/checkin/{token}"), repeat)
    print(f"{'GET /checkin/<token>':36} p50 {ms[0]:7.2f} ms  p95 {ms[1]:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conferences", type=int, default=8)
    parser.add_argument("--closed", type=int, default=100_000)
    parser.add_argument("--per-commune", type=int, default=150)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend.strip(), args)


if __name__ == "__main__":
    main()
