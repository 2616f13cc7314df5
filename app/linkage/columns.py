"""Column-wise normalisation for ``records.normalize_records``: Arrow does the per-row work.

A million enrolments hold some tens of thousands of distinct names, births and communes, but a
million distinct CCCDs and phones. So each field is either decided once per *distinct* value by
the scalar parser of ``app.identity`` and spread back onto the rows with one Arrow ``take``, or —
CCCDs, insurance codes, phones — answered for the plainly written majority by Arrow compute
functions that follow the scalar parser's own rule, the rest going to the scalar parser once per
distinct value. No Python loop runs per row except reading the values out of the records; a test
holds the result identical to the former per-row code on tricky inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from app.identity.births import BirthError, parse_birth
from app.identity.communes import resolve_commune
from app.identity.encodings import detect_legacy
from app.identity.ids import IdKind, parse_id_number, parse_insurance_id, parse_sex
from app.identity.names import parse_name
from app.identity.phones import PhoneQuality
from app.identity.phones.columns import plain_mobiles
from app.identity.phones.quality import parse_phone

# Hoàng/Huỳnh (黃) and Vũ/Võ (武) are one surname written North and South; clerks may switch.
SURNAME_GROUPS = {"huynh": "hoang", "vo": "vu"}

NAME_COLUMNS = (
    "surname", "middle", "given", "surname_f", "surname_group", "middle_f", "given_f", "name_sorted"
)  # fmt: skip
_NULL = pa.scalar(None, pa.string())

Problems = list[tuple[pa.Array, str, pa.Array]]  # (rows, field, problem) chunks


def encode(values: Sequence) -> tuple[list, pa.Array]:
    """Distinct values and each row's index into them.

    Strings go through Arrow's dictionary encoding; a column mixing types (births: strings,
    numbers and dates) through a Python dict, where ``1962 == 1962.0`` stays one value as it was
    in the per-row code.
    """
    try:
        encoded = pc.dictionary_encode(pa.array(values, pa.string()))
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        codes: dict = {}
        indices = [codes.setdefault(value, len(codes)) for value in values]
        return list(codes), pa.array(indices, pa.int32())
    distinct = encoded.dictionary.to_pylist()
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, len(distinct))
        distinct.append(None)
    return distinct, indices


def encode_tuples(columns: Sequence[Sequence]) -> tuple[list[tuple], pa.Array]:
    """``encode`` of rows made of several columns, each column encoded on its own."""
    parts = [encode(column) for column in columns]
    code = pa.scalar(0, pa.int64())
    for distinct, indices in parts:
        code = pc.add(pc.multiply(code, len(distinct)), pc.cast(indices, pa.int64()))
    encoded = pc.dictionary_encode(code)
    distinct = []
    for combined in encoded.dictionary.to_pylist():
        key = []
        for values, _ in reversed(parts):
            combined, at = divmod(combined, len(values))
            key.append(values[at])
        distinct.append(tuple(reversed(key)))
    return distinct, encoded.indices


def spread(per_distinct: list, indices: pa.Array, type_: pa.DataType) -> pa.Array:
    return pa.array(per_distinct, type_).take(indices)


def add_problems(found: Problems, field: str, problem: pa.Array) -> None:
    """Record the rows where ``problem`` (one string or null per row) is set."""
    rows = pc.indices_nonzero(pc.is_valid(problem))
    if len(rows):
        found.append((rows, field, problem.take(rows)))


def _empty_to_none(value: str) -> str | None:
    return value or None


_NO_NAME = (None,) * len(NAME_COLUMNS) + (False,)


def name_parts(raw: str | None) -> tuple[tuple, str | None]:
    """(surname … given_f, swapped) of one typed name, and its problem (legacy encoding)."""
    if raw and (bad := detect_legacy(raw)):
        return _NO_NAME, f"legacy {bad.encoding} encoding ({bad.characters})"
    name = parse_name(raw)
    if name is None:
        return _NO_NAME, None
    group = SURNAME_GROUPS.get(name.surname_folded, name.surname_folded) or None
    # The folded words in alphabetical order: the same name written in another order (given
    # name first, surname last) that the surname list could not put back.
    name_sorted = " ".join(sorted(name.full_folded.split()))
    return (
        _empty_to_none(name.surname),
        _empty_to_none(name.middle),
        name.given,
        _empty_to_none(name.surname_folded),
        group,
        _empty_to_none(name.middle_folded),
        name.given_folded,
        name_sorted,
        name.swapped,
    ), None


def per_distinct_columns(
    values: Sequence | tuple[list, pa.Array],
    function: Callable,
    names: Sequence[str],
    types: Sequence[pa.DataType],
) -> tuple[dict[str, pa.Array], pa.Array]:
    """``function`` (→ (tuple of column values, problem)) once per distinct value, spread back.

    ``values`` may come already encoded (``encode_tuples``).
    """
    distinct, indices = values if isinstance(values, tuple) else encode(values)
    done = [function(value) for value in distinct]
    columns = {
        name: spread([d[0][at] for d in done], indices, type_)
        for at, (name, type_) in enumerate(zip(names, types, strict=True))
    }
    return columns, spread([d[1] for d in done], indices, pa.string())


def names(raw: Sequence, found: Problems) -> dict[str, pa.Array]:
    columns, problem = per_distinct_columns(
        raw,
        name_parts,
        (*NAME_COLUMNS, "name_swapped"),
        (pa.string(),) * len(NAME_COLUMNS) + (pa.bool_(),),
    )
    add_problems(found, "full_name", problem)
    return columns


def _birth_parts(raw) -> tuple[tuple, str | None]:
    try:
        birth = parse_birth(raw)
    except BirthError as exc:
        return (None, None, None, None), str(exc)
    if birth is None:
        return (None, None, None, None), None
    return (birth.iso, birth.year, birth.month, birth.precision.value), None


def births(raw: Sequence, found: Problems) -> dict[str, pa.Array]:
    columns, problem = per_distinct_columns(
        raw,
        _birth_parts,
        ("birth_date", "birth_year", "birth_month", "dob_precision"),
        (pa.string(), pa.int32(), pa.int32(), pa.string()),
    )
    add_problems(found, "birth", problem)
    return columns


def strings(values: Sequence) -> pa.Array:
    """Values as Arrow strings, ``str()`` of anything that is not a string (as the parsers do)."""
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([v if v is None or isinstance(v, str) else str(v) for v in values])


def fill_slow(
    raw: pa.Array, fast: list[pa.Array], answered: pa.Array, function: Callable
) -> list[pa.Array]:
    """Each of ``fast`` with the rows not ``answered`` replaced by ``function`` (→ tuple).

    ``function`` runs once per distinct unanswered value; null inputs stay unanswered.
    """
    todo = pc.indices_nonzero(pc.invert(pc.fill_null(answered, True)))
    if not len(todo):
        return fast
    distinct, indices = encode(raw.take(todo).to_pylist())
    done = [function(value) for value in distinct]
    mask = pc.invert(pc.fill_null(answered, True))
    return [
        pc.replace_with_mask(column, mask, spread([d[at] for d in done], indices, column.type))
        for at, column in enumerate(fast)
    ]


# Id numbers: the scalar parse_id_number drops [\s.\-]; a value made only of ASCII digits,
# spaces, dots and hyphens is decided here by the same rule, anything else by the parser.
_PLAIN_ID = r"^[0-9 .\-]*$"


def _id_parts(raw: str) -> tuple[str, str | None]:
    number = parse_id_number(raw)
    return number.kind.value, number.value


def id_numbers(raw_values: Sequence, found: Problems) -> tuple[pa.Array, pa.Array]:
    """(kind, digits) of each typed CCCD/CMND, with the CMND and invalid rows' problems."""
    raw = strings(raw_values)
    plain = pc.match_substring_regex(raw, _PLAIN_ID)
    digits = pc.replace_substring_regex(raw, r"[ .\-]", "")
    length = pc.utf8_length(digits)
    digits = pc.if_else(pc.equal(length, 11), pc.binary_join_element_wise("0", digits, ""), digits)
    kind = pc.case_when(
        pc.make_struct(
            pc.equal(length, 0),
            pc.equal(length, 9),
            pc.or_(pc.equal(length, 11), pc.equal(length, 12)),
        ),
        IdKind.MISSING.value,
        IdKind.CMND.value,
        IdKind.CCCD.value,
        IdKind.INVALID.value,
    )
    value = pc.if_else(
        pc.is_in(kind, pa.array([IdKind.CMND.value, IdKind.CCCD.value])), digits, _NULL
    )
    kind = pc.if_else(pc.is_null(raw), IdKind.MISSING.value, kind)
    answered = pc.or_(pc.fill_null(plain, False), pc.is_null(raw))
    kind, value = fill_slow(raw, [kind, value], answered, _id_parts)
    rows = pc.indices_nonzero(pc.is_in(kind, pa.array([IdKind.CMND.value, IdKind.INVALID.value])))
    if len(rows):
        problem = [
            "9-digit CMND: not comparable with a CCCD"
            if k == IdKind.CMND.value
            else f"not a CCCD: {raw_values[row]!r}"
            for row, k in zip(rows.to_pylist(), kind.take(rows).to_pylist(), strict=True)
        ]
        found.append((rows, "id_number", pa.array(problem, pa.string())))
    return kind, value


def insurance_ids(raw_values: Sequence) -> pa.Array:
    """``parse_insurance_id`` of each value: plain 10-digit codes in Arrow, others per distinct."""
    raw = strings(raw_values)
    fast = pc.if_else(pc.match_substring_regex(raw, r"^[0-9]{10}$"), raw, _NULL)
    answered = pc.or_(pc.is_valid(fast), pc.is_null(raw))
    [insurance] = fill_slow(raw, [fast], answered, lambda v: (parse_insurance_id(v),))
    return insurance


def cccd_year(cccd: pa.Array) -> pa.Array:
    """Birth year read from a CCCD's digits 4–6 (century/sex digit, two-digit year)."""
    century_sex = pc.cast(pc.utf8_slice_codeunits(cccd, 3, 4), pa.int32())
    century = pc.add(1900, pc.multiply(100, pc.divide(century_sex, 2)))
    year = pc.add(century, pc.cast(pc.utf8_slice_codeunits(cccd, 4, 6), pa.int32()))
    return pc.cast(year, pa.int32())


def cccd_sex(cccd: pa.Array) -> pa.Array:
    odd = pc.equal(pc.bit_wise_and(pc.cast(pc.utf8_slice_codeunits(cccd, 3, 4), pa.int32()), 1), 1)
    return pc.if_else(odd, "F", "M")


def ids_and_sex(
    raw_ids: Sequence, raw_insurance: Sequence, raw_sex: Sequence, birth_year: pa.Array,
    found: Problems,
) -> dict[str, pa.Array]:  # fmt: skip
    """cccd, cmnd, insurance_id and sex, the birth year completed from the CCCD.

    A CCCD typed in the id column is checked against the recorded birth year and sex; a 12-digit
    personal id found in the insurance column (newer exports) stands in for a missing CCCD.
    """
    distinct, indices = encode(raw_sex)
    typed = [parse_sex(v) for v in distinct]
    sex = spread([s.value if s else None for s in typed], indices, pa.string())
    kind, value = id_numbers(raw_ids, found)
    insurance = insurance_ids(raw_insurance)
    typed_cccd = pc.if_else(pc.equal(kind, IdKind.CCCD.value), value, _NULL)
    cmnd = pc.if_else(pc.equal(kind, IdKind.CMND.value), value, _NULL)
    id_year, id_sex = cccd_year(typed_cccd), cccd_sex(typed_cccd)
    bad_year = pc.fill_null(pc.not_equal(id_year, birth_year), False)
    bad_sex = pc.fill_null(pc.not_equal(id_sex, sex), False)
    rows = pc.indices_nonzero(pc.or_(bad_year, bad_sex))
    if len(rows):
        problems: list[tuple[int, str]] = []
        for row in rows.to_pylist():
            if bad_year[row].as_py():
                said, recorded = id_year[row].as_py(), birth_year[row].as_py()
                problems.append((row, f"CCCD says born {said}, record says {recorded}"))
            if bad_sex[row].as_py():
                problems.append(
                    (row, f"CCCD says sex {id_sex[row].as_py()}, record says {sex[row].as_py()}")
                )
        found.append(
            (pa.array([r for r, _ in problems], pa.int64()), "id_number",
             pa.array([p for _, p in problems], pa.string()))
        )  # fmt: skip
    personal = pc.if_else(pc.equal(pc.utf8_length(insurance), 12), insurance, _NULL)
    cccd = pc.coalesce(typed_cccd, personal)
    return {
        "cccd": cccd,
        "cmnd": cmnd,
        "insurance_id": insurance,
        "sex": pc.coalesce(sex, cccd_sex(cccd)),
        "birth_year": pc.coalesce(birth_year, cccd_year(cccd)),
    }


def _phone_parts(value: str) -> tuple[str | None, str]:
    phone = parse_phone(value)
    return phone.national, phone.quality.value


def phones(raw_values: Sequence, found: Problems) -> dict[str, pa.Array]:
    """National form and quality of each phone, as ``parse_phone`` says; invalid ones reported."""
    raw = strings(raw_values)
    national = plain_mobiles(raw)
    ok = pc.is_valid(national)
    quality = pc.if_else(
        ok, PhoneQuality.OK.value, pc.if_else(pc.is_null(raw), PhoneQuality.MISSING.value, _NULL)
    )
    national, quality = fill_slow(
        raw, [national, quality], pc.or_(ok, pc.is_null(raw)), _phone_parts
    )
    rows = pc.indices_nonzero(pc.equal(quality, PhoneQuality.INVALID.value))
    if len(rows):
        problem = [f"not a Vietnamese phone: {raw_values[row]!r}" for row in rows.to_pylist()]
        found.append((rows, "phone", pa.array(problem, pa.string())))
    return {"phone": national, "phone_quality": quality}


def _commune_parts(key: tuple) -> tuple[tuple, str | None]:
    commune = resolve_commune(*key)
    problem = f"unknown commune {key[0]!r}" if key[0] and not commune.candidates else None
    return (commune.code, list(commune.candidates) or None), problem


def communes(raw: Sequence[Sequence], found: Problems) -> dict[str, pa.Array]:
    """2025 code and candidates of each (commune, district, province) column triple."""
    columns, problem = per_distinct_columns(
        encode_tuples(raw),
        _commune_parts,
        ("commune", "commune_candidates"),
        (pa.string(), pa.list_(pa.string())),
    )
    add_problems(found, "commune", problem)
    return columns


_FIELD_ORDER = {"full_name": 0, "birth": 1, "id_number": 2, "phone": 3, "commune": 4}


def sorted_problems(found: Problems) -> list[tuple[int, str, str]]:
    """(row, field, problem), by row then field in the order the fields are read."""
    rows = [
        (row, field, problem)
        for at, field, problem_at in found
        for row, problem in zip(at.to_pylist(), problem_at.to_pylist(), strict=True)
    ]
    rows.sort(key=lambda item: (item[0], _FIELD_ORDER[item[1]]))
    return rows
