"""Cost of the event's combined peak in the summary a delta carries, for two lives sampled together.

The event's peak viewers is the highest point of the targets' viewers added up at each moment, so
a delta of an event with two or more lives asks the database for it again (one query with window
functions over the event's viewer samples). This prints the time of ``summary_after`` for one
batch of one live, and of that query alone, for two lives sampled every 10 s for 1 h and 3 h.

    .venv/bin/python bench/live_peak.py [--backend sqlite|postgresql] [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._setup import bench_app  # noqa: E402

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with bench_app(args.backend) as app:
        run(app, args.repeat)


def run(app, repeat: int) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from app.collection.changes import Change
    from app.collection.targets import add_target
    from app.extensions import db
    from app.live import queries, summary
    from app.models import Channel, EngagementSample, Event, OrgUnit, Target

    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
    for hours in (1, 3):
        event = Event(
            title=f"Bench {hours} h", channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0
        )
        db.session.add(event)
        db.session.flush()
        targets = [
            add_target(event.id, kind, f"{kind}-{hours}")
            for kind in ("facebook_live", "youtube_live")
        ]
        db.session.flush()
        samples = hours * 360
        for n, target in enumerate(targets):
            db.session.add_all(
                EngagementSample(
                    target_id=target.id,
                    extra={},
                    live_viewers=100 + (i * 7 + n * 13) % 400,
                    sampled_at=T0 + timedelta(seconds=10 * i + 3 * n),
                )
                for i in range(samples)
            )
        db.session.commit()
        moved = targets[0]
        timings, reads = [], []
        for i in range(repeat):
            at = T0 + timedelta(hours=hours, seconds=10 * i)
            db.session.add(
                EngagementSample(target_id=moved.id, extra={}, live_viewers=200, sampled_at=at)
            )
            db.session.get(Target, moved.id).last_success_at = at
            db.session.commit()
            started = time.perf_counter()
            summary.summary_after(event.id, Change(event.id, moved.id, moved.kind))
            timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            queries.combined_peak(event.id)
            reads.append(time.perf_counter() - started)
        ms = [1000 * t for t in sorted(timings)]
        print(
            f"2 lives x {samples} samples: summary_after median {statistics.median(ms):.1f} ms "
            f"(p95 {ms[int(0.95 * len(ms)) - 1]:.1f} ms); combined peak query alone "
            f"median {1000 * statistics.median(reads):.1f} ms"
        )


if __name__ == "__main__":
    main()
