"""The deterministic pass: exact keys that need no model, as one DuckDB join per tier.

Tiers, strongest first: the CCCD (also found in the insurance-id column of newer exports), the
insurance person id (mã số BHXH), then phone *plus* folded given name — never the phone alone,
because one phone serves a whole household and numbers are recycled. Even phone plus given name
is not enough when the two records contradict each other on birth year or sex: a mother and
daughter may share a phone and a given name, so such pairs are left to the probabilistic pass.
"""

from __future__ import annotations

from enum import StrEnum

import duckdb
import pyarrow as pa


class Tier(StrEnum):
    CCCD = "cccd"
    INSURANCE_ID = "insurance_id"
    PHONE_GIVEN = "phone_given"


_COLUMNS = "unique_id, cccd, insurance_id, phone, given_f, middle_f, birth_year, sex"

# One row per (attendee, enrolment, tier); rank 1 is the strongest tier.
_PAIRS = """
WITH pairs AS (
    SELECT a.unique_id AS a, e.unique_id AS e, 1 AS tier
    FROM att a JOIN enr e ON a.cccd = e.cccd
    UNION ALL
    SELECT a.unique_id, e.unique_id, 1 FROM att a JOIN enr e ON a.cccd = e.insurance_id
    UNION ALL
    SELECT a.unique_id, e.unique_id, 1
    FROM att a JOIN enr e ON a.insurance_id = e.cccd WHERE length(a.insurance_id) = 12
    UNION ALL
    SELECT a.unique_id, e.unique_id, 2 FROM att a JOIN enr e ON a.insurance_id = e.insurance_id
    UNION ALL
    SELECT a.unique_id, e.unique_id, 3
    FROM att a JOIN enr e ON a.phone = e.phone AND a.given_f = e.given_f
    WHERE (a.birth_year IS NULL OR e.birth_year IS NULL OR abs(a.birth_year - e.birth_year) <= 1)
      AND (a.sex IS NULL OR e.sex IS NULL OR a.sex = e.sex)
      AND (a.middle_f IS NULL OR e.middle_f IS NULL OR a.middle_f = e.middle_f)
)
SELECT a, e, min(tier) AS tier FROM pairs GROUP BY a, e ORDER BY a, e
"""
_TIERS = {1: Tier.CCCD, 2: Tier.INSURANCE_ID, 3: Tier.PHONE_GIVEN}


def deterministic_pairs(attendees: pa.Table, enrolments: pa.Table) -> list[tuple[str, str, Tier]]:
    """(attendee_id, enrolment_id, tier) for every exact-key agreement; each pair once.

    A pair found by several tiers keeps the strongest. One enrolment may still appear with
    several attendees (two attendee rows sharing a CCCD); ``engine`` keeps the best.
    """
    columns = _COLUMNS.split(", ")
    with duckdb.connect() as con:
        con.register("att", attendees.select(columns))
        con.register("enr", enrolments.select(columns))
        rows = con.execute(_PAIRS).fetchall()
    return [(a, e, _TIERS[tier]) for a, e, tier in rows]
