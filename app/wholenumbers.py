"""Whole numbers as people type them in Vietnam: 2.500.000, 2 500 000 or 2500000 (đồng, people).

One parser for every money and count field of the forms, so "2.500.000" is read as typed instead of
becoming 2.5 (a browser's number box) or two contradictory errors. A comma is the decimal mark in
Vietnamese, so "2,5" or "2,500" is refused, never guessed; so is anything but digits in groups of
three. A minus sign is read, for the field's range check to name it. A trailing "đ", "đồng", "VND"
or "VNĐ" is allowed (people copy amounts with their unit).
"""

from __future__ import annotations

import re

GROUPED = re.compile(r"-?\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+")
PLAIN = re.compile(r"-?\d+")
UNIT = re.compile(r"\s*(?:đ|đồng|vnd|vnđ)\s*$", re.IGNORECASE)
SEPARATORS = re.compile(r"[.\s\u00a0\u202f]")
# The most a cost takes: a thousand billion đồng is beyond any event or activity, and far inside
# the database's 64-bit integers (a number past them failed the whole request).
MAX_VND = 10**12
MAX_GOAL = 100_000_000  # new participants of a campaign: more than the country's adults


def parse_whole(text: str) -> int:
    """The whole number ``text`` writes; ValueError if it is anything else."""
    raw = UNIT.sub("", str(text).strip()).replace("\u2212", "-")  # a typographic minus too
    if PLAIN.fullmatch(raw) or GROUPED.fullmatch(raw):
        return int(SEPARATORS.sub("", raw))
    raise ValueError(f"not a whole number such as 2.500.000: {text!r}")


def write_whole(value: int) -> str:
    """``value`` as a field shows it back: 2.500.000 (what ``parse_whole`` reads)."""
    return f"{int(value):,}".replace(",", ".")
