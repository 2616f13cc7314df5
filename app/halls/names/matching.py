"""Which of a conference's halls a display name names, or none: a wrong hall is worse than none.

Levels, first decisive one wins:
1. exact: the core name (prefixes, head count and device suffix removed; spaces ignored) equals a
   hall's. With diacritics typed, the accented core decides first (so "Hoà Thành" and "Hoa
   Thành" stay apart); typed without diacritics, the folded core must point at one hall only.
2. alias: the whole name equals one the organiser assigned to a hall by hand before.
3. legacy: the name is a commune of before the 2025 reform ("UBND xã Sơn Thành - Yên Thành")
   that became one of the halls (``app.identity.communes``, the resolver every import uses); a
   commune split between several halls, or a name several old communes shared, is ambiguous.
4. fuzzy: the core is a typo of one hall's (1–2 edits) and every other hall is 2 edits farther.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from app.halls.names.parsing import ParsedName, parse_display_name
from app.identity.communes import Commune, CommuneHow, CommuneScope

# Typos: edits allowed by the length of the spaceless folded core, (min length, edits), rising.
FUZZY_MAX_EDITS: tuple[tuple[int, int], ...] = ((6, 1), (12, 2))
FUZZY_MARGIN_EDITS = 2  # every other hall must be at least this many edits farther away
_FUZZY_HORIZON = FUZZY_MAX_EDITS[-1][1] + FUZZY_MARGIN_EDITS
FUZZY_MIN_LENGTH = FUZZY_MAX_EDITS[0][0]  # shorter cores ("ha", "anphu") are too easy to confuse

_DIGITS = re.compile(r"\d+")

Reason = Literal["exact", "alias", "legacy", "fuzzy", "ambiguous", "no_match"]


@dataclass(frozen=True)
class Hall:
    """A bridge point of one conference: a commune (code kept, names repeat across provinces)."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()  # display names the organiser assigned to it by hand before


@dataclass(frozen=True)
class Match:
    """Where one participant belongs; ``hall_code`` is None unless the match is certain."""

    hall_code: str | None
    score: float
    reason: Reason
    head_count: int | None = None
    candidates: tuple[str, ...] = ()  # the tied hall codes when ``reason`` is "ambiguous"


class _HallIndex:
    """The halls' keys, built once per roster."""

    def __init__(self, halls: Iterable[Hall]) -> None:
        self.codes: list[str] = []
        self._scope: CommuneScope | None = None  # built on the first name no hall has
        self.folded: dict[str, set[str]] = {}
        self.accented: dict[str, set[str]] = {}
        self.aliases: dict[str, set[str]] = {}
        self.cores: dict[str, set[str]] = {}  # code → spaceless folded cores
        for hall in halls:
            self.codes.append(hall.code)
            for segment in parse_display_name(hall.name).segments:
                for key in segment.folded:
                    self.folded.setdefault(key, set()).add(hall.code)
                    self.cores.setdefault(hall.code, set()).add(key)
                for key in segment.accented or ():
                    self.accented.setdefault(key, set()).add(hall.code)
            for alias in hall.aliases:
                key = parse_display_name(alias).key.replace(" ", "")
                if key:
                    self.aliases.setdefault(key, set()).add(hall.code)

    def exact(self, parsed: ParsedName) -> tuple[set[str], bool]:
        """Halls whose core equals a segment's; accents decide first when they were typed.

        Also whether accents were typed that no hall carries ("Châu Bính" found as "Châu
        Bình"): such a name may be an old commune of that spelling rather than a typo.
        """
        codes: set[str] = set()
        accents_differ = False
        for segment in parsed.segments:
            hits: set[str] = set()
            if segment.accented is not None:
                for key in segment.accented:
                    hits |= self.accented.get(key, set())
            if not hits:
                for key in segment.folded:
                    hits |= self.folded.get(key, set())
                accents_differ |= bool(hits) and segment.accented is not None
            codes |= hits
        return codes, accents_differ

    def legacy(self, parsed: ParsedName) -> Commune | None:
        """The halls a pre-2025 commune name (with its district when typed) became, if any."""
        if not parsed.core or parsed.core.replace(" ", "").isdigit():
            return None  # "Phường 3" is a name here, never a code
        if self._scope is None:
            self._scope = CommuneScope(self.codes)
        accented = parsed.segments[0].accented  # typed accents tell "Châu Bính" from "Bình"
        core = min(accented, key=len) if accented else parsed.core
        core = f"{parsed.unit} {core}" if parsed.unit else core
        found = self._scope.resolve(", ".join((core, *parsed.qualifiers)))
        return found if found.candidates else None

    def fuzzy(self, parsed: ParsedName) -> tuple[set[str], dict[str, _Near]]:
        """Halls whose core the name's core begins, and per hall its nearest core."""
        prefix_of: set[str] = set()
        nearest: dict[str, _Near] = {}
        for segment in parsed.segments:
            for key in segment.folded:
                if len(key) < FUZZY_MIN_LENGTH:
                    continue
                digits = _DIGITS.findall(key)
                for code, hall_keys in self.cores.items():
                    for hall_key in hall_keys:
                        if _DIGITS.findall(hall_key) != digits:
                            continue  # "Phường 1" is never "Phường 7"
                        if hall_key.startswith(key):
                            prefix_of.add(code)
                        near = _Near(
                            _edit_distance(key, hall_key, _FUZZY_HORIZON),
                            _allowed_edits(min(len(key), len(hall_key))),
                            key,
                            hall_key,
                        )
                        if code not in nearest or near.rank < nearest[code].rank:
                            nearest[code] = near
        return prefix_of, nearest


@dataclass(frozen=True)
class _Near:
    edits: int
    allowed: int  # edits this pair of lengths allows
    key: str
    hall_key: str

    @property
    def rank(self) -> tuple[int, int]:
        return self.edits, -self.allowed

    def ratio(self) -> float:
        return round(SequenceMatcher(None, self.key, self.hall_key, autojunk=False).ratio(), 3)


def _edit_distance(a: str, b: str, horizon: int) -> int:
    """Optimal-string-alignment distance (insertions, deletions, substitutions, swaps).

    Beyond ``horizon`` nothing is decided, so the answer is then only "more than horizon".
    """
    if abs(len(a) - len(b)) > horizon:
        return abs(len(a) - len(b))
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        if min(current) > horizon and min(previous) > horizon:
            return horizon + 1  # later rows only grow from these two
        previous2, previous = previous, current
    return previous[-1]


def _allowed_edits(key_length: int) -> int:
    allowed = 0
    for min_length, edits in FUZZY_MAX_EDITS:
        if key_length >= min_length:
            allowed = edits
    return allowed


def _match(parsed: ParsedName, index: _HallIndex) -> Match:
    count = parsed.head_count
    exact, accents_differ = index.exact(parsed)
    alias = index.aliases.get(parsed.key.replace(" ", ""), set())
    if accents_differ:  # an old commune spelt so wins over a hall spelt otherwise
        legacy = index.legacy(parsed)
        if legacy is not None and legacy.code is not None and legacy.how != CommuneHow.NAME_2025:
            return Match(legacy.code, 1.0, "legacy", count)
    if len(exact) == 1:
        return Match(next(iter(exact)), 1.0, "exact", count)
    if exact:
        if len(alias) == 1 and alias <= exact:  # the organiser settled this tie before
            return Match(next(iter(alias)), 1.0, "alias", count)
        return Match(None, 1.0, "ambiguous", count, tuple(sorted(exact)))
    if len(alias) == 1:
        return Match(next(iter(alias)), 1.0, "alias", count)
    if alias:
        return Match(None, 1.0, "ambiguous", count, tuple(sorted(alias)))
    legacy = index.legacy(parsed)
    if legacy is not None and legacy.code is not None:
        return Match(legacy.code, 1.0, "legacy", count)
    if legacy is not None:
        return Match(None, 1.0, "ambiguous", count, legacy.candidates)
    return _fuzzy(parsed, index)


def _fuzzy(parsed: ParsedName, index: _HallIndex) -> Match:
    """A typo of one hall's name: within a few edits of it and clearly farther from all others.

    Decided by edit distance, not by a ratio: names that share "Thành" are alike as strings, so
    what counts is how many keystrokes separate them. A hall is taken only if every other hall
    is FUZZY_MARGIN_EDITS more edits away, so a name with up to that many typos is never given
    to a wrong hall (it becomes ambiguous). A name cut short ("Vinh Phú Đ") is ambiguous
    between every hall it begins.
    """
    count = parsed.head_count
    prefix_of, nearest = index.fuzzy(parsed)
    if not nearest:
        return Match(None, 0.0, "no_match", count)
    ranked = sorted(nearest.items(), key=lambda item: (item[1].rank, item[0]))
    best_code, best = ranked[0]
    if best.edits > best.allowed:
        return Match(None, best.ratio(), "no_match", count)
    close = {code for code, near in ranked if near.edits < best.edits + FUZZY_MARGIN_EDITS}
    close |= prefix_of
    if len(close) > 1:
        return Match(None, best.ratio(), "ambiguous", count, tuple(sorted(close)))
    return Match(best_code, best.ratio(), "fuzzy", count)


class HallMatcher:
    """The halls indexed once, for many names: a roster, the rows of an attendee sheet."""

    def __init__(self, halls: Iterable[Hall]) -> None:
        self._index = _HallIndex(halls)

    def match(self, display_name: str) -> Match:
        return _match(parse_display_name(display_name), self._index)


def match_participant(display_name: str, halls: Sequence[Hall]) -> Match:
    """Match one participant's display name to one of ``halls``, or to none if unsure."""
    return HallMatcher(halls).match(display_name)


def match_roster(display_names: Iterable[str], halls: Sequence[Hall]) -> dict[str, Match]:
    """Match every distinct display name of a roster (the halls are indexed once)."""
    matcher = HallMatcher(halls)
    return {name: matcher.match(name) for name in dict.fromkeys(display_names)}
