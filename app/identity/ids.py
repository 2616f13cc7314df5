"""Personal ids: the 12-digit CCCD, the old 9-digit CMND, the BHXH code, and the recorded sex.

A CCCD has no check digit, but digits 4–6 encode century, sex and birth year (Decree
137/2015/NĐ-CP Art. 13), so a typed number can be cross-checked against the date of birth and sex
recorded beside it — a cheap, strong consistency test. A 9-digit CMND cannot be converted to a
CCCD offline; it is recognised and kept apart. The BHXH code (mã số BHXH) has 10 digits; newer
exports carry the 12-digit personal id in its place, and an old 15-character BHYT card code ends
with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from app.identity.text import fold

_SEPARATORS = re.compile(r"[\s.\-]")


class IdKind(StrEnum):
    CCCD = "cccd"
    CMND = "cmnd"  # old 9-digit identity card: recognised, not comparable with a CCCD
    INVALID = "invalid"
    MISSING = "missing"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


@dataclass(frozen=True)
class IdNumber:
    kind: IdKind
    value: str | None  # digits only; None when invalid or missing
    province_code: str | None = None  # where the birth was registered (old 63-province codes)
    sex: Sex | None = None
    birth_year: int | None = None

    @property
    def cccd(self) -> str | None:
        return self.value if self.kind == IdKind.CCCD else None


def parse_id_number(raw: str | int | None) -> IdNumber:
    """Recognise a CCCD (12 digits) or CMND (9 digits) as typed; read the CCCD's digits 1–6."""
    if raw is None:
        return IdNumber(IdKind.MISSING, None)
    text = _SEPARATORS.sub("", str(raw))
    if not text:
        return IdNumber(IdKind.MISSING, None)
    if not text.isascii() or not text.isdigit():
        return IdNumber(IdKind.INVALID, None)
    if len(text) == 9:
        return IdNumber(IdKind.CMND, text)
    if len(text) == 11:
        text = "0" + text  # spreadsheets drop the leading zero of "0xx…" province codes
    if len(text) != 12:
        return IdNumber(IdKind.INVALID, None)
    century_sex = int(text[3])
    century = 1900 + 100 * (century_sex // 2)
    sex = Sex.FEMALE if century_sex % 2 else Sex.MALE
    return IdNumber(IdKind.CCCD, text, text[:3], sex, century + int(text[4:6]))


def id_conflicts(number: IdNumber, birth_year: int | None, sex: Sex | None) -> list[str]:
    """What the CCCD's digits 4–6 contradict in the recorded birth year and sex (empty: none)."""
    problems = []
    if number.kind != IdKind.CCCD:
        return problems
    if birth_year is not None and number.birth_year != birth_year:
        problems.append(f"CCCD says born {number.birth_year}, record says {birth_year}")
    if sex is not None and number.sex != sex:
        problems.append(f"CCCD says sex {number.sex}, record says {sex}")
    return problems


@lru_cache(maxsize=1024)
def parse_sex(raw: str | None) -> Sex | None:
    """ "Nam"/"nữ"/"M"/"F"/"male"/"female" (any case or accent) → Sex; anything else → None."""
    if raw is None:
        return None
    value = fold(str(raw))
    if value in {"nam", "m", "male", "trai"}:
        return Sex.MALE
    if value in {"nu", "f", "female", "gai"}:
        return Sex.FEMALE
    return None


def parse_insurance_id(raw: str | int | None) -> str | None:
    """Mã số BHXH as the linkage key: 10 digits, or 12 (newer exports carry the personal id).

    An old 15-character BHYT card code ("GD4401234567890") ends with the 10-digit BHXH code.
    """
    if raw is None:
        return None
    text = _SEPARATORS.sub("", str(raw)).upper()
    if len(text) == 15 and text[:2].isalpha() and text[2:].isdigit():
        text = text[-10:]
    if len(text) == 9 and text.isdigit():
        text = "0" + text  # the leading zero lost in a spreadsheet
    if text.isascii() and text.isdigit() and len(text) in (10, 12):
        return text
    return None
