"""A phone number with a quality flag, for linkage: how the number was recognised.

The normalisation itself is ``normalize_phone`` (``plan``); a number converted from the pre-2018
11-digit plan, or a landline shared by a household or an office, is weaker evidence than a
current mobile, so the linkage weighs it by this flag.

``plain_mobile`` is the fast path for the shapes nearly every row has; ``columns`` runs the same
rule on a whole Arrow column. Both are built from PLAIN_PHONE and MOBILE_PATTERN below, and a test
holds them to the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

from app.identity.phones.plan import OLD_MOBILE_PREFIXES, national, normalize_phone

_NOT_DIGIT = re.compile(r"[^0-9]")
# Fast path for the common shapes (0912345678, 0912 345 678, +84 912 345 678, 912345678): the
# VN mobile pattern straight from phonenumbers' metadata, so the answer is the library's own;
# anything else goes through normalize_phone. Linking a million rows needs this.
PLAIN_PHONE = r"^(?:\+84|0)?[0-9][0-9 .\-]{7,14}$"
NINE_DIGITS = r"^[0-9]{9}$"  # a mobile whose leading 0 a spreadsheet dropped
MOBILE_PATTERN = phonenumbers.PhoneMetadata.metadata_for_region("VN").mobile.national_number_pattern
_PLAIN = re.compile(PLAIN_PHONE)
_MOBILE = re.compile("(?:" + MOBILE_PATTERN + ")")
_SHORT = re.compile(NINE_DIGITS)


def plain_mobile(raw: str) -> str | None:
    """E.164 for a plainly written current mobile, else None (then the full path decides)."""
    if not _PLAIN.match(raw):
        return None
    digits = _NOT_DIGIT.sub("", raw)
    if raw.startswith("+84"):
        nsn = digits[2:]
    elif raw.startswith("0"):
        nsn = digits[1:]
    elif _SHORT.match(raw):
        nsn = digits
    else:
        return None
    if len(nsn) == 9 and _MOBILE.fullmatch(nsn):
        return "+84" + nsn
    return None


class PhoneQuality(StrEnum):
    OK = "ok"  # a current mobile number
    CONVERTED_2018 = "converted_2018"  # an old 11-digit mobile, mapped to today's prefix
    LANDLINE = "landline"  # shared by a household or an office
    INVALID = "invalid"  # something was written, but it is no VN phone
    MISSING = "missing"


@dataclass(frozen=True)
class Phone:
    e164: str | None
    quality: PhoneQuality

    @property
    def national(self) -> str | None:
        """The 10-digit national form ("0912345678"), the key used for matching."""
        return None if self.e164 is None else national(self.e164)


def _was_old_mobile(raw: str) -> bool:
    digits = _NOT_DIGIT.sub("", raw)
    for prefix in ("0084", "84", "0"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            return digits[len(prefix) : len(prefix) + 3] in OLD_MOBILE_PREFIXES
    return len(digits) == 10 and digits[:3] in OLD_MOBILE_PREFIXES


def parse_phone(raw: str | None) -> Phone:
    """Normalise one typed phone and flag its quality."""
    if raw is None or not str(raw).strip():
        return Phone(None, PhoneQuality.MISSING)
    raw = str(raw).strip()
    if fast := plain_mobile(raw):
        return Phone(fast, PhoneQuality.OK)
    e164 = normalize_phone(raw)
    if e164 is None:
        return Phone(None, PhoneQuality.INVALID)
    if _was_old_mobile(raw):
        return Phone(e164, PhoneQuality.CONVERTED_2018)
    number = phonenumbers.parse(e164)
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        return Phone(e164, PhoneQuality.LANDLINE)
    return Phone(e164, PhoneQuality.OK)
