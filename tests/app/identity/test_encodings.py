"""Text typed in a legacy font encoding (TCVN3/ABC, VNI) is recognised; Unicode Vietnamese not."""

from __future__ import annotations

import pytest

from app.identity.encodings import detect_legacy, looks_legacy


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("NguyÔn V¨n §øc", "tcvn3"), ("TrÇn ThÞ Hßa", "tcvn3"), ("Nguyeãn Vaên Ñöùc", "vni")],
)
def test_mojibake_detected(text: str, encoding: str) -> None:
    assert detect_legacy(text).encoding == encoding


@pytest.mark.parametrize("text", ["Nguyễn Văn Đức", "Phạm Thuỳ Dương", "Lê Thị Hòa", ""])
def test_unicode_vietnamese_is_not_mojibake(text: str) -> None:
    assert detect_legacy(text) is None


def test_vni_and_double_utf8_look_legacy_but_vietnamese_does_not() -> None:
    assert looks_legacy("Nguyeãn Vaên An")  # VNI
    assert looks_legacy("Nguyá»…n")  # UTF-8 read as Windows-1252
    for good in ("Nguyễn Thị Hoà", "ĐẶNG HỮU PHƯỚC", "Ðinh Bộ Lĩnh", "Xóm 3, thôn Đông"):
        assert not looks_legacy(good), good
