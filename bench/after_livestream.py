"""The "after the livestream" comparison on a seeded province-year: event page and monthly report.

    .venv/bin/python bench/after_livestream.py --scale 0.05 [--backends sqlite,postgresql]

Seeds ``flask seed province-year`` at ``scale`` (1.0 = 100 communes, 20,000 events; every seeded
event has ended) into a fresh database per backend, then times, p50/p95 over ``repeat`` calls:

- ``event_comparison`` (a finished livestream's figures beside its office's ten previous ones)
  for the province's latest livestream, and its event page ``GET /events/<id>``, with the SQL
  statements the section costs;
- the printed month ``GET /reports/monthly`` of that livestream's month for the province, with
  the month's finished livestreams it lists (each compared with its own office's previous ten).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import bench_app  # noqa: E402
from bench.reports import pct, timed  # noqa: E402


def run(backend: str, scale: float, repeat: int) -> None:
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Channel, Event, OrgUnit
    from app.reports.rollups.full_build import rebuild
    from app.seed.province_year import Sizes, seed_province_year

    with bench_app(backend) as app:
        sizes = Sizes().scaled(scale)
        out = seed_province_year(sizes, seed=1)
        db.session.commit()
        print(f"\n== {backend}: seeded {sum(out.counts.values()):,} rows  {sizes}")
        if backend == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        province = db.session.scalars(
            sa.select(OrgUnit).where(OrgUnit.code == out.province_code)
        ).one()
        event = db.session.scalars(
            sa.select(Event)
            .where(Event.org_unit_id == province.id, Event.channel == Channel.LIVESTREAM)
            .order_by(Event.planned_start.desc())
        ).first()
        measure(app, event.id, province.id, "sources", repeat)
        rebuild()
        db.session.commit()
        measure(app, event.id, province.id, "rollups", repeat)


def measure(app, event_id: int, province_id: int, path: str, repeat: int) -> None:  # type: ignore[no-untyped-def]
    """Time the comparison and the two pages, the reports reading ``path``."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Event, OrgUnit
    from app.reports.facts import ReportFilter, month_bounds
    from app.reports.livestreams import event_comparison, month_livestreams
    from app.timeparse import VN
    from tests.conftest import Factory, FreshContextClient, login

    app.config["REPORTS_ROLLUPS"] = "auto" if path == "rollups" else "off"
    province = db.session.get(OrgUnit, province_id)
    times = []
    for _ in range(repeat):
        db.session.expire_all()
        began = time.perf_counter()
        comparison = event_comparison(db.session.get(Event, event_id))
        times.append((time.perf_counter() - began) * 1000)
    print(f"-- reports read from the {path}; livestream {event_id} beside "
          f"{len(comparison.earlier)} earlier")  # fmt: skip
    print(f"{'event_comparison':32} p50 {statistics.median(times):8.1f} ms   "
          f"p95 {pct(times, 0.95):8.1f} ms  (n={repeat})")  # fmt: skip
    statements: list[int] = []

    def count(*_args, _seen=statements, **_kw) -> None:  # type: ignore[no-untyped-def]
        _seen.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    event_comparison(db.session.get(Event, event_id))
    sa.event.remove(db.engine, "before_cursor_execute", count)
    print(f"{'event_comparison: SQL statements':32} {len(statements)}")
    app.test_client_class = FreshContextClient
    client = app.test_client()
    login(client, Factory(app).user("manager", province.code).email)
    print(f"{'GET /events/<id>':32} {timed(client, f'/events/{event_id}', {}, {}, repeat)}")
    event = db.session.get(Event, event_id)
    period = event.start.astimezone(VN).strftime("%Y-%m")
    start, end = month_bounds(period)
    listed = month_livestreams(ReportFilter(unit=province, start=start, end=end))
    params = {"period": period, "org_unit": province.code}
    print(f"{'GET /reports/monthly':32} {timed(client, '/reports/monthly', params, {}, 3)}"
          f"  ({len(listed)} finished livestreams in {period})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend.strip(), args.scale, args.repeat)


if __name__ == "__main__":
    main()
