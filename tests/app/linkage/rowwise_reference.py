"""The per-row normalisation ``records.normalize_records`` did before ``columns``, frozen.

Kept only as the reference the column-wise code must equal, value for value and issue for issue.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from app.identity.births import Birth, BirthError, parse_birth
from app.identity.communes import resolve_commune
from app.identity.encodings import detect_legacy
from app.identity.ids import (
    IdKind,
    IdNumber,
    id_conflicts,
    parse_id_number,
    parse_insurance_id,
    parse_sex,
)
from app.identity.names import parse_name
from app.identity.phones import PhoneQuality
from app.identity.phones.columns import parse_phone_column
from app.linkage.records import SCHEMA as _NOW
from app.linkage.records import SURNAME_GROUPS, PersonRecord, RecordIssue

# The columns the per-row code produced (name_sorted came with the column-wise code).
SCHEMA = pa.schema([f for f in _NOW if f.name != "name_sorted"])


def _empty_to_none(value: str) -> str | None:
    return value or None


# Each field is normalised once per *distinct* value and the result mapped back onto the rows:
# names, communes and birth dates repeat a lot (a million enrolments hold some tens of thousands
# of distinct names), so a million records cost little more than their distinct values.
_NAME_COLUMNS = ("surname", "middle", "given", "surname_f", "surname_group", "middle_f", "given_f")
_NO_NAME = (None,) * len(_NAME_COLUMNS) + (False,)


def _name_columns(raw: str | None) -> tuple[tuple, str | None]:
    """(surname … given_f, swapped) of one typed name, and its problem (legacy encoding)."""
    if raw and (bad := detect_legacy(raw)):
        return _NO_NAME, f"legacy {bad.encoding} encoding ({bad.characters})"
    name = parse_name(raw)
    if name is None:
        return _NO_NAME, None
    group = SURNAME_GROUPS.get(name.surname_folded, name.surname_folded) or None
    return (
        _empty_to_none(name.surname),
        _empty_to_none(name.middle),
        name.given,
        _empty_to_none(name.surname_folded),
        group,
        _empty_to_none(name.middle_folded),
        name.given_folded,
        name.swapped,
    ), None


def _birth(raw) -> tuple[Birth | None, str | None]:
    try:
        return parse_birth(raw), None
    except BirthError as exc:
        return None, str(exc)


def _id_number(raw) -> tuple[IdNumber, str | None]:
    number = parse_id_number(raw)
    if number.kind == IdKind.CMND:
        return number, "9-digit CMND: not comparable with a CCCD"
    if number.kind == IdKind.INVALID:
        return number, f"not a CCCD: {raw!r}"
    return number, None


def _commune(key: tuple) -> tuple[str | None, list[str] | None, str | None]:
    commune = resolve_commune(*key)
    problem = f"unknown commune {key[0]!r}" if key[0] and not commune.candidates else None
    return commune.code, list(commune.candidates) or None, problem


def _per_distinct(values: list, function) -> list:
    """``function`` applied once per distinct value, mapped back onto ``values``."""
    done = {value: function(value) for value in dict.fromkeys(values)}
    return [done[value] for value in values]


# Insurance codes: a plain 10-digit code is taken as it is, in one Arrow pass; the rest goes
# through parse_insurance_id once per distinct value. (Phones have their own column path,
# app.identity.phones.columns.)
def _strings(values: list) -> pa.Array:
    return pa.array([v if v is None or isinstance(v, str) else str(v) for v in values], pa.string())


def _with_fallback(raw: list, fast: pa.Array, function) -> list:
    """Rows the fast path answered keep its value; the others get ``function`` per distinct."""
    answered = fast.to_pylist()
    todo = [v for v, a in zip(raw, answered, strict=True) if a is None and v is not None]
    done = {value: function(value) for value in dict.fromkeys(todo)}
    return [a if a is not None else done.get(v) for v, a in zip(raw, answered, strict=True)]


_FIELD_ORDER = {"full_name": 0, "birth": 1, "id_number": 2, "phone": 3, "commune": 4}
_NO_BIRTH = (None, None, None, None)


def _birth_columns(raw) -> tuple[tuple, int | None, str | None]:
    """((iso, year, month, precision), year, problem) of one typed birth."""
    birth, problem = _birth(raw)
    if birth is None:
        return _NO_BIRTH, None, problem
    return (birth.iso, birth.year, birth.month, birth.precision.value), birth.year, problem


def rowwise_normalize(records: Iterable[PersonRecord]) -> tuple[pa.Table, list[RecordIssue]]:
    """Normalise one side; duplicate ``record_id`` values are an error (keys must be unique)."""
    records = list(records)
    ids = [r.record_id for r in records]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for rid in ids:
            if rid in seen:
                raise ValueError(f"duplicate record_id {rid!r}")
            seen.add(rid)
    found: list[tuple[int, str, str]] = []  # (row, field, problem)

    def problems(field: str, column: list, at: int) -> None:
        for row, value in enumerate(column):
            if value is not None and value[at] is not None:
                found.append((row, field, value[at]))

    columns: dict[str, list | pa.Array] = {"unique_id": ids}
    names = _per_distinct([r.full_name for r in records], _name_columns)
    problems("full_name", names, 1)
    for at, column in enumerate(_NAME_COLUMNS):
        columns[column] = [n[0][at] for n in names]
    columns["name_swapped"] = [n[0][-1] for n in names]
    del names

    births = _per_distinct([r.birth for r in records], _birth_columns)
    problems("birth", births, 2)
    for at, column in enumerate(("birth_date", "birth_year", "birth_month", "dob_precision")):
        columns[column] = [b[0][at] for b in births]
    birth_years = [b[1] for b in births]
    del births

    typed_sex = _per_distinct([r.sex for r in records], parse_sex)
    raw_ids = [r.id_number for r in records]
    numbers = _per_distinct(raw_ids, _id_number)
    problems("id_number", numbers, 1)
    raw_insurance = [r.insurance_id for r in records]
    fast = pc.if_else(
        pc.match_substring_regex(_strings(raw_insurance), r"^[0-9]{10}$"),
        _strings(raw_insurance),
        pa.scalar(None, pa.string()),
    )
    insurance = _with_fallback(raw_insurance, fast, parse_insurance_id)
    sex = [s.value if s else None for s in typed_sex]
    cccd: list[str | None] = [None] * len(ids)
    cmnd: list[str | None] = [None] * len(ids)
    birth_year = columns["birth_year"]
    # Only rows with an id number (or a personal id in the insurance column) need more work.
    for row in range(len(ids)):
        number = numbers[row][0]
        if number.kind == IdKind.CCCD:
            for problem in id_conflicts(number, birth_years[row], typed_sex[row]):
                found.append((row, "id_number", problem))
        elif number.kind == IdKind.CMND:
            cmnd[row] = number.value
        ins = insurance[row]
        if number.kind != IdKind.CCCD and ins is not None and len(ins) == 12:
            number = parse_id_number(ins)  # newer exports carry the personal id there
        if number.kind == IdKind.CCCD:
            cccd[row] = number.cccd
            if birth_year[row] is None:
                birth_year[row] = number.birth_year  # a CCCD tells the year the sheet does not
            if sex[row] is None:
                sex[row] = number.sex.value
    del numbers
    columns.update(sex=sex, cccd=cccd, cmnd=cmnd, insurance_id=insurance)

    raw_phones = [r.phone for r in records]
    national, quality = parse_phone_column(raw_phones)
    for row, (value, flag) in enumerate(zip(raw_phones, quality, strict=True)):
        if flag == PhoneQuality.INVALID:
            found.append((row, "phone", f"not a Vietnamese phone: {value!r}"))
    columns["phone"], columns["phone_quality"] = national, quality

    communes = _per_distinct([(r.commune, r.district, r.province) for r in records], _commune)
    problems("commune", communes, 2)
    columns["commune"] = [c[0] for c in communes]
    columns["commune_candidates"] = [c[1] for c in communes]
    columns["household_ref"] = [r.household_ref or None for r in records]
    table = pa.table({f.name: pa.array(columns[f.name], f.type) for f in SCHEMA}, schema=SCHEMA)
    found.sort(key=lambda item: (item[0], _FIELD_ORDER[item[1]]))
    issues = [RecordIssue(ids[row], field, problem) for row, field, problem in found]
    return table, issues
