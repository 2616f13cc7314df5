"""Time to build a collected batch's live delta: the work between the collector's commit and the
emit, which every viewer of the event waits for.

One livestream target with ``--samples`` samples and ``--comments`` comments
(``bench.live_target_read.seed``; on PostgreSQL by default); a batch of one new viewer sample
and three new comments. ``delta_pair`` (both variants: phones masked and in clear) is timed
``--calls`` times in a fresh app context each, as the publisher builds it after each commit, and
the median and 90th percentile are printed. With
``--reference REV`` a git worktree of REV is measured in the same sitting, alternating order, and
both trees' deltas are checked to be the same (their ``server_time`` aside).

    .venv/bin/python bench/live_delta_build.py [--reference 301ae53] [--samples 600] \
        [--comments 5000] [--calls 300] [--rounds 2] [--backend postgresql]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # the seeded samples' first


def batch(event_id: int, target_id: int, samples: int) -> Any:
    """The writer's change for a batch after the seeded ones: a sample and three comments."""
    from app.collection.changes import Change, WrittenComment
    from collectors.base import Sample

    at = START + timedelta(seconds=6 * samples)
    comments = tuple(
        WrittenComment(id=10_000_000 + i, target_id=target_id, external_id=f"new{i}",
                       author_name="Nguyễn Văn An", message="Cho tôi hỏi 0912 345 678",
                       created_at=at - timedelta(seconds=i), is_lead=i == 0,
                       lead_intents=("enrol",) if i == 0 else (), phone=None)
        for i in range(3)
    )  # fmt: skip
    sample = Sample(sampled_at=at, live_viewers=640)
    return Change(event_id=event_id, target_id=target_id, kind="facebook_live",
                  samples=(sample,), comments=comments)  # fmt: skip


def child(args: argparse.Namespace) -> None:
    """Measure the tree at ``--tree`` (first on sys.path) and print one JSON line."""
    sys.path.insert(0, args.tree)
    from bench._setup import bench_app
    from bench.live_target_read import seed

    with bench_app(args.backend) as app:
        from app.extensions import db
        from app.live.delta import delta_pair

        target = seed(args.samples, args.comments)
        event_id, target_id = target.event_id, target.id
        change = batch(event_id, target_id, args.samples)
        db.session.remove()
        walls, cpus = [], []
        for _ in range(args.calls + 20):  # the first ones compile and fill the pool
            wall, cpu = time.perf_counter(), time.process_time()
            with app.app_context():
                plain, _full = delta_pair(event_id, "collected", change)
                db.session.remove()
            walls.append(1000 * (time.perf_counter() - wall))
            cpus.append(1000 * (time.process_time() - cpu))
        plain.pop("server_time")
    result = {"walls": walls[20:], "cpus": cpus[20:], "delta": plain}
    print("RESULT " + json.dumps(result, default=str), flush=True)


def run_tree(tree: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--tree", str(tree),
               "--backend", args.backend, "--samples", str(args.samples),
               "--comments", str(args.comments), "--calls", str(args.calls)]  # fmt: skip
    from bench._setup import child_result

    return child_result(command, tree, timeout=1800)


def figures(label: str, result: dict[str, Any]) -> str:
    walls = sorted(result["walls"])
    return (
        f"  {label:22} median {statistics.median(walls):5.2f} ms, 90th "
        f"{walls[int(0.9 * len(walls))]:5.2f} ms wall; median "
        f"{statistics.median(result['cpus']):5.2f} ms CPU per delta"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=600)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    parser.add_argument("--reference", help="a git revision measured in the same sitting")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sys.path.insert(0, str(ROOT))
    from bench._setup import measured_trees

    print(f"{args.backend}; one livestream target, {args.samples} samples, "
          f"{args.comments} comments; a batch of one sample and three comments; "
          f"{args.calls} builds per run")  # fmt: skip
    with measured_trees(args.reference) as trees:
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in trees}
        for round_ in range(args.rounds):
            for label, tree in trees if round_ % 2 == 0 else trees[::-1]:
                result = run_tree(tree, args)
                runs[label].append(result)
                print(figures(label, result), flush=True)
        if args.reference:
            ours, ref = (runs[label][-1]["delta"] for label, _ in trees)
            print(f"  same delta in both trees: {'yes' if ours == ref else 'NO'}")


if __name__ == "__main__":
    main()
