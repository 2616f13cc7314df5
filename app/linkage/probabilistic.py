"""The probabilistic pass: Splink (Fellegi-Sunter, DuckDB backend) on what exact keys left.

Given name and surname carry term-frequency adjustment: a third of people are Nguyễn, so
agreeing on it is weak evidence, while agreeing on a rare given name is strong. A name written
in another order ("Hùng Hoàng Văn") is recognised by its sorted words (``name_sorted``) and
counted once, on the given name. Dates of birth
are compared at their recorded precision (day, month, year) — never by edit distance, which
breaks EM when one side holds many year-only dates.

Phone and commune form one comparison, and a household's phone counts for each member of the
purchase: household members share both, so treating them as independent evidence would link an
attendee to their spouse (see ``comparisons``). A shared commune is weighed by the commune's
share of the records: a province's conference draws on few communes.

The model (m and u probabilities) is estimated once on synthetic data by
``bench/train_linkage_model.py`` and shipped as ``model.json`` beside this module, so linking does
not retrain on every run; ``train_model`` is the same estimation, for re-training. The prior is
re-estimated on every run from the exact-key links (``engine.splink_prior``), since it depends
on how many records are linked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from app.linkage import duckdb_backend
from app.linkage.duckdb_backend import HOUSEHOLD_PHONES_SQL

MODEL_PATH = Path(__file__).with_name("model.json")
# Share of true pairs the exact keys (CCCD; phone + given name) are assumed to find: the prior is
# estimated from their count, as Splink's ``estimate_probability_two_random_records_match`` does.
DETERMINISTIC_RECALL = 0.6


def _null(col: str) -> dict:
    return {
        "sql_condition": f'"{col}_l" IS NULL OR "{col}_r" IS NULL',
        "label_for_charts": f"{col} missing",
        "is_null_level": True,
    }


def _level(sql: str, label: str, tf: str | None = None, tf_weight: float = 1.0) -> dict:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = tf_weight
    return level


def _else() -> dict:
    return {"sql_condition": "ELSE", "label_for_charts": "all other"}


_PHONE_UNKNOWN = "phone_l IS NULL OR phone_r IS NULL"
COMMUNE_TF_WEIGHT = 0.5
# One name written in another order ("Hùng Hoàng Văn" for "Hoàng Văn Hùng") that the surname list
# could not put back: the same folded words, another given name.
_BARE = "same name, one side typed without diacritics"
_REORDERED = "name_sorted_l = name_sorted_r AND given_f_l <> given_f_r"


def _reordered() -> dict:
    """Surname and middle say nothing of a reordered name: the given-name level counts it once."""
    return {
        "sql_condition": _REORDERED,
        "label_for_charts": "name in another order (counted on the given name)",
        "is_null_level": True,
    }


_COMMUNE_UNKNOWN = "commune_candidates_l IS NULL OR commune_candidates_r IS NULL"


def comparisons() -> list[dict]:
    """The comparison levels, most specific first (Splink takes the first that holds)."""
    return [
        {
            "output_column_name": "given",
            "comparison_levels": [
                _null("given_f"),
                _level("given_l = given_r", "exact accented", tf="given"),
                # One side typed without diacritics: the accents are unknown, not different, so
                # this level weighs like an accented match on the folded name (``train_model``).
                _level(
                    "given_f_l = given_f_r AND (given_l = given_f_l OR given_r = given_f_r)",
                    _BARE,
                    tf="given_f",
                ),
                _level("given_f_l = given_f_r", "same letters, other tone marks", tf="given_f"),
                _level(_REORDERED, "same words in another order"),
                _level("jaro_winkler_similarity(given_f_l, given_f_r) >= 0.92", "JW >= 0.92"),
                _level("damerau_levenshtein(given_f_l, given_f_r) <= 1", "one letter off"),
                _else(),
            ],
        },
        {
            "output_column_name": "surname",
            "comparison_levels": [
                _null("surname_f"),
                _reordered(),
                _level("surname_f_l = surname_f_r", "exact folded", tf="surname_f"),
                _level("surname_group_l = surname_group_r", "Hoàng/Huỳnh, Vũ/Võ"),
                _level("jaro_winkler_similarity(surname_f_l, surname_f_r) >= 0.9", "JW >= 0.9"),
                _else(),
            ],
        },
        {
            "output_column_name": "middle",
            "comparison_levels": [
                _null("middle_f"),
                _reordered(),
                _level("middle_f_l = middle_f_r", "exact folded", tf="middle_f"),
                _level("damerau_levenshtein(middle_f_l, middle_f_r) <= 1", "one letter off"),
                _else(),
            ],
        },
        {
            "output_column_name": "birth",
            "comparison_levels": [
                _null("birth_year"),
                _level("birth_date_l = birth_date_r", "same day"),
                _level(
                    "birth_year_l = birth_year_r AND birth_month_l = birth_month_r",
                    "same month",
                ),
                _level(
                    "birth_year_l = birth_year_r AND (dob_precision_l IS DISTINCT FROM 'day' "
                    "OR dob_precision_r IS DISTINCT FROM 'day')",
                    "same year, one side year only",
                ),
                _level("birth_year_l = birth_year_r", "same year, different day"),
                _level("abs(birth_year_l - birth_year_r) <= 1", "one year off"),
                _else(),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_levels": [_null("sex"), _level("sex_l = sex_r", "exact"), _else()],
        },
        {
            # Phone and commune as one comparison: a random pair that shares a phone is nearly
            # always two members of one household, who share the commune too, so adding up the
            # two agreements would count the same evidence twice (and link the attendee's
            # spouse). The commune speaks only where the phones do not.
            "output_column_name": "contact",
            "comparison_levels": [
                {
                    "sql_condition": f"({_PHONE_UNKNOWN}) AND ({_COMMUNE_UNKNOWN})",
                    "label_for_charts": "phone and commune missing",
                    "is_null_level": True,
                },
                _level("phone_l = phone_r", "same phone"),
                _level("levenshtein(phone_l, phone_r) <= 1", "phone one digit off"),
                _level(
                    "list_contains(household_phones_r, phone_l) "
                    "OR list_contains(household_phones_l, phone_r)",
                    "phone of the household purchase",
                ),
                # Weighed by how many records the commune holds: one province's conference
                # draws on a dozen communes, where sharing one says less than the country-wide
                # training data suggests. Half weight: the commune's share is only known from
                # the records at hand, and a small import exaggerates it.
                _level(
                    f"commune_l = commune_r AND ({_PHONE_UNKNOWN})",
                    "same commune",
                    tf="commune",
                    tf_weight=COMMUNE_TF_WEIGHT,
                ),
                _level(
                    "commune_l = commune_r",
                    "same commune, other phone",
                    tf="commune",
                    tf_weight=COMMUNE_TF_WEIGHT,
                ),
                _level(
                    "list_has_any(commune_candidates_l, commune_candidates_r)",
                    "split commune, shared candidate",
                ),
                _level(_PHONE_UNKNOWN, "other commune, phone missing"),
                _else(),
            ],
        },
        {
            "output_column_name": "cccd",
            "comparison_levels": [
                _null("cccd"),
                _level("cccd_l = cccd_r", "exact"),
                _level("damerau_levenshtein(cccd_l, cccd_r) <= 1", "one typo"),
                _else(),
            ],
        },
    ]


BLOCKING_RULES = [
    "l.phone = r.phone",
    "l.cccd = r.cccd",
    "l.given_f = r.given_f AND l.commune = r.commune",
    # A typo in the given name escapes the rules above; these find it by the other parts.
    "l.surname_f = r.surname_f AND l.middle_f = r.middle_f AND l.birth_year = r.birth_year "
    "AND l.commune = r.commune",
    "l.surname_f = r.surname_f AND l.birth_date = r.birth_date",
    # The whole name (its words in any order) and the birth year: a name in another order
    # escapes every rule on its parts. Surname + given name + year (no middle name) drew three
    # times its pairs, more than all other rules together, for one more true pair in 9,000.
    "l.name_sorted = r.name_sorted AND l.birth_year = r.birth_year",
    "l.name_sorted = r.name_sorted AND l.commune = r.commune",
]


def base_settings() -> dict:
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": BLOCKING_RULES,
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }


def with_household_phones(attendees: pa.Table, enrolments: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Add ``household_phones``: the phones written on any row of the same BHYT purchase.

    A household buys together and gives one contact phone, often on one member's row only; an
    attendee's phone found on the purchase is evidence for the member whose own row left the
    phone out. Attendee rows get an empty (null) list.
    """
    import duckdb

    with duckdb.connect() as con:
        con.register("enr", enrolments)
        enrolments = con.sql(HOUSEHOLD_PHONES_SQL).to_arrow_table()
    phones = pa.nulls(attendees.num_rows, pa.list_(pa.string()))
    return attendees.append_column("household_phones", phones), enrolments


# m of a level EM never saw among true pairs (a birth date that disagrees, a CCCD typo): real
# sheets have such errors even when the training data shows none, so it gets this floor
# rather than Splink's generic default.
UNSEEN_M = 0.005
# u of a level random sampling never met (two different people one CCCD typo apart).
UNSEEN_U = 1e-7
# The CCCD is the blocking rule EM learns from, so its own m cannot be estimated there; a
# 12-digit number copied from a card agrees for the same person unless mistyped.
CCCD_M = {"exact": 0.97, "one typo": 0.02, "all other": 0.01}


def train_model(attendees: pa.Table, enrolments: pa.Table, *, seed: int = 1) -> dict:
    """Estimate prior, u (random sampling) and m (EM on pairs that share a CCCD).

    EM is blocked on the CCCD only: pairs sharing one are nearly all true, so the m
    probabilities describe how one person's records differ. Blocking on the phone would let
    household members (same phone, surname and commune, another given name and birth) pass for
    "matches with typos" and teach the model that a different given name is normal for one
    person; blocking on name and birth year lets namesakes do the same for phone and commune.
    """
    with duckdb_backend.linker(attendees, enrolments, base_settings()) as linker:
        return _estimate(linker, seed)


def _estimate(linker, seed: int) -> dict:
    """``train_model``'s estimation on an open linker."""
    linker.training.estimate_probability_two_random_records_match(
        ["l.cccd = r.cccd", "l.phone = r.phone AND l.given_f = r.given_f"],
        recall=DETERMINISTIC_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        "l.cccd = r.cccd", record_sample_proportion=1.0
    )
    model = linker.misc.save_model_to_json()
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level in levels:
            if comparison["output_column_name"] == "cccd":
                level["m_probability"] = CCCD_M[level["label_for_charts"]]
            elif (level.get("m_probability") or 0) < UNSEEN_M:
                level["m_probability"] = UNSEEN_M
            if level.get("u_probability") is None:
                level["u_probability"] = UNSEEN_U
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
        # A name typed bare hides its accents: P(folded names agree | match) is the accented
        # level's m, against the folded name's frequency. (Levels for different missingness
        # patterns: their m need not sum to one with the others.)
        by_label = {level["label_for_charts"]: level for level in levels}
        if _BARE in by_label:
            by_label[_BARE]["m_probability"] = by_label["exact accented"]["m_probability"]
    return model


def load_model(path: Path = MODEL_PATH) -> dict:
    return json.loads(path.read_text("utf-8"))


def predict(
    attendees: pa.Table,
    enrolments: pa.Table,
    model: dict,
    *,
    threshold: float = 0.5,
    prior: float | None = None,
    spark: Any = None,
    skip: tuple[pa.Array, pa.Array] | None = None,
) -> pa.Table:
    """Scored pairs (attendee_id, enrolment_id, match_probability) at or above ``threshold``.

    Both tables must have the layout of ``records.SCHEMA``; attendees are the left side, and
    the ids in ``skip`` (attendees, enrolments) take no part.
    ``prior`` replaces the model's probability that two random records match: it depends on
    the sizes of the two sides being linked, not on the data the model was trained on.
    ``spark`` (``spark_backend.SparkOptions``, from ``LINKAGE_BACKEND=spark``) scores on Spark.
    """
    if prior is not None:
        model = {**model, "probability_two_random_records_match": prior}
    if spark is not None and skip is not None:
        attendees = attendees.filter(pc.invert(pc.is_in(attendees["unique_id"], skip[0])))
        enrolments = enrolments.filter(pc.invert(pc.is_in(enrolments["unique_id"], skip[1])))
        skip = None
    skipped = (len(skip[0]), len(skip[1])) if skip is not None else (0, 0)
    if attendees.num_rows == skipped[0] or enrolments.num_rows == skipped[1]:
        return pa.table(
            {
                "attendee_id": pa.array([], pa.string()),
                "enrolment_id": pa.array([], pa.string()),
                "match_probability": pa.array([], pa.float64()),
            }
        )
    if spark is not None:
        from app.linkage import spark_backend

        phoned = with_household_phones(attendees, enrolments)
        return spark_backend.predict(*phoned, model, threshold=threshold, options=spark)
    return duckdb_backend.predict_pairs(
        attendees, enrolments, model, threshold=threshold, skip=skip
    )
