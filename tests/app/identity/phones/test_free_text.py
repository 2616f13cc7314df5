"""Phones written in free text (livestream comments).

Pinned behaviour: phones in comments in every usual spelling; never money, dates, years, counts,
CCCD/BHXH codes or a phone-shaped piece of a longer number.
"""

from __future__ import annotations

import unicodedata

import pytest

from app.identity.phones import find_phones

NFD = "NFD"


def nfd(text: str) -> str:
    return unicodedata.normalize(NFD, text)


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
