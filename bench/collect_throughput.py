"""Collection throughput through the whole path, and Graph calls per live-event hour.

1. Comments and samples per second from the sandbox over HTTP → collector → runner → database, on
   SQLite and PostgreSQL, next to a plain ``executemany`` of the same rows into the same database
   in the same run (the floor any ORM-free writer could reach).
2. Graph API calls (HTTP requests, and batch items, which is what Meta's rate limits count) for one
   hour of live polling of 1 and of 50 simultaneous lives on one page.

    .venv/bin/python bench/collect_throughput.py [--comments 20000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from bench._setup import bench_app  # noqa: E402


def throughput(backend: str, comments: int, duration: int = 3600) -> None:
    """The live's ``duration`` seconds polled, then a burst of its last ten minutes (a sixth of a
    shorter live: tests/bench runs one of four minutes, so the bench cannot break unseen)."""
    from app.collection import runner
    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import (
        Channel,
        Comment,
        EngagementSample,
        Event,
        OrgUnit,
        Platform,
        PlatformAccount,
        Target,
    )
    from sandbox import ManualClock, Sandbox, Scenario

    scenario = Scenario(comment_count=comments, duration=duration, start_offset=0)
    burst_s = min(600, duration // 6)
    sandbox = Sandbox.start(scenario=scenario, clock=ManualClock())
    with bench_app(backend) as app:
        # The sandbox stands in for Graph as production's configured host does: an account's own
        # loopback server would be refused before the call (app.collection.servers).
        app.config["FACEBOOK_GRAPH_URL"] = sandbox.facebook_url
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
        credentials = {"access_token": sandbox.facebook_token}
        account = PlatformAccount(
            platform=Platform.FACEBOOK,
            name="bench",
            org_unit=unit,
            health="ok",
            health_detail="",
            rate_limit_usage={},
            credentials=credentials,
        )
        event = Event(
            title="bench", channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0, description=""
        )
        db.session.add_all([account, event])
        db.session.flush()
        target = add_target(event.id, "facebook_live", scenario.params.live_video_id,
                            account_id=account.id)  # fmt: skip
        db.session.commit()
        now = lambda: scenario.datetime_at(sandbox.clock.now())  # noqa: E731
        # (a) The live as it happens: a poll every 10 s of scenario time up to the burst.
        poll_ms = []
        refused = ""  # the first poll that read nothing, and why
        live_until = scenario.params.start_offset + scenario.params.duration - burst_s
        while sandbox.clock.now() < live_until:
            sandbox.advance(10)
            t0 = time.perf_counter()
            refused = refused or _refused(
                runner.run_targets([target.id], clock=now, publish=lambda *a: None)
            )
            poll_ms.append((time.perf_counter() - t0) * 1000)
        # (b) A burst: the last ten minutes' comments all wait at once; drain them.
        sandbox.advance(burst_s + 60)
        before = db.session.scalar(sa.select(sa.func.count()).select_from(Comment))
        polls = 0
        started = time.perf_counter()
        for _ in range(500):
            db.session.expire_all()
            if (db.session.get(Target, target.id).cursor or {}).get("phase") == "insights":
                break
            runner.run_targets([target.id], clock=now, publish=lambda *a: None)
            polls += 1
            sandbox.advance(1)
        elapsed = time.perf_counter() - started
        burst = db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) - before
        stored = db.session.scalar(sa.select(sa.func.count()).select_from(Comment))
        samples = db.session.scalar(sa.select(sa.func.count()).select_from(EngagementSample))
        if not stored:  # a floor of no rows would insert one row of defaults and fail
            raise SystemExit(f"{backend}: nothing collected ({stored} comments): {refused}")
        # The same rows, written by a plain executemany into an empty copy of the tables.
        rows = [dict(r._mapping) for r in db.session.execute(sa.select(Comment.__table__))]
        sample_rows = [
            dict(r._mapping) for r in db.session.execute(sa.select(EngagementSample.__table__))
        ]
        for row in rows:
            row.pop("id")
            row["target_id"] = target.id
        for row in sample_rows:
            row.pop("id")
        with db.engine.begin() as conn:
            conn.execute(sa.delete(Comment.__table__))
            conn.execute(sa.delete(EngagementSample.__table__))
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(sa.insert(Comment.__table__), rows)
            conn.execute(sa.insert(EngagementSample.__table__), sample_rows)
        plain = time.perf_counter() - t0
    sandbox.stop()
    poll_ms.sort()
    p50, p95 = poll_ms[len(poll_ms) // 2], poll_ms[int(len(poll_ms) * 0.95)]
    print(
        f"{backend:10} live polling: {len(poll_ms)} polls, per poll p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms (HTTP to the sandbox + parse + leads + write)"
    )
    print(
        f"{backend:10} burst: {burst} comments drained in {elapsed:.2f} s ({polls} polls, "
        f"final sweep included) = {burst / elapsed:.0f} comments/s through the whole path"
    )
    print(
        f"{backend:10} plain executemany of the same {stored} comments + {samples} samples: "
        f"{plain:.3f} s = {(stored + samples) / plain:.0f} rows/s"
    )


def _refused(results: list[Any]) -> str:
    """The first run that did not read the platform, as words ('' when every run did)."""
    return next((f"{r.outcome}: {r.error}" for r in results if r.outcome != "ok"), "")


def calls_per_hour(lives: int) -> None:
    """One simulated hour of a live, polled as the runner schedules it (every 10 s)."""
    from collectors.base import TargetSpec
    from collectors.facebook import FacebookLiveCollector, make_client
    from collectors.http import make_session
    from sandbox import FacebookSettings, ManualClock, Sandbox, Scenario

    scenario = Scenario(comment_count=300, duration=3600, start_offset=0, mirror_lives=lives - 1)
    unlimited = FacebookSettings(app_calls_per_hour=10**9, page_calls_per_hour=10**9)
    sandbox = Sandbox.start(scenario=scenario, clock=ManualClock(), facebook=unlimited)
    p = scenario.params
    ids = [p.live_video_id, *p.mirror_live_ids]
    client = make_client(make_session(backoff=0), sandbox.facebook_url)
    collector = FacebookLiveCollector(
        client, clock=lambda: scenario.datetime_at(sandbox.clock.now())
    )
    token = {"access_token": sandbox.facebook_token}
    specs = [
        TargetSpec("facebook_live", i, sandbox.facebook_url, token, account_external_id=p.page_id)
        for i in ids
    ]
    cursors: list[dict] = [{} for _ in ids]
    for _ in range(360):
        sandbox.advance(10)
        results = collector.collect_many(list(zip(specs, cursors, strict=True)))
        cursors = [
            dict(r.cursor) if not isinstance(r, Exception) else c
            for r, c in zip(results, cursors, strict=True)
        ]
    log = sandbox.requests_log
    http = sum(1 for e in log if e.get("platform") == "facebook" and not e.get("batch_item"))
    items = sum(1 for e in log if e.get("platform") == "facebook" and e.get("batch_item"))
    sandbox.stop()
    print(
        f"{lives:3d} simultaneous live(s), one hour polled every 10 s: {http:6d} HTTP requests, "
        f"{items:6d} Graph calls counted by Meta ({items / lives:5.0f} per live-hour)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"== whole-path throughput, a live with {args.comments} comments")
    for backend in args.backends.split(","):
        throughput(backend, args.comments)
    print("== Graph API calls per live-event hour")
    for lives in (1, 50):
        calls_per_hour(lives)


if __name__ == "__main__":
    main()
