"""Linkage on Spark (``LINKAGE_BACKEND=spark``) against the DuckDB default, same data, same run.

Generates attendees × enrolments with bench/linkage.py's generator, links them with the whole
pipeline on DuckDB (the reference), then twice on a local PySpark session (the first run starts
the JVM; the second is what a long-lived linking process pays), and prints wall time, F1 against
the generated truth, and how many links the two backends disagree on.

    .venv/bin/python bench/linkage_spark.py                       # 1,000 × 10,000, local[2]
    .venv/bin/python bench/linkage_spark.py --attendees 5000 --enrolments 50000 --master local[2]

Spark does not win on one two-core machine at this size: it exists to spread a national file over
a cluster. The figure to read is its overhead against DuckDB, and that it links the same pairs.
Needs ``java`` and ``requirements-spark.txt``; without them it says so and exits 0 (``make bench``).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _f1(found: set, truth: set) -> float:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=1_000)
    parser.add_argument("--enrolments", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--memory", default="2g")
    parser.add_argument("--partitions", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("java") is None or importlib.util.find_spec("pyspark") is None:
        print("linkage_spark: not run (needs java and requirements-spark.txt)")
        return

    from synthetic_people import Generator

    from app.linkage import LinkStatus, link, normalize_records
    from app.linkage.spark_backend import SparkOptions

    data = Generator(args.seed).dataset(args.attendees, args.enrolments)
    attendees, _ = normalize_records(data.attendees)
    enrolments, _ = normalize_records(data.enrolments)
    print(f"{attendees.num_rows:,} attendees × {enrolments.num_rows:,} enrolments "
          f"({len(data.truth):,} true links); Spark master {args.master}, "
          f"{args.partitions} partitions")  # fmt: skip
    options = SparkOptions(master=args.master, memory=args.memory, partitions=args.partitions)
    runs = [("duckdb (reference)", None), ("spark, JVM start", options), ("spark, warm", options)]
    reference: dict | None = None
    for name, spark in runs:
        clock = time.perf_counter()
        result = link(attendees, enrolments, spark=spark)
        seconds = time.perf_counter() - clock
        linked = {(lk.attendee_id, lk.enrolment_id) for lk in result.by_status(LinkStatus.LINKED)}
        statuses = {(lk.attendee_id, lk.enrolment_id): lk.status for lk in result.links}
        if reference is None:
            reference = statuses
        differ = len(set(statuses.items()) ^ set(reference.items()))
        probabilistic = result.seconds.get("probabilistic", 0.0)
        print(f"{name:20s} {seconds:7.1f} s (probabilistic pass {probabilistic:6.1f} s)  "
              f"F1 {_f1(linked, data.truth):.4f}  links {len(statuses):,}  "
              f"differing from DuckDB {differ}")  # fmt: skip


if __name__ == "__main__":
    main()
