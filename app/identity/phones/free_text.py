"""Phone numbers inside free text (a livestream comment): find them, or hide them.

Stricter than ``normalize_phone``: in text a number must start with 0, +84, (+84) or 84, so money
("1.700.000 đồng"), dates, years, counts and CCCD/BHXH codes are not taken for phones, and a
phone-shaped piece of a longer number is never cut out of it.
"""

from __future__ import annotations

import re

from app.identity.phones.plan import MAX_DIGITS, normalize_phone

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
        if digits > MAX_DIGITS:
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
