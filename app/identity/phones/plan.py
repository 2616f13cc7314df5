"""One typed phone number against Vietnam's numbering plan: E.164, the national form, a mask.

``normalize_phone`` is the one definition of "the same phone" for leads, halls, imports and the
linkage. Only valid mobile and fixed-line numbers count; 1800/1900 service numbers are nobody's
phone. Mobiles written in the pre-2018 11-digit plan are converted (OLD_MOBILE_PREFIXES), because
lists and memories from before 2019 still hold them.
"""

from __future__ import annotations

import re

import phonenumbers

# The 2018 switch from 11- to 10-digit mobile numbers (Ministry of Information and
# Communications; 15 Sep 2018 – 30 Jun 2019): only the prefix changed, the last 7 digits stayed.
# phonenumbers does not know it, so old numbers from pre-2019 lists and memories need this table.
# Keys and values are national prefixes without the trunk 0 (0168 → 038 is "168" → "38").
OLD_MOBILE_PREFIXES: dict[str, str] = {
    # MobiFone
    "120": "70",
    "121": "79",
    "122": "77",
    "126": "76",
    "128": "78",
    # VinaPhone
    "123": "83",
    "124": "84",
    "125": "85",
    "127": "81",
    "129": "82",
    # Viettel: 0162…0169 → 032…039
    **{f"16{d}": f"3{d}" for d in "23456789"},
    # Vietnamobile
    "186": "56",
    "188": "58",
    # Gmobile (Gtel)
    "199": "59",
}

_ACCEPTED_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
_PHONE_CHARS = re.compile(r"[0-9\s.\-()+]+")
_NOT_DIGIT = re.compile(r"[^0-9]")
_PLUS_AFTER_DIGIT = re.compile(r"[0-9].*\+", re.DOTALL)
_COUNTRY = "84"
_STORED = re.compile(r"\+84[1-9][0-9]{8,9}")  # E.164 as normalize_phone stores it
MAX_DIGITS = 15  # 0084 + 11-digit landline; anything longer is some other number


def _national_number(digits: str, international: bool) -> str | None:
    """The national significant number (no trunk 0), or None when the prefix is not Vietnam's."""
    if digits.startswith("00"):
        if not digits.startswith("0084"):
            return None
        digits, international = digits[2:], True
    if international:
        if not digits.startswith(_COUNTRY):
            return None  # a foreign number
        nsn = digits[len(_COUNTRY) :]
        # "+84 (0) 912…" and "84 0912…": a trunk 0 written after the country code
        return nsn[1:] if nsn.startswith("0") else nsn
    if digits.startswith("0"):
        return digits[1:]
    if digits.startswith(_COUNTRY) and len(digits) in (11, 12):
        return digits[len(_COUNTRY) :]  # "84912345678": the + was dropped
    if len(digits) == 9:
        return digits  # spreadsheets drop the leading 0
    return None


def _vn_number(raw: str) -> phonenumbers.PhoneNumber | None:
    """The number a typed phone stands for, or None if it is not a VN mobile or landline."""
    raw = raw.strip()
    if not raw or not _PHONE_CHARS.fullmatch(raw) or raw.count("+") > 1:
        return None
    if _PLUS_AFTER_DIGIT.search(raw):
        return None
    digits = _NOT_DIGIT.sub("", raw)
    if not 9 <= len(digits) <= MAX_DIGITS:
        return None
    nsn = _national_number(digits, international="+" in raw)
    if nsn is None or nsn.startswith("0"):
        return None
    if len(nsn) == 10 and nsn[:3] in OLD_MOBILE_PREFIXES:
        nsn = OLD_MOBILE_PREFIXES[nsn[:3]] + nsn[3:]
    number = phonenumbers.PhoneNumber(country_code=int(_COUNTRY), national_number=int(nsn))
    # number_type is UNKNOWN for an invalid number (is_valid_number is that same test, so
    # asking both matched every pattern twice: half the time of an import's phone column).
    if phonenumbers.number_type(number) not in _ACCEPTED_TYPES:
        return None
    return number


def normalize_phone(raw: str) -> str | None:
    """One phone number as typed → E.164 ("+84912345678"), or None if it is not a VN phone.

    Accepts spaces, dots, dashes, parentheses and the +84 / 84 / 0084 / 0 prefixes; old 11-digit
    mobiles are converted with OLD_MOBILE_PREFIXES. Only valid mobile and fixed-line numbers
    count: 1800/1900 service numbers are not somebody's phone.
    """
    number = _vn_number(raw)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def shown_phone(phone: str | None, *, grouped: bool = True) -> str:
    """A phone as Vietnamese write it by hand, the one place a number is formatted: mobiles
    ``0987 654 321``, landlines ``0238 3844 555`` or ``024 3822 1234`` (phonenumbers' grouping);
    ``grouped=False`` gives the same digits without spaces (``national``). Stored E.164 and typed
    numbers alike; what is no Vietnamese phone is shown as it was given."""
    if not phone:
        return ""
    number = _vn_number(phone)
    if number is None:
        return phone.strip()
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return shown if grouped else shown.replace(" ", "")


def national(phone: str) -> str:
    """``+84912345678`` → ``0912345678``: the plain digits Excel cells, form fields and the
    linkage key keep (a spreadsheet re-reads them; spaces would not survive a paste).

    A stored E.164 number is already valid: its national form is the trunk 0 before the national
    number, with no second parse (the linkage asks this for every messy phone of a file)."""
    if _STORED.fullmatch(phone):
        return "0" + phone[3:]
    return shown_phone(phone, grouped=False)


def mask_phone(phone: str) -> str:
    """``0912345678`` → ``09xx xxx 678``: the last three digits stay, enough to tell leads apart."""
    digits = national(phone).lstrip("+")
    hidden = digits[:2] + "x" * max(len(digits) - 5, 0) + digits[-3:]
    if len(hidden) == 10:
        return f"{hidden[:4]} {hidden[4:7]} {hidden[7:]}"
    return f"{hidden[:-3]} {hidden[-3:]}"


def grouping_rules() -> dict[str, object]:
    """``shown_phone``'s rules for a page's script that groups typed numbers with no server to
    ask (the check-in page's queued rows): phonenumbers' Vietnamese patterns of a valid mobile
    or landline (``valid``), its national formats in order (``formats``: the leading digits, the
    whole number's pattern, the format with ``$1`` groups and the trunk 0 written in) and the
    2018 table (``old``). The script applies them as ``_vn_number`` and ``format_number`` do."""
    from phonenumbers.phonemetadata import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region("VN")
    assert meta is not None
    assert meta.mobile is not None
    assert meta.fixed_line is not None
    formats = []
    for shape in meta.number_format:
        rule = shape.format
        if shape.national_prefix_formatting_rule:  # "0\1": the trunk 0 before the first group
            rule = rule.replace("\\1", shape.national_prefix_formatting_rule, 1)
        lead = shape.leading_digits_pattern[-1] if shape.leading_digits_pattern else ""
        formats.append([lead, shape.pattern, re.sub(r"\\(\d)", r"$\1", rule)])
    valid = [meta.mobile.national_number_pattern, meta.fixed_line.national_number_pattern]
    return {"valid": valid, "formats": formats, "old": OLD_MOBILE_PREFIXES}
