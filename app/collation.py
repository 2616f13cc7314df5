"""Vietnamese alphabetical order for names shown in lists (communes, halls, people, units).

Python's `sorted` compares code points, so "Đông Hiếu" lands after "Yên Bái" and "Nậm Cắn"
after "Nhôn Mai". Databases can't help either: SQLite has no Vietnamese collation. This module
is the one sort key the app uses instead: the Unicode Collation Algorithm (pyuca, pure Python,
so `make run` needs no ICU build) with the CLDR Vietnamese tailoring laid on top:

    &̀<<̉<<̃<<́<<̣            tones after the base letter: level, huyền, hỏi, ngã, sắc, nặng
    &a<ă<<<Ă<â<<<Â  &d<đ<<<Đ  &e<ê<<<Ê  &o<ô<<<Ô<ơ<<<Ơ  &u<ư<<<Ư

The letters ă â đ ê ô ơ ư get primary weights between their base letter and the next one; the
five tone marks get secondary weights in the dictionary order. Weights are scaled by `_SCALE` so
the inserted ones fall strictly between DUCET's neighbours and keys stay tuples of ints.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import TypeVar

from pyuca.collator import Collator_10_0_0

T = TypeVar("T")

_SCALE = 8
# (base letter, combining mark in NFD, step above the base in 1/_SCALE units)
_LETTERS = (
    ("a", 0x0306, 2),  # ă
    ("a", 0x0302, 4),  # â
    ("e", 0x0302, 4),  # ê
    ("o", 0x0302, 2),  # ô
    ("o", 0x031B, 4),  # ơ
    ("u", 0x031B, 4),  # ư
)
_D_STROKE = ((0x0111, "d"), (0x0110, "D"))  # đ Đ do not decompose under NFD
# huyền, hỏi, ngã, sắc, nặng: the CLDR "&̀<<̉<<̃<<́<<̣" chain, starting at the grave accent
_TONES = (0x0300, 0x0309, 0x0303, 0x0301, 0x0323)


class VietnameseCollator(Collator_10_0_0):
    """DUCET 10.0 with the CLDR `vi` standard tailoring applied to its weight table."""

    def __init__(self) -> None:
        super().__init__()
        self._tailor()

    def _element(self, code_points: list[int]) -> list[int]:
        _, elements, rest = self.table.find_prefix(code_points)
        if rest or not elements:
            raise LookupError(f"no collation element for {code_points!r}")
        return list(elements[0])

    def _tailor(self) -> None:
        # Read every base weight before adding entries; added weights sit between DUCET's
        # integers (multiples of 1/_SCALE, exact in binary) and are scaled back in the key.
        bases = {ch: self._element([ord(ch)]) for ch in "adeouADEOU"}
        grave_secondary = self._element([_TONES[0]])[1]
        for base, mark, step in _LETTERS:
            for letter in (base, base.upper()):
                primary, secondary, tertiary = bases[letter][:3]
                self.table.add(
                    [ord(letter), mark], [[primary + step / _SCALE, secondary, tertiary]]
                )
        for code_point, base in _D_STROKE:
            primary, secondary, tertiary = bases[base][:3]
            self.table.add([code_point], [[primary + 4 / _SCALE, secondary, tertiary]])
        for rank, mark in enumerate(_TONES):
            tertiary = self._element([mark])[2]
            self.table.add([mark], [[0, grave_secondary + rank / _SCALE, tertiary]])

    def sort_key_from_collation_elements(self, collation_elements):  # type: ignore[no-untyped-def]
        """The UCA key, every weight multiplied by _SCALE so it is a tuple of ints again."""
        key = super().sort_key_from_collation_elements(collation_elements)
        return tuple(int(weight * _SCALE) for weight in key)


_collator_lock = threading.Lock()


@cache
def _collator() -> VietnameseCollator:
    # Built once per process, under a lock: loading the table takes a second of CPU, and
    # ``cache`` alone let every thread that asked meanwhile (each burst's delta thread during a
    # check-in storm) load its own copy.
    with _collator_lock:
        return _built()


def load() -> None:
    """Build the collator now. A served process does it before ``gc.freeze()`` (``wsgi``): the
    first burst that sorts names (a check-in storm's board) does not stop for the load, and the
    collector does not walk the table's objects again and again."""
    _collator()


@cache
def _built() -> VietnameseCollator:
    return VietnameseCollator()


@lru_cache(maxsize=8192)
def vietnamese_key(text: str | None) -> tuple[int, ...]:
    """Sort key for one name in Vietnamese alphabetical order (None sorts first, like "")."""
    return _collator().sort_key(text or "")


def sorted_vietnamese(items: Iterable[T], key: Callable[[T], str | None] = str) -> list[T]:
    """`items` in Vietnamese alphabetical order of `key(item)`."""
    return sorted(items, key=lambda item: vietnamese_key(key(item)))
