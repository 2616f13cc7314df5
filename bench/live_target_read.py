"""A target's figures as each live delta reads them: compiled once, beside building them per call.

Every collected batch re-reads its target's figures (latest counters, peak, comments, leads, sample
span: one statement of fifteen subqueries) between the collector's commit and the delta's emit, so
this time is in every viewer's latency. The reference is that statement built with SQLAlchemy and
run through the session for each call, as every delta did before; ``read_target`` builds and
compiles it once per process and only binds the target's id. Both are checked to give the same
figures, then timed alternately on one livestream target of ``--samples`` samples and
``--comments`` comments, on each database of ``--databases``.

    .venv/bin/python bench/live_target_read.py [--samples 600] [--comments 5000] [--calls 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._setup import bench_app  # noqa: E402


def seed(samples: int, comments: int) -> Any:
    """One livestream target with a sample every 6 s and comments spread over the hour."""
    import sqlalchemy as sa

    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import Channel, Comment, EngagementSample, Event, OrgUnit

    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
    event = Event(title="bench read", channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0,
                  description="")  # fmt: skip
    db.session.add(event)
    db.session.flush()
    target = add_target(event.id, "facebook_live", "bench-live")
    db.session.flush()
    start = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    db.session.add_all(
        EngagementSample(target_id=target.id, sampled_at=start + timedelta(seconds=6 * i),
                         live_viewers=500 + i % 97, views=None if i % 5 else 1000 + i,
                         shares=i // 10, reactions_total=i, reactions_like=i // 2, extra={})
        for i in range(samples)
    )  # fmt: skip
    db.session.add_all(
        Comment(target_id=target.id, external_id=f"c{i}", message="xin chào",
                created_at=start + timedelta(seconds=i % 3600), is_lead=i % 40 == 0)
        for i in range(comments)
    )  # fmt: skip
    db.session.commit()
    return target


def timed(call: Any, calls: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``call`` over ``calls`` calls."""
    walls, cpus = [], []
    for _ in range(calls):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(1000 * (time.perf_counter() - wall))
        cpus.append(1000 * (time.process_time() - cpu))
    return statistics.median(walls), statistics.median(cpus)


def measure(backend: str, args: argparse.Namespace) -> None:
    from app.extensions import db
    from app.live import summary

    with bench_app(backend):
        target = seed(args.samples, args.comments)

        def built_each_time() -> Any:
            row = db.session.execute(summary.target_figures(), {"target_id": target.id}).one()
            db.session.rollback()  # as the publisher's session ends each delta
            return tuple(row)

        compiled = summary.read_target(target)
        reference = built_each_time()
        figures = dict(zip(summary.FIGURES, reference, strict=True))
        assert compiled.totals.comments == figures["comments"] == args.comments
        assert compiled.last_sample_at == figures["last"], (compiled, figures)
        for _ in range(20):  # warm both (psycopg prepares a statement on its fifth run)
            summary.read_target(target), built_each_time()
        rows = {"reference (built each call)": [], "read_target (compiled once)": []}
        for _ in range(args.rounds):
            rows["reference (built each call)"].append(timed(built_each_time, args.calls))
            rows["read_target (compiled once)"].append(
                timed(lambda: summary.read_target(target), args.calls)
            )
        for name, runs in rows.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(f"  {name:<30} {wall:6.2f} ms wall, {cpu:6.2f} ms CPU per read (median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=600)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"one target, {args.samples} samples, {args.comments} comments; "
          f"{args.rounds} alternated rounds of {args.calls} reads")  # fmt: skip
    for backend in args.databases.split(","):
        print(backend)
        measure(backend, args)


if __name__ == "__main__":
    main()
