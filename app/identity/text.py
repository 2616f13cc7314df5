"""Vietnamese text as people type it: one cleaning, one fold, one rule for where a tone mark sits.

Every module that compares words (names, halls' display names, comment leads, communes, sheet
headers) goes through these functions, so "the same word" means the same thing everywhere.

- ``clean_text``: NFC first, because text typed in "Unicode tổ hợp" (decomposed, NFD) differs
  byte for byte from precomposed text; the Icelandic Ð/ð look-alikes become Đ/đ; casefold and
  single spaces, because official systems write names in capitals. Diacritics are kept.
- ``fold``: accent-insensitive form for people who type without diacritics ("đăng ký" → "dang
  ky"). Our own, because ``unidecode`` is GPL.
- ``place_tone`` / ``canonical_text``: the tone mark of an open oa / oe / uy syllable is written
  two ways ("Hoà" and "Hòa", "Thuỷ" and "Thủy"); NFC leaves the two unequal, so the mark moves to
  its traditional place, the first vowel. Closed syllables ("hoàng", "thuyết") and "qu" + y
  ("quý") have one placement only and are left alone.
- ``strip_tones``: the five tone marks removed, vowel marks (â, ă, ê, ô, ơ, ư) kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Đ/đ (U+0110/U+0111) have no Unicode decomposition, so "NFD, drop marks" leaves them in place;
# Icelandic Ð/ð (U+00D0/U+00F0) look identical and turn up in Vietnamese spreadsheets.
_LOOKALIKE_D = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})
_STROKE_D = str.maketrans({"\u0111": "d", "\u0110": "d", "\u00f0": "d", "\u00d0": "d"})

# The five Vietnamese tone marks as combining characters: huyền, sắc, ngã, hỏi, nặng.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Open syllables ending in oa / oe / uy (not "qu" + y) are the ones written two ways.
_TWO_WAY_RIME = re.compile(
    r"^(?P<onset>.*?)(?P<first>o)(?P<second>[ae])$|^(?P<onset2>(?:.*[^q])?)(?P<first2>u)(?P<second2>y)$"
)


def clean_text(text: str) -> str:
    """NFC, Ð look-alike → Đ, casefold, single spaces: equal words compare equal, accents kept.

    Old/new tone placement ("Hoà"/"Hòa") is not unified here; ``canonical_text`` does that.
    """
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKE_D)
    return " ".join(text.casefold().split())


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", kept).translate(_STROKE_D)


def fold(text: str) -> str:
    """Fold Vietnamese text for accent-insensitive matching: "Đăng  KÝ" → "dang ky".

    Drops every combining mark, maps đ/Đ (and the Ð look-alike) to d, casefolds and collapses
    whitespace.
    """
    return _strip_marks(clean_text(text))


def fit(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters (a column's size), cut at a word boundary: the
    words that fit whole, else (a first word longer than that) its first ``limit`` characters."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if head[-1].isspace() or text[limit].isspace():  # the last word in it is whole
        return head.rstrip()
    words = head.rsplit(maxsplit=1)
    return words[0] if len(words) > 1 else head


NAME_CHARS = 200  # the people's and enrolments' name columns (full and folded)


def name_columns(name: str) -> tuple[str, str]:
    """A name as stored (full, folded), each cut at a word to fit its column: folding may
    lengthen a name ("ß" is "ss", "ﬁ" is "fi"), so the folded one is cut again."""
    full = fit(name, NAME_CHARS)
    return full, fit(fold(full), NAME_CHARS)


def strip_tones(text: str) -> str:
    """``text`` without its tone marks, vowel marks kept: "hỏi" → "hoi", "ấ" → "â"."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def place_tone(word: str) -> str:
    """Move the tone mark of an oa/oe/uy open syllable to its first vowel ("hoà" → "hòa").

    A word with no tone mark, or more than one (a typo), is returned as it is.
    """
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    match = _TWO_WAY_RIME.match(base)
    if match is None:
        return word
    onset = match["onset"] if match["first"] else match["onset2"]
    first = match["first"] or match["first2"]
    second = match["second"] or match["second2"]
    return unicodedata.normalize("NFC", onset + first + tones[0] + second)


@lru_cache(maxsize=200_000)
def _placed(token: str) -> str:
    return place_tone(token)


def canonical_text(text: str) -> str:
    """NFC, Ð → Đ, canonical tone placement, casefold, single spaces; accents kept."""
    return " ".join(_placed(t) for t in clean_text(text).split())
