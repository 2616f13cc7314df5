"""A full rollup build while check-ins go on: how long writers wait, and what the build misses.

    .venv/bin/python bench/full_build.py --scale 0.1 [--databases sqlite,postgresql]
        [--rate 10] [--reference 5734462]

On a seeded province-year (bench/seed_cache.py; 1.0 = 20,000 events, 1 M people) whose rollups
are marked not built, as after an upgrade, the scheduler's first build runs
(``build_if_never_built``) while another thread, on its own connection, writes what a hall's
check-in writes — a new person and their touch of one of the province's events — ``rate`` times a
second, through the app's session as a web process would. It prints
the build's time, the writes made during it, those that failed (SQLite's "database is locked"
after the busy timeout), the longest and the p95 time a write waited for its commit, and the
events whose people identified the built rollups miss (rows written during the build that the
build did not count). With ``--reference REV`` the same run is made on that revision in the same
sitting, printed beside it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
SEED_CACHE = Path(tempfile.gettempdir()) / "lantoa-bench-reports-seeds"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


class CheckIns(threading.Thread):
    """A new person and their touch of an event, committed ``rate`` times a second through the
    app's session in an app context of its own, as a web process's check-in commits."""

    def __init__(self, app: Any, event_ids: list[int], rate: float) -> None:
        super().__init__(daemon=True)
        self.app, self.event_ids, self.pause = app, event_ids, 1.0 / rate
        self.waits: list[float] = []
        self.failed = 0
        self.touched: set[int] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        from datetime import UTC, datetime

        from app.extensions import db
        from app.models import Attendance, Person

        n = 0
        with self.app.app_context():
            while not self.stop.is_set():
                event_id = self.event_ids[n % len(self.event_ids)]
                n += 1
                started = time.perf_counter()
                try:
                    person = Person(full_name=f"Người điểm danh {n}")
                    db.session.add(person)
                    db.session.flush()
                    touch = Attendance(person_id=person.id, event_id=event_id, source="checkin",
                                       touched_at=datetime.now(UTC))  # fmt: skip
                    db.session.add(touch)
                    db.session.commit()
                    self.touched.add(event_id)
                except Exception:  # "database is locked": refused, the phone sends it again
                    db.session.rollback()
                    self.failed += 1
                self.waits.append(time.perf_counter() - started)
                self.stop.wait(self.pause)
            db.session.remove()


def child(database: str, scale: float, rate: float, cache: Path | None) -> None:
    import json

    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Attendance, Event, EventRollup
    from app.reports.rollups import build
    from app.reports.rollups.first_build import build_if_never_built

    spec = importlib.util.spec_from_file_location("seed_cache", HERE.parent / "seed_cache.py")
    assert spec is not None
    assert spec.loader is not None
    seed_cache = importlib.util.module_from_spec(spec)
    sys.modules["seed_cache"] = seed_cache
    spec.loader.exec_module(seed_cache)
    tree = Path(os.environ.get("LANTOA_BENCH_TREE", str(ROOT)))
    with seed_cache.seeded_app(tree, database, scale, cache) as (app, _info):
        build.drop()  # as after an upgrade that marks them not built
        db.session.commit()
        events = list(db.session.scalars(select(Event.id).order_by(Event.id).limit(200)))
        writer = CheckIns(app, events, rate)
        writer.start()
        time.sleep(1.0)  # writing before the build starts, as on a live day
        started = time.perf_counter()
        built = build_if_never_built()
        took = time.perf_counter() - started
        writer.stop.set()
        writer.join()
        db.session.expire_all()
        stale = 0
        for event_id in sorted(writer.touched):
            kept = db.session.scalar(select(EventRollup.identified).where(
                EventRollup.event_id == event_id))  # fmt: skip
            counted = db.session.scalar(select(func.count(func.distinct(Attendance.person_id)))
                                        .where(Attendance.event_id == event_id))  # fmt: skip
            stale += kept != counted
        waits = [w * 1000 for w in writer.waits]
        result = {"events": built, "build_s": took, "writes": len(waits), "failed": writer.failed,
                  "max_wait_ms": max(waits, default=0.0), "p95_wait_ms": pct(waits, 0.95),
                  "stale_events": stale, "touched_events": len(writer.touched)}  # fmt: skip
        print("RESULT " + json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rate", type=float, default=10.0, help="check-ins a second")
    parser.add_argument("--reference", help="a git revision measured beside this tree")
    parser.add_argument("--seed-cache", default=str(SEED_CACHE), metavar="DIR")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    cache = Path(args.seed_cache) if args.seed_cache else None
    if args.child:
        child(args.databases, args.scale, args.rate, cache)
        return
    from bench._setup import child_result, measured_trees

    with measured_trees(args.reference, ref="ref") as trees:
        for database in args.databases.split(","):
            print(f"== {database}, scale {args.scale:g}, {args.rate:g} check-ins/s", flush=True)
            for name, tree in trees:
                command = [sys.executable, str(HERE), "--child", "--databases", database,
                           "--scale", str(args.scale), "--rate", str(args.rate),
                           "--seed-cache", args.seed_cache]  # fmt: skip
                os.environ["LANTOA_BENCH_TREE"] = str(tree)
                r = child_result(command, tree)
                print(f"  {name:>16}: build {r['build_s']:.1f} s ({r['events']:,} events); "
                      f"{r['writes']} check-ins during it, {r['failed']} failed; wait p95 "
                      f"{r['p95_wait_ms']:.0f} ms, max {r['max_wait_ms']:.0f} ms; events "
                      f"missing a check-in: {r['stale_events']} of {r['touched_events']}",
                      flush=True)  # fmt: skip


if __name__ == "__main__":
    if "--child" in sys.argv:  # import the app of the tree being measured, not of this file's
        sys.path[0] = os.environ.get("LANTOA_BENCH_TREE", str(ROOT))
    else:
        sys.path.insert(0, str(ROOT))
    main()
