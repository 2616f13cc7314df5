"""How high F1 can go on the linkage benchmark's data, whatever rule decides the scored pairs.

``bench/linkage.py`` scores the pipeline; ``bench/linkage_misses.py`` says where it loses its
true pairs. This asks what any decision could win back from the records themselves: on the same
synthetic data it takes every pair Splink scores (down to ``--floor``, with each comparison's
match weight) and decides them four ways, each keeping one pair per attendee and per enrolment
and adding the exact-key links:

- Splink's probability at the pipeline's link threshold (0.9): close to the pipeline's own F1;
- Splink's probability at the threshold that maximises F1, chosen *with the truth*;
- a gradient-boosted classifier trained *on the truth* (two folds split by attendee, each scored
  by the model trained on the other) over every comparison's weight, the term frequencies and
  what competes with the pair (candidates per side, rank, the others' weight, namesakes in the
  commune), at its best threshold: a supervised model that no unlabelled run could beat by much;
- every true pair among the candidates linked and nothing else: the bound of the blocking rules.

If the classifier trained on the truth stays under an aim, the records do not carry what the
aim asks: attendees with neither phone nor birth whose common name is shared in the commune.

Needs scikit-learn, which the app does not: ``make bench`` installs ``requirements-bench.txt``.

    .venv/bin/python bench/linkage_ceiling.py                  # 100,000 × 1,000,000, seed 2026
    .venv/bin/python bench/linkage_ceiling.py --seed 7 --attendees 20000 --enrolments 200000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LINK_AT = 0.9
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)

# Each scored pair with the truth and what competes with it on either side.
_FEATURES = """
WITH p AS (
    SELECT CASE WHEN source_dataset_l = 'attendees' THEN unique_id_l ELSE unique_id_r END AS a_id,
           CASE WHEN source_dataset_l = 'attendees' THEN unique_id_r ELSE unique_id_l END AS e_id,
           * EXCLUDE (unique_id_l, unique_id_r, source_dataset_l, source_dataset_r, match_key)
    FROM scored
), names_e AS (
    SELECT unique_id,
        count(*) OVER (PARTITION BY surname_f, middle_f, given_f, commune) AS namesakes_e,
        count(*) OVER (PARTITION BY surname_f, middle_f, given_f) AS name_count_e
    FROM enr
), names_a AS (
    SELECT unique_id,
        count(*) OVER (PARTITION BY surname_f, middle_f, given_f, commune) AS namesakes_a
    FROM att
)
SELECT p.*, (t.a_id IS NOT NULL)::INT AS y, hash(p.a_id) % 2 AS fold,
    count(*) OVER (PARTITION BY p.a_id) AS candidates_a,
    count(*) OVER (PARTITION BY p.e_id) AS candidates_e,
    rank() OVER (PARTITION BY p.a_id ORDER BY match_weight DESC) AS rank_a,
    rank() OVER (PARTITION BY p.e_id ORDER BY match_weight DESC) AS rank_e,
    match_weight - max(match_weight) OVER (PARTITION BY p.a_id) AS below_best_a,
    log2(sum(pow(2, match_weight)) OVER (PARTITION BY p.a_id) - pow(2, match_weight) + 1e-9)
        AS others_a,
    log2(sum(pow(2, match_weight)) OVER (PARTITION BY p.e_id) - pow(2, match_weight) + 1e-9)
        AS others_e,
    namesakes_e, name_count_e, namesakes_a
FROM p LEFT JOIN truth t ON t.a_id = p.a_id AND t.e_id = p.e_id
JOIN names_e ON names_e.unique_id = p.e_id JOIN names_a ON names_a.unique_id = p.a_id
"""


def scored_pairs(
    att: pa.Table, enr: pa.Table, floor: float
) -> tuple[pa.Table, list[tuple[str, str]], float | None]:
    """Splink's pairs from ``floor`` with each comparison's weight, as the pipeline scores them.

    Returns the pairs, the exact-key links (attendee, enrolment) and the prior used.
    """
    from app.linkage import LinkStatus, duckdb_backend, link
    from app.linkage.engine import splink_prior
    from app.linkage.probabilistic import load_model

    # Household members the rule added score 0; the exact keys' own pairs score 1.
    exact_links = [lk for lk in link(att, enr, probabilistic=False).links if lk.score == 1.0]
    exact = [(lk.attendee_id, lk.enrolment_id) for lk in exact_links]
    skip = (
        pa.array(sorted({a for a, _ in exact}), pa.string()),
        pa.array(sorted({e for _, e in exact}), pa.string()),
    )
    prior = splink_prior(len(exact), att.num_rows - len(skip[0]), enr.num_rows - len(skip[1]))
    model = {
        **load_model(),
        "probability_two_random_records_match": prior,
        "retain_intermediate_calculation_columns": True,
    }
    with duckdb_backend.linker(att, enr, model, skip=skip) as linker:
        pairs = linker.inference.predict(threshold_match_probability=floor).as_pyarrow_table()
    linked = [(lk.attendee_id, lk.enrolment_id) for lk in exact_links
              if lk.status == LinkStatus.LINKED]  # fmt: skip
    return pairs, linked, prior


def one_per_side(a_ids: np.ndarray, e_ids: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices of the pairs kept: best score first, each attendee and enrolment used once."""
    taken_a: set[str] = set()
    taken_e: set[str] = set()
    kept = []
    for i in np.argsort(-score, kind="stable"):
        if a_ids[i] in taken_a or e_ids[i] in taken_e:
            continue
        taken_a.add(a_ids[i])
        taken_e.add(e_ids[i])
        kept.append(i)
    return np.array(kept, dtype=np.int64)


def f1_at(y: np.ndarray, score: np.ndarray, kept: np.ndarray, t: float, base: tuple, n: int):
    chosen = kept[score[kept] >= t]
    tp, found = base[0] + int(y[chosen].sum()), base[1] + len(chosen)
    p, r = tp / found, tp / n
    return 2 * p * r / (p + r), p, r


def report(label: str, y, score, a_ids, e_ids, base, n, thresholds) -> None:
    kept = one_per_side(a_ids, e_ids, score)
    f1, p, r, t = max((*f1_at(y, score, kept, t, base, n), t) for t in thresholds)
    print(f"  {label}: P={p:.4f} R={r:.4f} F1={f1:.4f} (threshold {t:.2f})")


def classifier_scores(columns: dict, names: list[str], y: np.ndarray, fold: np.ndarray):
    """Each fold scored by a gradient-boosted model trained on the other fold's truth."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.column_stack([columns[c].astype(np.float64) for c in names])
    out = np.zeros(len(y))
    for k in (0, 1):
        train, test = fold != k, fold == k
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, random_state=0)
        out[test] = model.fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=100_000)
    parser.add_argument("--enrolments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--floor", type=float, default=0.001, help="lowest Splink score kept")
    args = parser.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        sys.exit("needs scikit-learn: .venv/bin/pip install -r requirements-bench.txt")

    import duckdb
    from synthetic_people import Generator

    from app.linkage import normalize_records

    clock = time.perf_counter()
    data = Generator(args.seed).dataset(args.attendees, args.enrolments)
    att, _ = normalize_records(data.attendees)
    enr, _ = normalize_records(data.enrolments)
    pairs, exact, prior = scored_pairs(att, enr, args.floor)
    truth = pa.table({"a_id": [a for a, _ in data.truth], "e_id": [e for _, e in data.truth]})
    con = duckdb.connect()
    for name, table in {"scored": pairs, "att": att, "enr": enr, "truth": truth}.items():
        con.register(name, table)
    columns = con.execute(_FEATURES).fetchnumpy()
    y = columns["y"].astype(np.int64)
    n = truth.num_rows
    exact_true = len(set(exact) & data.truth)
    base = (exact_true, len(exact))
    print(
        f"{att.num_rows:,} attendees × {enr.num_rows:,} enrolments, seed {args.seed}, "
        f"{os.cpu_count()} cores: {n:,} true pairs; exact keys {len(exact):,} links "
        f"({exact_true:,} true); Splink scored {len(y):,} pairs from {args.floor} "
        f"({int(y.sum()):,} true), prior {prior:.3g}; {time.perf_counter() - clock:.0f} s"
    )
    a_ids, e_ids = columns["a_id"], columns["e_id"]
    probability = columns["match_probability"]
    print("F1 with one pair per attendee and per enrolment, exact-key links included:")
    report(f"Splink at the pipeline's threshold {LINK_AT}", y, probability, a_ids, e_ids, base, n,
           [LINK_AT])  # fmt: skip
    report("Splink at the best threshold (chosen with the truth)", y, probability, a_ids,
           e_ids, base, n, THRESHOLDS)  # fmt: skip
    weights = [c for c in columns if c.startswith(("mw_", "tf_")) or c == "match_weight"]
    competing = ["candidates_a", "candidates_e", "rank_a", "rank_e", "below_best_a", "others_a",
                 "others_e", "namesakes_e", "name_count_e", "namesakes_a"]  # fmt: skip
    clock = time.perf_counter()
    learned = classifier_scores(columns, weights + competing, y, columns["fold"])
    report(
        f"classifier trained on the truth, 2 folds ({time.perf_counter() - clock:.0f} s)",
        y, learned, a_ids, e_ids, base, n, THRESHOLDS,
    )  # fmt: skip
    report("every true candidate and nothing else (blocking's bound)", y, y.astype(float),
           a_ids, e_ids, base, n, [0.5])  # fmt: skip


if __name__ == "__main__":
    main()
