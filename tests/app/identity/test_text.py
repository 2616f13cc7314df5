"""Text rules shared by every comparison of Vietnamese words.

Pinned behaviour:
- fold: NFC and NFD input fold alike; đ/Đ and the Icelandic Ð/ð look-alike become d; old and new
  tone placement ("Hoà"/"Hòa") fold alike; case and whitespace do not matter.
- clean_text: the same, with diacritics kept.
- canonical_text: old- and new-style tone placement of open oa/oe/uy syllables agree ("Hoà" →
  "hòa"); closed syllables and "qu" + y keep their only placement.
- strip_tones: tone marks go, vowel marks stay.
"""

from __future__ import annotations

import unicodedata

import pytest

from app.identity.text import canonical_text, clean_text, fold, strip_tones

NFD = "NFD"


def nfd(text: str) -> str:
    return unicodedata.normalize(NFD, text)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Thị Hòa", "nguyen thi hoa"),
        ("NGUYỄN THỊ HÒA", "nguyen thi hoa"),
        (nfd("Nguyễn Thị Hòa"), "nguyen thi hoa"),
        ("Nguyễn Thị Hoà", "nguyen thi hoa"),  # old-style tone placement
        ("Đặng Văn Đức", "dang van duc"),
        ("ĐĂNG KÝ", "dang ky"),
        ("\u00d0ặng V\u0103n Lực", "dang van luc"),  # Icelandic Ð look-alike
        ("\u00f0ỗ", "do"),  # its lower-case ð
        ("  tư   vấn\tgiúp\nem  ", "tu van giup em"),
        ("Bảo hiểm xã hội tự nguyện", "bao hiem xa hoi tu nguyen"),
        ("Ưu đãi ở Quảng Ngãi", "uu dai o quang ngai"),
        ("sđt: 0912.345.678 👍", "sdt: 0912.345.678 👍"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize("text", ["Nguyễn Thị Hòa", "ĐĂNG KÝ tham gia", "Thuỷ  Ðức"])
def test_fold_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once.isascii()


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Nguyễn Thị Hòa", "nguyễn thị hòa"),
        (nfd("Nguyễn  THỊ Hòa "), "nguyễn thị hòa"),
        ("\u00d0ặng", "đặng"),
    ],
)
def test_clean_text_keeps_diacritics(raw: str, cleaned: str) -> None:
    result = clean_text(raw)
    assert result == cleaned
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Nguyễn Thị Hoà", "nguyễn thị hòa"),
        ("Trần Thuỷ", "trần thủy"),
        ("Lê Thuý", "lê thúy"),
        ("khoẻ", "khỏe"),
        ("uỷ ban", "ủy ban"),
        ("Quý Quỳnh", "quý quỳnh"),  # "qu" + y: the mark stays on y
        ("Hoàng Thuyết", "hoàng thuyết"),  # closed syllables have one placement only
        (unicodedata.normalize("NFD", "NGUYỄN THỊ HOÀ"), "nguyễn thị hòa"),
        ("\u00d0ặng  Văn\tLực", "đặng văn lực"),  # Ð look-alike, spacing
    ],
)
def test_canonical_text(raw: str, canonical: str) -> None:
    assert canonical_text(raw) == canonical
    assert unicodedata.is_normalized("NFC", canonical_text(raw))


@pytest.mark.parametrize(
    ("raw", "toneless"), [("hỏi", "hoi"), ("ấ", "â"), ("Đăng ký", "Đăng ky"), ("ướt", "ươt")]
)
def test_strip_tones_keeps_vowel_marks(raw: str, toneless: str) -> None:
    assert strip_tones(raw) == toneless
