"""Managers' dashboards and reports on a seeded province-year, with and without the rollups.

    .venv/bin/python bench/reports.py --scale 0.1 [--backends sqlite,postgresql] [--repeat 10]

Seeds ``flask seed province-year`` at ``scale`` (1.0 = 100 communes, 20,000 events, 5 M samples,
5 M comments, 1 M people, 500,000 enrolments) into a fresh database per backend, builds the
rollups, then times each page and API call through the test client (p50/p95 over ``repeat``
calls) with the rollups read ("rollups") and with the source tables read ("sources"), in the same
run; then the monthly files (build_month) and the process's peak memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import bench_app  # noqa: E402

YEAR = {"from": "2026-01-01", "to": "2026-12-31"}
MONTH = {"from": "2026-10-01", "to": "2026-10-31"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(client, url: str, params: dict[str, str], headers: dict[str, str], n: int) -> str:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        try:
            response = client.get(url, query_string=params, headers=headers)
        except Exception as exc:  # a figure, not a crash: say what failed
            from app.extensions import db

            db.session.rollback()
            return f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return f"HTTP {response.status_code}: {response.get_data(as_text=True)[:120]!r}"
    return f"p50 {statistics.median(times):8.1f} ms   p95 {pct(times, 0.95):8.1f} ms  (n={n})"


def run(backend: str, scale: float, repeat: int, repeat_sources: int) -> None:
    from app.auth.tokens import issue_token
    from app.extensions import db
    from app.models import Campaign, OrgUnit
    from app.reports.files import build_month
    from app.reports.rollups.build import rebuild
    from app.seed.province_year import Sizes, seed_province_year
    from tests.conftest import Factory, login

    with bench_app(backend) as app:
        sizes = Sizes().scaled(scale)
        started = time.perf_counter()
        out = seed_province_year(sizes, seed=1)
        db.session.commit()
        seeded = time.perf_counter() - started
        rows = sum(out.counts.values())
        print(f"\n== {backend}: seeded {rows:,} rows in {seeded:.1f} s  {sizes}")
        started = time.perf_counter()
        rebuild()
        db.session.commit()
        print(f"rollup --full: {time.perf_counter() - started:.1f} s")
        code = out.province_code
        user = Factory(app).user("manager", code)
        token = issue_token(user)
        db.session.commit()
        campaign = db.session.scalars(
            db.select(Campaign).join(OrgUnit).where(OrgUnit.code == code)
        ).first()
        client = app.test_client()
        login(client, user.email)
        bearer = {"Authorization": f"Bearer {token}"}
        unit = {"org_unit": code}
        calls = [
            ("API channels, year", "/api/v1/reports/channels", {**unit, **YEAR}, bearer),
            ("API channels, month", "/api/v1/reports/channels", {**unit, **MONTH}, bearer),
            ("page /reports/channels, year", "/reports/channels", {**unit, **YEAR}, {}),
            ("page /reports/channels, month", "/reports/channels", {**unit, **MONTH}, {}),
            ("campaign page (a quarter)", f"/reports/campaigns/{campaign.id}", {}, {}),
            ("monthly printable", "/reports/monthly", {**unit, "period": "2026-10"}, {}),
            ("channels.xlsx, month", "/reports/channels.xlsx", {**unit, **MONTH}, {}),
        ]
        for mode, n in (("rollups", repeat), ("sources", repeat_sources)):
            app.config["REPORTS_ROLLUPS"] = "auto" if mode == "rollups" else "off"
            print(f"-- {mode}")
            for label, url, params, headers in calls:
                print(f"{label:32} {timed(client, url, params, headers, n)}")
            folder = Path(app.instance_path) / "reports"
            target = db.session.scalars(db.select(OrgUnit).where(OrgUnit.code == code)).one()
            started = time.perf_counter()
            try:
                build_month(folder, target, "2026-10")
                took = time.perf_counter() - started
                print(f"{'build_month (xlsx+csv+html+pdf)':32} {took:.2f} s")
            except Exception as exc:  # a figure, not a crash: say what failed
                db.session.rollback()
                print(f"{'build_month':32} failed: {type(exc).__name__}: {str(exc)[:100]}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process so far: {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--repeat-sources", type=int, default=3)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend.strip(), args.scale, args.repeat, args.repeat_sources)


if __name__ == "__main__":
    main()
