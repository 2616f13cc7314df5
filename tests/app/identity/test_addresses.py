"""Addresses as people write them, taken apart into commune, district and province by their unit
words (app/identity/addresses.py); no tables needed."""

from __future__ import annotations

import pytest

from app.identity.addresses import Address, split_address


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An",
         Address("sơn thành", "xa", "yên thành", "nghệ an")),
        ("X. Sơn Thành - H. Yên Thành", Address("sơn thành", "xa", "yên thành")),
        ("xa son thanh huyen yen thanh tinh nghe an",
         Address("son thanh", "xa", "yen thanh", "nghe an")),
        ("Xã Sơn Thành huyện Yên Thành", Address("sơn thành", "xa", "yên thành")),
        ("Phường 7, Quận 3, TP Hồ Chí Minh", Address("7", "phuong", "3", None, ("hồ chí minh",))),
        ("phuong 7 quan 3", Address("7", "phuong", "3")),
        ("TT Yên Thành", Address("yên thành", "thi tran")),
        ("Đặc khu Côn Đảo", Address("côn đảo", "dac khu")),
        ("Xóm 3, xã Sơn Thành", Address("sơn thành", "xa")),
        ("Xã Long Sơn, tỉnh Bà Rịa - Vũng Tàu", Address("long sơn", "xa", None, "bà rịa vũng tàu")),
        ("Sơn Thành - Yên Thành", Address("sơn thành", "", None, None, ("yên thành",))),
        ("17572", Address("17572")),
    ],
)  # fmt: skip
def test_pieces_are_told_apart_by_their_unit_words(text: str, address: Address) -> None:
    assert split_address(text) == address


@pytest.mark.parametrize(
    ("text", "commune", "unit"),
    [
        ("Xá Lượng", "xá lượng", ""),  # a name syllable spelt like "xã"
        ("Phương Liệt", "phương liệt", ""),  # … like "phường"
        ("xa xa luong", "xa luong", "xa"),  # one unit word comes off, never two
        ("Xã Quan Sơn", "quan sơn", "xa"),  # "Quan" is a name here, not "quận"
        ("quan son", "quan son", ""),
        ("Phường Tam Quan Bắc, thị xã Hoài Nhơn", "tam quan bắc", "phuong"),
        ("thi tran tinh tuc, huyen nguyen binh", "tinh tuc", "thi tran"),  # "tinh" is a name here
        ("xa my tinh an, huyen cho gao", "my tinh an", "xa"),
    ],
)
def test_names_that_look_like_unit_words_stay_names(text: str, commune: str, unit: str) -> None:
    address = split_address(text)
    assert (address.commune, address.unit) == (commune, unit)
