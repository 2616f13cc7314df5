"""A phone's quality flag for the linkage: current mobile, converted 2018 mobile, landline."""

from __future__ import annotations

import pytest

from app.identity.phones import PhoneQuality, normalize_phone, parse_phone


@pytest.mark.parametrize(
    ("raw", "e164", "quality"),
    [
        ("0912 345 678", "+84912345678", PhoneQuality.OK),
        ("+84 912.345.678", "+84912345678", PhoneQuality.OK),
        ("912345678", "+84912345678", PhoneQuality.OK),
        ("01689123456", "+84389123456", PhoneQuality.CONVERTED_2018),
        ("0238 3844 123", "+842383844123", PhoneQuality.LANDLINE),
        ("1900 1234", None, PhoneQuality.INVALID),
        ("", None, PhoneQuality.MISSING),
    ],
)
def test_phone_quality(raw: str, e164: str | None, quality: PhoneQuality) -> None:
    phone = parse_phone(raw)
    assert (phone.e164, phone.quality) == (e164, quality)
    if e164:
        assert e164 == normalize_phone(raw)  # one definition of "the same phone"
