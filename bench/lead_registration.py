"""What registering a batch's lead comments costs the collection: ms per batch, with and without.

A burst of comments on one live (a popular livestream's final minutes: ``--batches`` polls of
``--size`` comments each, ``--lead-share`` of them leads, from a pool of ``--authors`` commenters
who come back), written through the real runner with the report rollups built (so the touches'
rollup updates are in the figure), against a registry already holding ``--people`` commenters
of earlier events. The batches alternate with and without the ``register_leads`` step; each
figure is the whole ``_record`` of a batch (write, steps, commit), and the step alone.

    .venv/bin/python bench/lead_registration.py [--backends sqlite,postgresql] [--size 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from bench._setup import bench_app  # noqa: E402

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
LEAD_TEXTS = ("Tư vấn giúp em bhxh tự nguyện", "mức đóng bao nhiêu ạ", "cho em hỏi lương hưu",
              "đăng ký bhyt hộ gia đình", "ib em với")  # fmt: skip
PLAIN_TEXTS = ("Chào cả nhà", "hay quá", "👍👍", "cảm ơn BTC", "xem từ Nghi Lộc")


class Scripted:
    def __init__(self, batch: object) -> None:
        self.batch = batch

    def collect(self, target: object, cursor: object) -> object:
        return self.batch


def _earlier_people(n: int) -> None:
    """``n`` commenters of an earlier live, registered: the registry a new batch is matched to."""
    from app.attendance.lead_people import register_comment_leads
    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import Channel, Comment, Event, OrgUnit
    from app.personal_data import indexed

    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
    event = Event(title="earlier", channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0,
                  description="", planned_start=START - timedelta(days=30))  # fmt: skip
    db.session.add(event)
    db.session.flush()
    target = add_target(event.id, "facebook_live", "earlier")
    target.finished_at = START
    db.session.flush()
    rows = [
        dict(target_id=target.id, external_id=f"e{i}", author_name=f"Người xem {i}",
             author_external_id=f"old{i}", message="tư vấn giúp em", is_lead=True,
             lead_intents=["tu_van"], created_at=START - timedelta(days=30, seconds=-i),
             **indexed(phone=f"+8491{i:07d}" if i % 2 else None))
        for i in range(n)
    ]  # fmt: skip
    db.session.execute(sa.insert(Comment.__table__), rows)
    register_comment_leads(START)
    db.session.commit()


def run(backend: str, args: argparse.Namespace) -> None:
    from app.collection import runner, steps
    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import Channel, Comment, Event, OrgUnit, Person
    from app.reports.rollups.full_build import rebuild
    from collectors.base import Batch, CommentRecord

    rng = random.Random(7)
    with bench_app(backend):
        _earlier_people(args.people)
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
        event = Event(title="burst", channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0,
                      description="", planned_start=START)  # fmt: skip
        db.session.add(event)
        db.session.flush()
        target = add_target(event.id, "facebook_live", "burst")
        db.session.commit()
        rebuild()
        db.session.commit()
        step_ms: list[float] = []

        def timed(change: object) -> None:
            began = time.perf_counter()
            steps.register_leads(change)  # type: ignore[arg-type]
            step_ms.append((time.perf_counter() - began) * 1000)

        with_step = (timed, *(s for s in steps.IN_TRANSACTION if s is not steps.register_leads))
        without = tuple(s for s in steps.IN_TRANSACTION if s is not steps.register_leads)
        timings: dict[bool, list[float]] = {True: [], False: []}
        n = 0
        for b in range(args.batches):
            records = []
            for _ in range(args.size):
                n += 1
                who = rng.randrange(args.authors)
                # Some come back from the earlier live (known people), most are new here.
                author = f"old{who}" if who % 10 == 0 else f"new{who}"
                lead = rng.random() < args.lead_share
                text = rng.choice(LEAD_TEXTS if lead else PLAIN_TEXTS)
                if lead and rng.random() < 0.5:
                    text += f", sđt 09{who:08d}"
                records.append(CommentRecord(f"b{n}", text, START + timedelta(seconds=n),
                                             author_name=f"Người xem {who}",
                                             author_external_id=author))  # fmt: skip
            batch = Batch(comments=tuple(records), cursor={"n": n}, status="live")
            registering = b % 2 == 0
            steps.IN_TRANSACTION = with_step if registering else without
            began = time.perf_counter()
            runner.run_targets([target.id], factory=lambda k, u, batch=batch: Scripted(batch),
                               clock=lambda: START + timedelta(hours=1),
                               publish=lambda *a: None)  # fmt: skip
            timings[registering].append((time.perf_counter() - began) * 1000)
        leads = db.session.scalar(
            sa.select(sa.func.count()).where(Comment.target_id == target.id, Comment.is_lead)
        )
        people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
    print(f"{backend:10} {args.batches} batches of {args.size} comments ({leads} leads in all, "
          f"{people} people in the registry at the end, {args.people} before)")  # fmt: skip
    for registering, label in ((False, "without the step"), (True, "with register_leads")):
        ms = timings[registering]
        print(f"{backend:10}   {label:20} per batch: median {statistics.median(ms):.1f} ms, "
              f"max {max(ms):.1f} ms")  # fmt: skip
    print(f"{backend:10}   the step alone: median {statistics.median(step_ms):.1f} ms, "
          f"max {max(step_ms):.1f} ms per batch")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--lead-share", type=float, default=0.3)
    parser.add_argument("--authors", type=int, default=1500)
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend, args)


if __name__ == "__main__":
    main()
