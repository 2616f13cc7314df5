"""Vietnamese phone numbers: ``normalize_phone`` for one typed number, ``find_phones`` in free text.

Pure functions, no Flask and no database, so the collection runner (comment-lead detection) and
the follow-up linkage share one definition of "the same phone". Text folding is
``app.identity.text``'s.
"""

from __future__ import annotations

import re

import phonenumbers

# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------

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
_MAX_DIGITS = 15  # 0084 + 11-digit landline; anything longer is some other number


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


def normalize_phone(raw: str) -> str | None:
    """One phone number as typed → E.164 ("+84912345678"), or None if it is not a VN phone.

    Accepts spaces, dots, dashes, parentheses and the +84 / 84 / 0084 / 0 prefixes; old 11-digit
    mobiles are converted with OLD_MOBILE_PREFIXES. Only valid mobile and fixed-line numbers
    count: 1800/1900 service numbers are not somebody's phone.
    """
    raw = raw.strip()
    if not raw or not _PHONE_CHARS.fullmatch(raw) or raw.count("+") > 1:
        return None
    if _PLUS_AFTER_DIGIT.search(raw):
        return None
    digits = _NOT_DIGIT.sub("", raw)
    if not 9 <= len(digits) <= _MAX_DIGITS:
        return None
    nsn = _national_number(digits, international="+" in raw)
    if nsn is None or nsn.startswith("0"):
        return None
    if len(nsn) == 10 and nsn[:3] in OLD_MOBILE_PREFIXES:
        nsn = OLD_MOBILE_PREFIXES[nsn[:3]] + nsn[3:]
    number = phonenumbers.PhoneNumber(country_code=int(_COUNTRY), national_number=int(nsn))
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in _ACCEPTED_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A run of digit groups joined by single spaces, dots or dashes, with an optional "+", "(+84)"
# or "(0084)" in front. Letters may touch it ("sdt0912345678"); digits may not, so a phone is
# never cut out of a longer number. Runs are split into phones by _phones_in_run.
_RUN = re.compile(
    r"(?<![0-9+])"
    r"(?P<prefix>\(\s?(?:\+|00)?\s?84\s?\)\s?|\+\s?)?"
    r"(?P<body>[0-9]+(?:[ .\-][0-9]+)*)"
)
_SEPARATOR = re.compile(r"([ .\-])")
_SPACES = re.compile(r"[\u00a0\u202f\u2007]")  # no-break spaces count as spaces
_CONTINUES = frozenset(".-")  # "1.700.000.0912…": a dot or dash glues groups into one number


def _span_phone(groups: list[str], seps: list[str], prefix: str, i: int, j: int) -> str | None:
    """The phone written by groups i..j of a run, under the stricter rules for free text."""
    text = "".join(g + s for g, s in zip(groups[i:j], seps[i:j], strict=True)) + groups[j]
    if i == 0 and prefix:
        return normalize_phone(prefix + text)
    if text.startswith("84"):
        # "84912345678" or "84 912 345 678"; "84.000.000.000" is money
        if any(s != " " for s in seps[i:j]):
            return None
    elif not text.startswith("0"):
        return None  # bare 9-digit numbers in text are more often old CMND numbers than phones
    return normalize_phone(text)


def _inner_separators(groups: list[str], seps: list[str], i: int, j: int) -> set[str]:
    """Separators inside groups i..j, minus the one after a country code ("+84 912345678")."""
    if i < j and groups[i] in ("84", "0084"):
        return set(seps[i + 1 : j])
    return set(seps[i:j])


def _longest_phone_at(
    groups: list[str], seps: list[str], prefix: str, i: int
) -> tuple[int, str] | None:
    best = None
    digits = 0
    for j in range(i, len(groups)):
        digits += len(groups[j])
        if digits > _MAX_DIGITS:
            break
        phone = _span_phone(groups, seps, prefix, i, j)
        if phone is not None:
            best = (j, phone)
    return best


def _phones_in_run(prefix: str, body: str) -> list[str]:
    """Split one run into phones; a span glued to other digits is part of a longer number.

    A neighbouring group is glued on when the separator is a dot or dash, or is the separator
    the phone itself uses ("0912 345 678 901" is one number, not a phone plus 901). Glued
    neighbours are fine when they are phones too ("0912 345 678 0987 654 321").
    """
    parts = _SEPARATOR.split(body)
    groups, seps = parts[0::2], parts[1::2]
    phones: list[str] = []
    i, previous_was_phone = 0, False
    while i < len(groups):
        found = _longest_phone_at(groups, seps, prefix, i)
        if found is None:
            i, previous_was_phone = i + 1, False
            continue
        j, phone = found
        inner = _inner_separators(groups, seps, i, j)
        glued_before = i > 0 and (seps[i - 1] in _CONTINUES or seps[i - 1] in inner)
        glued_after = j + 1 < len(groups) and (seps[j] in _CONTINUES or seps[j] in inner)
        if (glued_before and not previous_was_phone) or (
            glued_after and _longest_phone_at(groups, seps, prefix, j + 1) is None
        ):
            i, previous_was_phone = i + 1, False
            continue
        phones.append(phone)
        i, previous_was_phone = j + 1, True
    return phones


def find_phones(text: str) -> tuple[str, ...]:
    """Every distinct VN phone written in free text (a livestream comment), E.164, in order.

    Stricter than normalize_phone: a number must start with 0, +84, (+84) or 84, so money
    ("1.700.000 đồng"), dates, years, counts, CCCD and BHXH codes are not taken for phones.
    """
    found: dict[str, None] = {}
    for match in _RUN.finditer(_SPACES.sub(" ", text)):
        for phone in _phones_in_run(match["prefix"] or "", match["body"]):
            found.setdefault(phone, None)
    return tuple(found)


def mask_phones(text: str) -> str:
    """``text`` with each run of digits that holds a phone hidden as in ``09xx xxx 123``.

    The live page shows comments to roles that may not see phone numbers; the number written in
    the text must be hidden as well as the lead's phone field. Only runs that ``find_phones``
    would take for a phone are touched, so money and dates stay readable. The first two and the
    last three digits of a run stay visible, every other digit becomes ``x``.
    """
    spaced = _SPACES.sub(" ", text)  # same length: spans map back onto ``text``
    out: list[str] = []
    last = 0
    for match in _RUN.finditer(spaced):
        if not _phones_in_run(match["prefix"] or "", match["body"]):
            continue
        start, end = match.span()
        run = text[start:end]
        digits = sum(c.isdigit() for c in run)
        seen = 0
        masked = []
        for c in run:
            if c.isdigit():
                seen += 1
                masked.append(c if seen <= 2 or seen > digits - 3 else "x")
            else:
                masked.append(c)
        out.append(text[last:start] + "".join(masked))
        last = end
    out.append(text[last:])
    return "".join(out)


def national(phone: str) -> str:
    """E.164 ``+84912345678`` as Vietnamese write it, ``0912345678``; other numbers unchanged."""
    return "0" + phone[3:] if phone.startswith("+84") else phone


def mask_phone(phone: str) -> str:
    """``0912345678`` → ``09xx xxx 678``: the last three digits stay, enough to tell leads apart."""
    digits = national(phone).lstrip("+")
    hidden = digits[:2] + "x" * max(len(digits) - 5, 0) + digits[-3:]
    if len(hidden) == 10:
        return f"{hidden[:4]} {hidden[4:7]} {hidden[7:]}"
    return f"{hidden[:-3]} {hidden[-3:]}"
