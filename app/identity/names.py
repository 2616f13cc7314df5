"""Vietnamese names: one canonical accented form, one folded form, split into parts.

Why each step (shared/research/linkage-vn-data.md §2.1): NFC because spreadsheets mix composed
and decomposed text; the Icelandic Ð look-alike becomes Đ; tone marks move to one canonical place
("Hoà" → "Hòa", "Thuỷ" → "Thủy") because NFC alone leaves old- and new-style placement unequal;
casefold and single spaces because official systems write names in capitals. The surname is the
first token and the given name the last — the most discriminating token — unless the name was
written in Western order, which we detect from the list of Vietnamese surnames.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.normalize import clean_text, fold

# The five Vietnamese tone marks as combining characters (grave, acute, tilde, hook, dot below).
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Open syllables ending in oa / oe / uy (not "qu"+y) are the ones written two ways; the
# traditional placement, on the first vowel, is the canonical one (Hòa, Khỏe, Thủy).
_TWO_WAY_RIME = re.compile(
    r"^(?P<onset>.*?)(?P<first>o)(?P<second>[ae])$|^(?P<onset2>(?:.*[^q])?)(?P<first2>u)(?P<second2>y)$"
)
_NOT_NAME_CHARS = re.compile(r"[^\w\s'-]")

# Surnames (folded) in rough order of frequency; the first 14 cover about 90 % of people.
# Used to recognise names written surname-last, never to reject a name.
SURNAMES_FOLDED: frozenset[str] = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh dao doan
    lam luong mai trinh truong ha cao chau quach luu to ta thai tang thach lo kieu khuc khong
    la lac lai chu chung giang quan tieu tong trieu vuong cu diep hua kim mac nong sam tao
    thieu thuy ung ong au banh bach be cam cong danh dieu dam dong duy gia giap han hau hong
    khuat lieu lu luc mau ninh nghiem phi phung quang ton uong vi xa yen""".split()  # noqa: SIM905
)

# Surnames that are seldom given or middle names: only these reveal a name written out of order.
_ORDER_SURNAMES: frozenset[str] = frozenset(
    """nguyen tran le pham huynh phan vu vo dang bui do ho ngo duong ly dinh dao doan trinh
    truong luong""".split()  # noqa: SIM905
)


def canonical_syllable(word: str) -> str:
    """Move a tone mark of an oa/oe/uy open syllable to its first vowel ("hoà" → "hòa")."""
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
def _canonical_token(token: str) -> str:
    return canonical_syllable(token)


def canonical_text(text: str) -> str:
    """NFC, Ð → Đ, canonical tone placement, casefold, single spaces; accents kept."""
    return " ".join(_canonical_token(t) for t in clean_text(text).split())


@lru_cache(maxsize=200_000)
def _fold_token(token: str) -> str:
    return fold(token)


@dataclass(frozen=True)
class PersonName:
    """A name split into parts, each in canonical accented and folded (ASCII) form."""

    surname: str
    middle: str
    given: str
    surname_folded: str
    middle_folded: str
    given_folded: str
    swapped: bool = False  # written surname-last; the parts are already put back in order

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.middle, self.given) if p)

    @property
    def full_folded(self) -> str:
        return " ".join(
            p for p in (self.surname_folded, self.middle_folded, self.given_folded) if p
        )


def _reorder(tokens: list[str], folded: list[str]) -> tuple[list[int], bool]:
    """Token order surname-first; detects "Hòa Nguyễn Thị" and "Thị Hòa Nguyễn"."""
    n = len(tokens)
    if n < 2 or folded[0] in SURNAMES_FOLDED:
        return list(range(n)), False
    if n >= 3 and folded[1] in _ORDER_SURNAMES:  # given name moved to the front
        return [*range(1, n), 0], True
    if folded[-1] in _ORDER_SURNAMES:  # Western order: surname last
        return [n - 1, *range(n - 1)], True
    return list(range(n)), False


@lru_cache(maxsize=300_000)
def parse_name(raw: str | None) -> PersonName | None:
    """Split a typed name into surname / middle / given; None when nothing name-like is left.

    Punctuation other than apostrophes and hyphens (used by some ethnic-minority names such as
    "H' Hen") is dropped; a single token is taken as the given name.
    """
    if not raw:
        return None
    text = canonical_text(_NOT_NAME_CHARS.sub(" ", unicodedata.normalize("NFC", raw)))
    tokens = text.split()
    if not tokens:
        return None
    folded = [_fold_token(t) for t in tokens]
    order, swapped = _reorder(tokens, folded)
    tokens = [tokens[i] for i in order]
    folded = [folded[i] for i in order]
    if len(tokens) == 1:
        return PersonName("", "", tokens[0], "", "", folded[0], swapped)
    return PersonName(
        surname=tokens[0],
        middle=" ".join(tokens[1:-1]),
        given=tokens[-1],
        surname_folded=folded[0],
        middle_folded=" ".join(folded[1:-1]),
        given_folded=folded[-1],
        swapped=swapped,
    )
