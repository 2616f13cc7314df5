"""The Arrow column path and the scalar parser give the same answer for every input.

``plain_mobiles`` repeats the scalar fast path ``plain_mobile`` with Arrow compute functions
(a regex engine of its own, its own whitespace trimming); if the two ever drifted apart, the
linkage would key one person under two numbers. The sample mixes what sheets and comments hold:
real-looking mobiles of every carrier, old 11-digit mobiles, landlines, service numbers, foreign
numbers, ids, junk, and the usual spellings (spaces, dots, dashes, +84, 84, 0084, a dropped 0).
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from app.identity.phones import PhoneQuality, parse_phone
from app.identity.phones.columns import parse_phone_column, plain_mobiles
from app.identity.phones.quality import plain_mobile

MOBILES = ["0912345678", "0987654321", "0869123456", "0559123456", "0301234567", "0701234567",
           "0812345678", "0398765432", "0589123456", "0921234567", "0761234567"]  # fmt: skip


def _spellings(number: str) -> list[str]:
    """The ways a 10-digit national number is typed."""
    nsn = number[1:]
    return [
        number,
        f"{number[:4]} {number[4:7]} {number[7:]}",
        f"{number[:4]}.{number[4:7]}.{number[7:]}",
        f"{number[:4]}-{number[4:7]}-{number[7:]}",
        f"+84{nsn}",
        f"+84 {nsn[:3]} {nsn[3:6]} {nsn[6:]}",
        f"+84 (0) {nsn}",
        f"84{nsn}",
        f"0084{nsn}",
        f"0084 {nsn[:3]} {nsn[3:6]} {nsn[6:]}",
        nsn,  # a spreadsheet dropped the leading 0
        f"  {number}\n",
        f"\t{number} ",
        f"({number[:3]}) {number[3:6]}-{number[6:]}",
        f"{number} ",
        f"{number}.",
        f"{number[:4]}  {number[4:]}",
        f"{number[:4]}..{number[4:]}",
    ]


SAMPLE: list[object] = [
    *(s for m in MOBILES for s in _spellings(m)),
    # old 11-digit mobiles (the 2018 change)
    "01689123456", "01689 123 456", "+84 1689 123 456", "84 1689123456", "0120 123 4567",
    "01201234567", "0162 345 6789", "01993456789", "01863456789",
    # landlines
    "024 3825 1234", "0238 3844 123", "+84 28 3829 1234", "02838291234", "0283 829 1234",
    # service, foreign, too short or too long
    "1900 1234", "1800 599 920", "19009068", "+1 650 253 0000", "+44 20 7946 0958",
    "091234567", "09123456789", "091234567890", "0912345", "912345678901",
    # ids and other numbers
    "040190001234", "4012345678", "381234567", "001090012345", "0112345678",
    # junk
    "", "   ", "abc", "sđt 0912345678", "0912345678 hoặc 0987654321", "09l2345678",
    "０９１２３４５６７８", "0912\u00a0345\u00a0678", "0912\u2007345\u2007678", "+840912345678",
    "++84912345678", "84.912.345.678", "0912345678\x00", "\u200b0912345678", "+", "0", "84",
    "0912 345 678 901", "(+84)912345678", "(0084) 912 345 678",
    # numbers as a spreadsheet cell hands them over
    912345678, 912345678.0, 1689123456, None,
]  # fmt: skip


def _scalar(value: object) -> tuple[str | None, str]:
    phone = parse_phone(None if value is None else str(value))
    return phone.national, phone.quality.value


def test_the_column_path_agrees_with_parse_phone_on_every_input() -> None:
    national, quality = parse_phone_column(SAMPLE)
    assert list(zip(national, quality, strict=True)) == [_scalar(v) for v in SAMPLE]


def test_the_arrow_fast_path_agrees_with_the_scalar_fast_path() -> None:
    strings = [v if v is None or isinstance(v, str) else str(v) for v in SAMPLE]
    arrow = plain_mobiles(pa.array(strings, pa.string())).to_pylist()
    for value, answered in zip(strings, arrow, strict=True):
        fast = plain_mobile(value.strip()) if value is not None else None
        assert answered == (None if fast is None else "0" + fast[3:]), value


@pytest.mark.parametrize(
    "typed",
    ["0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84912345678", "912345678",
     " 0912345678 "],
)  # fmt: skip
def test_the_fast_path_answers_the_plain_shapes(typed: str) -> None:
    """Not a vacuous agreement: the common shapes never reach the slow path."""
    assert plain_mobiles(pa.array([typed])).to_pylist() == ["0912345678"]
    assert parse_phone(typed).quality == PhoneQuality.OK
