"""Splink's DuckDB backend for the probabilistic pass, sized for a shared two-core machine.

Both sides are read in place: the Arrow tables are registered with DuckDB (no copy), the
records the exact keys already linked are left out and the household phones joined by views,
so the one copy of a million enrolments is the one Splink makes inside DuckDB — under its
memory cap, spilled to a temporary directory beyond it. Only pairs at or above the threshold
come back to Python.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

HOUSEHOLD_PHONES_SQL = """
SELECT e.*, h.household_phones
FROM enr e LEFT JOIN (
    SELECT household_ref, list(DISTINCT phone) AS household_phones
    FROM enr WHERE household_ref IS NOT NULL AND phone IS NOT NULL GROUP BY household_ref
) h USING (household_ref)
"""

# The columns the comparisons and blocking rules read: Splink copies what it is given.
USED_COLUMNS = [
    "unique_id", "given", "given_f", "surname_f", "surname_group", "middle_f", "name_sorted",
    "birth_date", "birth_year", "birth_month", "dob_precision", "sex", "cccd", "phone", "commune",
    "commune_candidates", "household_ref",
]  # fmt: skip
# DuckDB sized for the machine it shares: two cores and a memory cap it spills past to disk.
# At 100,000 × 1,000,000 the cap of 400 MB instead of 700 MB cut the peak by some 300 MB for
# the same links (and 700 MB instead of 1,200 MB had cut 440 MB).
DUCKDB_CONFIG = {"threads": "2", "memory_limit": "400MB", "preserve_insertion_order": "false"}

_SIDES = """
CREATE VIEW attendees_in AS
SELECT *, NULL::VARCHAR[] AS household_phones FROM att_all
WHERE unique_id NOT IN (SELECT unique_id FROM att_skip);
CREATE VIEW enr AS
SELECT * FROM enr_all WHERE unique_id NOT IN (SELECT unique_id FROM enr_skip);
CREATE VIEW enrolments_in AS {household};
"""


def _ids(ids: pa.Array | None) -> pa.Table:
    return pa.table({"unique_id": ids if ids is not None else pa.array([], pa.string())})


@contextmanager
def linker(
    attendees: pa.Table,
    enrolments: pa.Table,
    settings: dict,
    *,
    skip: tuple[pa.Array, pa.Array] | None = None,
) -> Iterator:
    """A Splink ``Linker`` over both sides, without the ``skip`` ids (attendees, enrolments).

    The connection and its spill directory live as long as the ``with`` block.
    """
    import tempfile

    import duckdb
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    skip_att, skip_enr = skip or (None, None)
    with tempfile.TemporaryDirectory(prefix="linkage-duckdb-") as spill:
        con = duckdb.connect(config={**DUCKDB_CONFIG, "temp_directory": spill})
        try:
            con.register("att_all", attendees.select(USED_COLUMNS))
            con.register("enr_all", enrolments.select(USED_COLUMNS))
            con.register("att_skip", _ids(skip_att))
            con.register("enr_skip", _ids(skip_enr))
            con.execute(_SIDES.format(household=HOUSEHOLD_PHONES_SQL))
            db = DuckDBAPI(con)
            a = db.register("attendees_in", dataset_display_name="attendees")
            e = db.register("enrolments_in", dataset_display_name="enrolments")
            yield Linker([a, e], settings, log_level=logging.WARNING)
        finally:
            con.close()


def predict_pairs(
    attendees: pa.Table,
    enrolments: pa.Table,
    settings: dict,
    *,
    threshold: float,
    skip: tuple[pa.Array, pa.Array] | None = None,
) -> pa.Table:
    """(attendee_id, enrolment_id, match_probability) of the pairs at or above ``threshold``."""
    import pyarrow.compute as pc

    with linker(attendees, enrolments, settings, skip=skip) as lk:
        table = lk.inference.predict(threshold_match_probability=threshold).as_pyarrow_table()
    # Splink orders each pair by dataset name; "attendees" < "enrolments" keeps them on the left.
    left_is_attendee = pc.equal(table["source_dataset_l"], "attendees")
    attendee = pc.if_else(left_is_attendee, table["unique_id_l"], table["unique_id_r"])
    enrolment = pc.if_else(left_is_attendee, table["unique_id_r"], table["unique_id_l"])
    return pa.table(
        {
            "attendee_id": attendee.cast(pa.string()),
            "enrolment_id": enrolment.cast(pa.string()),
            "match_probability": table["match_probability"].cast(pa.float64()),
        }
    )
