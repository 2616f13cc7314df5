"""Vietnamese names: one canonical accented form, one folded form, split into parts.

The text rules are ``app.identity.text``'s (NFC, the Ð look-alike, one tone placement, casefold,
single spaces). The surname is the first token and the given name the last — the most
discriminating token — unless the name was written in Western order or with the given name in
front, which the list of Vietnamese surnames reveals.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.identity.text import canonical_text, fold

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


# Inside a word, a capital also follows a hyphen or an apostrophe: "Y-Moan", "H'Hen" (Ê Đê names).
_WORD_PARTS = re.compile(r"([-'\u2019])")


def _capitalised(word: str) -> str:
    """A word all in lower case or all in capitals written with its first letter alone in
    capitals; a word in mixed case was written so on purpose and is kept ("McKenzie"), and so
    is one whose letters change number with their case (a ligature pasted from a PDF: "ﬁ"
    would become "FI")."""
    if not (word.islower() or word.isupper()):
        return word
    written = "".join(part[:1].upper() + part[1:].lower() for part in _WORD_PARTS.split(word))
    return written if len(written) == len(word) else word


def written_name(raw: str) -> str:
    """A typed name as Vietnamese names are written: NFC, single spaces, each word capitalised.

    "lò văn páo" → "Lò Văn Páo", "LÊ THỊ HOA" and "Lê thị hoa" → "Lê Thị Hoa"; a name already
    written right is returned as it is. The words stay in their order and keep their accents
    (``parse_name`` is for comparing; this is for showing and storing).
    """
    return " ".join(_capitalised(w) for w in unicodedata.normalize("NFC", raw).split())


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
