"""Input records and their normalised, column-oriented form shared by every linkage pass.

Both sides — attendees (people from sheets, check-ins, platform participants and comment leads)
and enrolments — arrive as ``PersonRecord`` with the raw values as typed; ``normalize_records``
turns them into a pyarrow table with the columns the deterministic and Splink passes compare.
Problems that must not be matched silently (legacy encodings, impossible dates, CCCDs that
contradict the date of birth, 9-digit CMND numbers) come back as ``RecordIssue`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from app.linkage import columns
from app.linkage.columns import SURNAME_GROUPS

__all__ = ["SCHEMA", "SURNAME_GROUPS", "PersonRecord", "RecordIssue", "normalize_records"]


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One row of either side, values as typed. ``record_id`` is the caller's key.

    Slots: a province's enrolment file is a million of these.
    """

    record_id: str
    full_name: str | None = None
    birth: str | int | float | dt.date | None = None  # dd/mm/yyyy, yyyy, date, Excel serial
    sex: str | None = None
    id_number: str | None = None  # CCCD (12 digits) or old CMND (9 digits)
    insurance_id: str | None = None  # mã số BHXH (10), personal id (12) or BHYT card (15)
    phone: str | None = None
    commune: str | None = None  # 2025 or legacy code or name
    district: str | None = None  # legacy district, narrows a legacy commune name
    province: str | None = None
    household_ref: str | None = None  # enrolments: the BHYT household purchase it belongs to


@dataclass(frozen=True)
class RecordIssue:
    record_id: str
    field: str
    problem: str


SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("surname", pa.string()),
        ("middle", pa.string()),
        ("given", pa.string()),
        ("surname_f", pa.string()),
        ("surname_group", pa.string()),
        ("middle_f", pa.string()),
        ("given_f", pa.string()),
        ("name_sorted", pa.string()),
        ("name_swapped", pa.bool_()),
        ("birth_date", pa.string()),
        ("birth_year", pa.int32()),
        ("birth_month", pa.int32()),
        ("dob_precision", pa.string()),
        ("sex", pa.string()),
        ("cccd", pa.string()),
        ("cmnd", pa.string()),
        ("insurance_id", pa.string()),
        ("phone", pa.string()),
        ("phone_quality", pa.string()),
        ("commune", pa.string()),
        ("commune_candidates", pa.list_(pa.string())),
        ("household_ref", pa.string()),
    ]
)


def normalize_records(records: Iterable[PersonRecord]) -> tuple[pa.Table, list[RecordIssue]]:
    """Normalise one side; duplicate ``record_id`` values are an error (keys must be unique)."""
    records = list(records)
    ids = [r.record_id for r in records]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for rid in ids:
            if rid in seen:
                raise ValueError(f"duplicate record_id {rid!r}")
            seen.add(rid)
    found: columns.Problems = []
    table: dict[str, pa.Array] = {"unique_id": pa.array(ids, pa.string())}
    table |= columns.names([r.full_name for r in records], found)
    table |= columns.births([r.birth for r in records], found)
    table |= columns.ids_and_sex(
        [r.id_number for r in records],
        [r.insurance_id for r in records],
        [r.sex for r in records],
        table["birth_year"],
        found,
    )
    table |= columns.phones([r.phone for r in records], found)
    table |= columns.communes(
        [
            [r.commune for r in records],
            [r.district for r in records],
            [r.province for r in records],
        ],
        found,
    )
    household = columns.strings([r.household_ref for r in records])
    table["household_ref"] = pc.if_else(pc.equal(household, ""), None, household)
    out = pa.table({f.name: table[f.name].cast(f.type) for f in SCHEMA}, schema=SCHEMA)
    issues = [
        RecordIssue(ids[row], field, problem)
        for row, field, problem in columns.sorted_problems(found)
    ]
    return out, issues
