"""Column specs and finding the header row of a sheet whatever its order, spelling and layout.

A spec (``Column``) says what an importer needs: its name, the spellings offices write in the
header, whether it is required, and the parser that turns a cell into a value. The same reader
serves every kind of import (attendee sheets, enrolment exports).

Real sheets carry a title ("DANH SÁCH NGƯỜI THAM DỰ HỘI NGHỊ") in merged rows above the header,
and often a two-row header whose first row groups columns ("Địa chỉ" over "Thôn/Xóm" and
"Xã/Phường"). Merged cells arrive as one value and blanks, so the header is found by matching
aliases in the first rows, alone or in pairs, and the best match wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.identity.text import fold

HEADER_SCAN_ROWS = 10
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\*")
_NON_WORD = re.compile(r"[^0-9a-z]+")


class CellError(ValueError):
    """A cell the column's parser refuses; ``message`` is an English msgid."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Column:
    """One column an importer reads.

    ``label`` is an English msgid naming the column in messages; ``aliases`` are header
    spellings, compared after ``header_key`` (so case, diacritics, punctuation and notes in
    brackets do not matter); earlier aliases win when two columns of a sheet match.
    ``parse`` turns a cell (str, int, float, datetime or None) into the value, or raises
    CellError.
    """

    name: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    parse: Callable[[Any], Any] | None = None

    def keys(self) -> tuple[str, ...]:
        return tuple(header_key(a) for a in (self.name, *self.aliases))


def header_key(text: Any) -> str:
    """ "Số điện thoại (*)" → "so dien thoai"; "CMND/CCCD" → "cmnd cccd"."""
    if text is None:
        return ""
    folded = fold(_NOTE.sub(" ", str(text)))
    return " ".join(_NON_WORD.sub(" ", folded).split())


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is: its last row index (0-based) and the column index of each spec."""

    last_row: int
    positions: dict[str, int]
    rows_used: int  # 1 or 2

    def missing(self, columns: Sequence[Column]) -> list[Column]:
        return [c for c in columns if c.required and c.name not in self.positions]


def _match_row(cells: Sequence[Sequence[Any]], columns: Sequence[Column]) -> dict[str, int]:
    """Spec name → column index, given per column the header texts to try (lower row first)."""
    lookup: dict[str, tuple[str, int]] = {}
    for column in columns:
        for rank, key in enumerate(column.keys()):
            lookup.setdefault(key, (column.name, rank))
    best: dict[str, tuple[int, int]] = {}  # name → (rank, index)
    for index, texts in enumerate(cells):
        for text in texts:
            found = lookup.get(header_key(text))
            if found is None:
                continue
            name, rank = found
            if name not in best or rank < best[name][0]:
                best[name] = (rank, index)
            break  # the lower (more specific) header text of this column decided
    return {name: index for name, (_rank, index) in best.items()}


def _score(positions: dict[str, int], columns: Sequence[Column]) -> tuple[int, int]:
    required = sum(1 for c in columns if c.required and c.name in positions)
    return required, len(positions)


def find_header(rows: Sequence[Sequence[Any]], columns: Sequence[Column]) -> HeaderMatch | None:
    """The best header among the first rows, single or two-row; None when nothing matches."""
    best: tuple[tuple[int, int, int], HeaderMatch] | None = None
    scan = rows[:HEADER_SCAN_ROWS]
    for r, row in enumerate(scan):
        candidates = [([[c] for c in row], 1)]
        if r + 1 < len(scan):
            lower = scan[r + 1]
            width = max(len(row), len(lower))
            pairs = [
                [lower[i] if i < len(lower) else None, row[i] if i < len(row) else None]
                for i in range(width)
            ]
            candidates.append((pairs, 2))
        for cells, used in candidates:
            positions = _match_row(cells, columns)
            if not positions:
                continue
            # More required columns, then more columns, then the single-row reading.
            rank = (*_score(positions, columns), -used)
            if best is None or rank > best[0]:
                best = (rank, HeaderMatch(r + used - 1, positions, used))
    return best[1] if best else None
