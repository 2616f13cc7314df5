"""Estimate the Splink model on synthetic people and write app/linkage/model.json.

Run once when the comparisons change: `.venv/bin/python bench/train_linkage_model.py`. The
m probabilities (EM on pairs sharing a CCCD) describe how often one person's two records differ;
u comes from random pairs. Linking then only predicts (and re-estimates the prior). The seed
differs from the benchmark's, so the model is never trained on the data it is scored on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_people import Generator  # noqa: E402

from app.linkage.probabilistic import MODEL_PATH, train_model  # noqa: E402
from app.linkage.records import normalize_records  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=30_000)
    parser.add_argument("--enrolments", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    data = Generator(args.seed).dataset(args.attendees, args.enrolments)
    clock = time.perf_counter()
    att, _ = normalize_records(data.attendees)
    enr, _ = normalize_records(data.enrolments)
    print(f"normalised in {time.perf_counter() - clock:.1f} s")
    # All records, not only those the exact keys leave: the deterministic rules that estimate
    # the prior need their matches, and m (how often each field disagrees for one person) is
    # the same in both.
    clock = time.perf_counter()
    model = train_model(att, enr, seed=args.seed)
    print(f"trained on {att.num_rows} x {enr.num_rows} in {time.perf_counter() - clock:.1f} s")
    args.out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
