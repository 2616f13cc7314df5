"""One typed phone number against Vietnam's numbering plan.

Pinned behaviour: any VN mobile or landline as typed → E.164; the 2018 11→10 digit table (only
the prefix changed, the last seven digits stayed); 1800/1900 service numbers, foreign numbers,
CCCD and BHXH codes → None.
"""

from __future__ import annotations

import random

import pytest

from app.identity.phones import (
    OLD_MOBILE_PREFIXES,
    national,
    normalize_phone,
    parse_phone,
    shown_phone,
)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("0912-345-678", "+84912345678"),
        ("(091) 234-5678", "+84912345678"),
        ("+84912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("(+84) 912 345 678", "+84912345678"),
        ("+84 (0) 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("0084 912 345 678", "+84912345678"),
        ("912345678", "+84912345678"),  # spreadsheet dropped the leading 0
        ("  0987654321\n", "+84987654321"),
        ("0869 123 456", "+84869123456"),
        ("0559 123 456", "+84559123456"),  # Reddi
        ("0301 234 567", "+84301234567"),  # MobiFone's new 030
        ("01689 123 456", "+84389123456"),  # 2018: 0168 → 038
        ("+84 1689 123 456", "+84389123456"),
        ("84 1689123456", "+84389123456"),
        ("0120 123 4567", "+84701234567"),
        ("024 3825 1234", "+842438251234"),  # Hà Nội landline
        ("0238 3844 123", "+842383844123"),  # Nghệ An landline
        ("+84 28 3829 1234", "+842838291234"),  # TP HCM landline
    ],
)
def test_normalize_phone_accepts(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


# Written out from the Ministry of Information and Communications' 2018 table (0162…0169 → 032…039
# and so on), independently of OLD_MOBILE_PREFIXES.
OLD_TO_NEW = [
    ("0120", "070"),
    ("0121", "079"),
    ("0122", "077"),
    ("0126", "076"),
    ("0128", "078"),
    ("0123", "083"),
    ("0124", "084"),
    ("0125", "085"),
    ("0127", "081"),
    ("0129", "082"),
    ("0162", "032"),
    ("0163", "033"),
    ("0164", "034"),
    ("0165", "035"),
    ("0166", "036"),
    ("0167", "037"),
    ("0168", "038"),
    ("0169", "039"),
    ("0186", "056"),
    ("0188", "058"),
    ("0199", "059"),
]


@pytest.mark.parametrize(("old", "new"), OLD_TO_NEW)
def test_2018_conversion_keeps_the_last_seven_digits(old: str, new: str) -> None:
    assert normalize_phone(f"{old}9123456") == f"+84{new[1:]}9123456"


def test_2018_table_has_exactly_the_published_rows() -> None:
    assert {f"0{k}": f"0{v}" for k, v in OLD_MOBILE_PREFIXES.items()} == dict(OLD_TO_NEW)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "sđt 0912345678",  # letters: one number as typed, not a sentence
        "0912345678x",
        "0912/345/678",
        "+84 91234+5678",
        "++84912345678",
        "091234567",  # 9 digits with the 0: one digit missing
        "09123456789",  # one digit too many
        "091234567890123456",
        "01689 123 45",  # old number, one digit short
        "01111 123 456",  # 11 digits, not an old mobile prefix
        "0521234567",  # 052 is only allocated as 0522/0523/0528
        "1900 1234",  # shared-cost service number, not a person's phone
        "1800 1234",
        "+1 650 253 0000",  # foreign
        "+33 6 12 34 56 78",
        "0033612345678",
        "040190001234",  # CCCD
        "4012345678",  # BHXH code
        "0112345678",
        "1700000",
        "2026",
        "0000000000",
    ],
)
def test_normalize_phone_rejects(raw: str) -> None:
    assert normalize_phone(raw) is None


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+84987654321", "0987 654 321"),  # typed "0987 654 321", shown as typed again
        ("0987654321", "0987 654 321"),
        ("+842383844555", "0238 3844 555"),  # a Nghệ An landline
        ("02383844555", "0238 3844 555"),
        ("+842438221234", "024 3822 1234"),  # Hà Nội: a two-digit area code
        ("09xx xxx 678", "09xx xxx 678"),  # masked for a viewer: left alone
        ("12345", "12345"),  # no Vietnamese phone: as given
        ("", ""),
        (None, ""),
    ],
)
def test_shown_phone_is_the_national_format(stored: str | None, shown: str) -> None:
    assert shown_phone(stored) == shown


@pytest.mark.parametrize(
    ("stored", "digits"),
    [
        ("+84987654321", "0987654321"),
        ("0987 654 321", "0987654321"),  # typed: the same digits as the stored number
        ("+842383844555", "02383844555"),
        ("+842438221234", "02438221234"),
        ("+33612345678", "+33612345678"),  # foreign: as given
        ("", ""),
    ],
)
def test_national_is_the_shown_phone_without_its_spaces(stored: str, digits: str) -> None:
    """Excel cells and form fields keep the plain digits; the page groups the same digits."""
    assert national(stored) == digits
    assert shown_phone(stored).replace(" ", "") == digits
    if stored.startswith("+84"):
        assert parse_phone(stored).national == digits


def test_the_quick_national_form_of_a_stored_number_is_the_formatters_own() -> None:
    """``national`` skips the second parse for a stored E.164 number: over every mobile and
    landline prefix the plan knows, it must give what the formatter gives."""
    rng = random.Random(7)
    stored = {normalize_phone("0" + str(rng.randrange(10**8, 10**10))) for _ in range(5_000)}
    stored.discard(None)
    assert len(stored) > 500  # the draw found valid mobiles and landlines to compare
    assert any(len(p) == 13 for p in stored)  # landlines: a 3-digit area code
    assert any(len(p) == 12 for p in stored)  # mobiles
    for phone in stored:
        assert national(phone) == shown_phone(phone, grouped=False), phone
