"""Vietnamese text folding and phone numbers (shared/research/linkage-vn-data.md §2.1, §2.2).

Pinned behaviour:
- fold: NFC and NFD input fold alike; đ/Đ and the Icelandic Ð/ð look-alike become d; old and new
  tone placement ("Hoà"/"Hòa") fold alike; case and whitespace do not matter.
- normalize_phone: any VN mobile or landline as typed → E.164; the 2018 11→10 digit table;
  1800/1900 service numbers, foreign numbers, CCCD and BHXH codes → None.
- find_phones: phones in comments in every usual spelling; never money, dates, years, counts,
  CCCD/BHXH codes or a phone-shaped piece of a longer number.
"""

from __future__ import annotations

import unicodedata

import pytest

from app.normalize import OLD_MOBILE_PREFIXES, find_phones, normalize_phone

NFD = "NFD"


def nfd(text: str) -> str:
    return unicodedata.normalize(NFD, text)


# --- normalize_phone --------------------------------------------------------------------------


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


# Written out from the MIC table (research notes §2.2), independently of OLD_MOBILE_PREFIXES.
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


# --- find_phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("0912 345 678", ("+84912345678",)),
        ("Sđt em 0912.345.678 ạ", ("+84912345678",)),
        ("số em 0912-345-678 nhé", ("+84912345678",)),
        ("+84 912 345 678", ("+84912345678",)),
        ("liên hệ 84912345678", ("+84912345678",)),
        ("(+84)912345678", ("+84912345678",)),
        ("(+84) 912 345 678 gọi giúp", ("+84912345678",)),
        ("0084 912 345 678", ("+84912345678",)),
        ("sđt 0912345678", ("+84912345678",)),
        ("SĐT:0912345678", ("+84912345678",)),
        (nfd("sđt 0912345678 nhé"), ("+84912345678",)),
        ("zalo:0912345678", ("+84912345678",)),
        ("sdt0912345678", ("+84912345678",)),  # glued to the word
        ("goi0912345678nhe", ("+84912345678",)),
        ("số cũ 01689 123 456", ("+84389123456",)),
        ("01201234567", ("+84701234567",)),
        ("sđt\u00a00912\u00a0345\u00a0678", ("+84912345678",)),  # no-break spaces
        ("văn phòng 0238 3844 123", ("+842383844123",)),
        ("em 45 tuổi, sđt 0987654321.", ("+84987654321",)),
        ("0912345678, 0987654321", ("+84912345678", "+84987654321")),
        ("0912345678 0987654321", ("+84912345678", "+84987654321")),
        ("0912345678-0987654321", ("+84912345678", "+84987654321")),
        ("0912 345 678 0987 654 321", ("+84912345678", "+84987654321")),
        ("0987654321 hoặc 0912345678", ("+84987654321", "+84912345678")),
        ("0912345678 và 0912.345.678 và +84912345678", ("+84912345678",)),
        ("0912345678 2 suất", ("+84912345678",)),
        ("+84 912345678 2 suất", ("+84912345678",)),
        ("ngày 25-11 0912345678", ("+84912345678",)),
        ("mức đóng 330.000đ, sđt 0912345678", ("+84912345678",)),
    ],
)
def test_find_phones_catches(text: str, phones: tuple[str, ...]) -> None:
    assert find_phones(text) == phones


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Chúc chương trình thành công 👏👏",
        "Mức đóng thấp nhất 1.700.000 đồng",
        "mức đóng 330.000đ/tháng",
        "1,500,000 đ một năm",
        "12.000.000.000 đồng",
        "84.000.000.000 đồng",
        "hỗ trợ 22.000đ",
        "Hội nghị ngày 25/11/2026",
        "ngày 25-11-2026",
        "25.11.2026 lúc 14.30",
        "năm 2026, năm 2019",
        "CCCD 040190001234",
        "cccd: 001090012345",
        "CCCD 040 190 001 234",
        "mã BHXH 4012345678",
        "mã số 0112345678",
        "39/39 xã tham gia",
        "932 người dự, 446 người đăng ký",
        "12340912345678",  # a phone inside a longer digit run
        "0912345678123",
        "STK 0912 345 678 901",  # a spaced number longer than a phone
        "1.700.000.0912345678",
        "0912/345/678",
        "912345678",  # no leading 0: as likely an old CMND number
        "CMND 381234567",
        "tổng đài 1900 9068",
        "+1 650 253 0000",
        "052 1234567",
    ],
)
def test_find_phones_ignores(text: str) -> None:
    assert find_phones(text) == ()
