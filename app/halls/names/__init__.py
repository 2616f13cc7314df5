"""Which commune hall ("điểm cầu") is this conference participant? Display name → bridge point.

Every commune hall joins an online conference as one participant, named by an officer who types
the commune any which way: "UBND xa Tang Thanh", "Điểm cầu xã Tăng Thành - 45 người", "TANG
THANH", "xã Tăng thành 2" (a rejoin from a second device). ``match_participant`` maps such a name
to one of the conference's halls, or says it cannot. A wrong hall is worse than none (it credits
one commune with another's attendance and hides the absent one), so every rule here is
conservative: two equally good halls, or a best hall that is not close enough, give no hall.

Pure functions, no Flask and no database. Commune names repeat across provinces (and, before the
2025 reform, across districts), so a hall is always identified by its code, never by its name
(shared/research/linkage-vn-data.md §3).

Levels, first decisive one wins:
1. exact: the core name (prefixes, head count and device suffix removed; spaces ignored) equals a
   hall's. With diacritics typed, the accented core decides first (so "Hoà Thành" and "Hoa
   Thành" stay apart); typed without diacritics, the folded core must point at one hall only.
2. alias: the whole name equals one the organiser assigned to a hall by hand before.
3. fuzzy: the core is a typo of one hall's (1–2 edits) and every other hall is 2 edits farther.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from app.normalize import clean_text, fold

# --------------------------------------------------------------------------------------------
# Keyword tables (folded tokens; "đ" is "d", no diacritics)
# --------------------------------------------------------------------------------------------

# Words in front of a commune name that say "the hall of": stripped from the start, any number,
# any order ("Điểm cầu UBND xã …", "Hội trường UBND …"). Longest first.
ORG_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("uy", "ban", "nhan", "dan"),
    ("diem", "cau", "tai"),
    ("diem", "cau"),
    ("hoi", "truong"),
    ("phong", "hop"),
    ("uy", "ban"),
    ("dang", "uy"),
    ("ubnd",),
    ("hdnd",),
    ("dc",),
    ("ub",),
)
# "BHXH xã Tăng Thành" is a commune's own collection point; "BHXH" alone (the province or a
# district office, e.g. "BHXH tỉnh Nghệ An", "BHXH huyện Yên Thành") is not a hall, so it is
# stripped only when a commune-level unit word follows.
UNIT_QUALIFIED_PREFIXES: tuple[tuple[str, ...], ...] = (("bhxh",),)

# Commune-level unit words → the canonical folded unit. At most one is stripped (a commune may be
# named "Xá Lượng", so "xa xa luong" keeps the second "xa").
UNIT_WORDS: dict[tuple[str, ...], str] = {
    ("thi", "tran"): "thi tran",
    ("dac", "khu"): "dac khu",
    ("phuong",): "phuong",
    ("xa",): "xa",
    ("tt",): "thi tran",
    ("dk",): "dac khu",
    ("p",): "phuong",
    ("x",): "xa",
}
# The unit words as officially written; an accented token that is neither this nor plain is a
# name syllable ("Phương Liệt" is not "Phường Liệt").
UNIT_ACCENTED: dict[str, str] = {
    "xa": "xã",
    "phuong": "phường",
    "thi tran": "thị trấn",
    "dac khu": "đặc khu",
}

# A segment starting with these names a district or province ("- huyện Yên Thành"): not a hall.
HIGHER_UNITS: tuple[tuple[str, ...], ...] = (
    ("thanh", "pho"),
    ("thi", "xa"),
    ("huyen",),
    ("quan",),
    ("tinh",),
    ("tp",),
    ("tx",),
    ("h",),
    ("q",),
)

# Head counts officers write into the name: "- 45 người", "(30ng)", "sl 45", "số lượng: 45".
HEAD_COUNT_UNITS = ("nguoi tham du", "nguoi", "ngui", "ng", "dai bieu", "db")
HEAD_COUNT_LABELS = ("so luong", "so nguoi", "sl")
# A rejoin from another device: "xã Tăng Thành 2", "(2)", "- máy 2".
DEVICE_WORDS = ("thiet bi", "may so", "may", "tb", "device", "dt")

SEPARATORS = frozenset("-\u2013\u2014|,/()[];+")  # with the en and em dashes

# Typos: edits allowed by the length of the spaceless folded core, (min length, edits), rising.
FUZZY_MAX_EDITS: tuple[tuple[int, int], ...] = ((6, 1), (12, 2))
FUZZY_MARGIN_EDITS = 2  # every other hall must be at least this many edits farther away
_FUZZY_HORIZON = FUZZY_MAX_EDITS[-1][1] + FUZZY_MARGIN_EDITS
FUZZY_MIN_LENGTH = FUZZY_MAX_EDITS[0][0]  # shorter cores ("ha", "anphu") are too easy to confuse

# --------------------------------------------------------------------------------------------
# Regexes
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]")
_DIGITS = re.compile(r"\d+")
_HEAD_COUNT = re.compile(
    r"(?<!\S)(?:(?P<n1>\d{1,4}) (?:"
    + "|".join(HEAD_COUNT_UNITS)
    + r")|(?:"
    + "|".join(HEAD_COUNT_LABELS)
    + r") (?P<n2>\d{1,4})(?: (?:"
    + "|".join(HEAD_COUNT_UNITS)
    + r"))?)(?!\S)"
)
_DEVICE = re.compile(
    r"(?:^|(?<= ))(?:\( )?(?:(?:" + "|".join(DEVICE_WORDS) + r") )?(?P<n>\d{1,2})(?: \))?$"
)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng

Reason = Literal["exact", "alias", "fuzzy", "ambiguous", "no_match"]


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hall:
    """A bridge point of one conference: a commune (code kept, names repeat across provinces)."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()  # display names the organiser assigned to it by hand before


@dataclass(frozen=True)
class _Segment:
    """One comparable piece of a name, as spaceless keys (alternatives with/without the unit)."""

    core: str
    folded: frozenset[str]
    accented: frozenset[str] | None  # None when typed without diacritics


@dataclass(frozen=True)
class ParsedName:
    """A display name taken apart: the commune core, the head count, the rejoin number."""

    text: str
    core: str  # folded, e.g. "tang thanh"; "" when nothing name-like is left
    head_count: int | None = None
    device: int | None = None
    unit: str | None = None  # folded unit word typed before the core: "xa", "phuong"…
    qualifiers: tuple[str, ...] = ()  # folded cores of the other segments: ("yen thanh",)
    key: str = ""  # the whole name, folded, without head count, device and punctuation
    segments: tuple[_Segment, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class Match:
    """Where one participant belongs; ``hall_code`` is None unless the match is certain."""

    hall_code: str | None
    score: float
    reason: Reason
    head_count: int | None = None
    candidates: tuple[str, ...] = ()  # the tied hall codes when ``reason`` is "ambiguous"


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

_Tokens = list[tuple[str, str]]  # (folded, accented) pairs


def _tone_canonical(word: str) -> str:
    """A word with its tone mark moved to the end, so "hoà" and "hòa" (old/new placement) agree.

    Only the tone marks move; the vowel marks (â, ă, ơ…) stay, so "Hoa" and "Hoà" still differ.
    """
    decomposed = unicodedata.normalize("NFD", word)
    tones = sorted(ch for ch in decomposed if ch in _TONE_MARKS)
    base = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", base) + "".join(tones)


def _tokens(text: str) -> _Tokens:
    """Words, numbers and separators; other punctuation ("." ":" "'") is dropped."""
    pairs: _Tokens = []
    for token in _TOKEN.findall(clean_text(text.replace("_", " "))):
        if token.isalnum():
            pairs.append((fold(token), token))
        elif token in SEPARATORS:
            pairs.append((token, token))
    return pairs


def _token_span(tokens: _Tokens, start: int, end: int) -> tuple[int, int]:
    """Token indices [i, j) covering characters [start, end) of the space-joined folded tokens."""
    offset, first, last = 0, len(tokens), len(tokens)
    for index, (folded, _) in enumerate(tokens):
        if offset == start:
            first = index
        offset += len(folded)
        if offset == end:
            last = index + 1
            break
        offset += 1
    return first, last


def _joined(tokens: _Tokens) -> str:
    return " ".join(folded for folded, _ in tokens)


def _strip_trailing_separators(tokens: _Tokens) -> _Tokens:
    while tokens and tokens[-1][0] in SEPARATORS and tokens[-1][0] != ")":
        tokens = tokens[:-1]
    while len(tokens) >= 2 and tokens[-2][0] == "(" and tokens[-1][0] == ")":
        tokens = _strip_trailing_separators(tokens[:-2])
    return tokens


def _take_head_count(tokens: _Tokens) -> tuple[_Tokens, int | None]:
    found = _HEAD_COUNT.search(_joined(tokens))
    if found is None:
        return tokens, None
    i, j = _token_span(tokens, found.start(), found.end())
    return tokens[:i] + tokens[j:], int(found["n1"] or found["n2"])


def _take_device(tokens: _Tokens) -> tuple[_Tokens, int | None]:
    found = _DEVICE.search(_joined(tokens))
    if found is None or found.start() == 0:
        return tokens, None  # a bare number is a name ("Phường 2"), not a rejoin
    i, _ = _token_span(tokens, found.start(), found.end())
    rest = _strip_trailing_separators(tokens[:i])
    core = tuple(folded for folded, _ in _strip_prefixes(rest)[0])
    if not core or core in UNIT_WORDS:
        return tokens, None  # "Phường 2", "UBND xã 2": the number is all the name there is
    return rest, int(found["n"])


def _starts_with(tokens: _Tokens, words: tuple[str, ...]) -> bool:
    return tuple(folded for folded, _ in tokens[: len(words)]) == words


def _strip_prefixes(tokens: _Tokens) -> tuple[_Tokens, _Tokens]:
    """(core tokens, the unit word tokens stripped); org prefixes go, at most one unit word."""
    unit: _Tokens = []
    stripped = True
    while stripped and tokens:
        stripped = False
        for words in ORG_PREFIXES:
            if _starts_with(tokens, words) and len(tokens) > len(words):
                tokens, stripped = tokens[len(words) :], True
                break
        if stripped:
            continue
        for words in UNIT_QUALIFIED_PREFIXES:
            rest = tokens[len(words) :]
            if _starts_with(tokens, words) and any(_starts_with(rest, u) for u in UNIT_WORDS):
                tokens, stripped = rest, True
                break
        if stripped or unit:
            continue
        for words in UNIT_WORDS:
            if _starts_with(tokens, words) and len(tokens) > len(words):
                unit, tokens, stripped = tokens[: len(words)], tokens[len(words) :], True
                break
    return tokens, unit


def _segment(tokens: _Tokens) -> tuple[_Segment | None, str | None]:
    """A segment's comparable keys and its canonical unit, or None if it names no commune."""
    if any(_starts_with(tokens, words) for words in HIGHER_UNITS):
        return None, None
    core, unit = _strip_prefixes(tokens)
    if not core:
        return None, None
    core_folded = [f for f, _ in core]
    core_accented = [_tone_canonical(a) for _, a in core]
    unit_folded = [f for f, _ in unit]
    canonical_unit = UNIT_WORDS.get(tuple(unit_folded)) if unit else None
    folded = {"".join(core_folded)}
    if canonical_unit in UNIT_ACCENTED:  # a whole word ("xa", "phuong") may be part of the name
        folded.add("".join(unit_folded + core_folded))
    accented: set[str] | None = None
    core_text = " ".join(core_folded)
    if any(f != a for f, a in core + unit):
        unit_accented = [_tone_canonical(a) for _, a in unit]
        full = "".join(unit_accented + core_accented)
        official_words = UNIT_ACCENTED.get(canonical_unit or "", "").split()
        official = "".join(_tone_canonical(word) for word in official_words)
        typed_unit = "".join(a for _, a in unit)
        if not unit:
            accented = {"".join(core_accented)}
        elif typed_unit == "".join(unit_folded) or "".join(unit_accented) == official:
            accented = {"".join(core_accented)}  # a real unit word, plain or accented
            if canonical_unit in UNIT_ACCENTED:
                accented.add(full)
        else:
            accented = {full}  # "Phương Liệt", "Xá Lượng": the "unit" is a name syllable
            core_text = " ".join(unit_folded + core_folded)
    segment = _Segment(core_text, frozenset(folded), _frozen(accented))
    return segment, canonical_unit


def _frozen(keys: set[str] | None) -> frozenset[str] | None:
    return None if keys is None else frozenset(keys)


def _split(tokens: _Tokens) -> list[_Tokens]:
    pieces: list[_Tokens] = [[]]
    for token in tokens:
        if token[0] in SEPARATORS:
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def parse_display_name(text: str) -> ParsedName:
    """Take a participant's display name apart: folded commune core, head count, rejoin number.

    "Điểm cầu xã Tăng Thành - 45 người 2" → core "tang thanh", head count 45, device 2. Other
    " - " / "( )" pieces (often the district) become ``qualifiers``.
    """
    tokens = _tokens(text)
    head_count = device = None
    for _ in range(3):  # "… - 43 người 2": the device first, then the head count
        before = tokens
        tokens, count = _take_head_count(tokens)
        head_count = head_count if count is None else count
        tokens = _strip_trailing_separators(tokens)
        tokens, number = _take_device(tokens)
        device = device if number is None else number
        tokens = _strip_trailing_separators(tokens)
        if tokens == before:
            break
    pieces = _split(tokens)
    segments: list[_Segment] = []
    units: list[str | None] = []
    for piece in pieces:
        segment, unit = _segment(piece)
        if segment is not None:
            segments.append(segment)
            units.append(unit)
    if len(pieces) > 1:  # a name that itself contains a separator
        whole, _ = _segment([t for piece in pieces for t in piece])
        if whole is not None and whole.core not in {s.core for s in segments}:
            segments.append(whole)
            units.append(None)
    words = [folded for folded, _ in tokens if folded not in SEPARATORS]
    return ParsedName(
        text=text,
        core=segments[0].core if segments else "",
        head_count=head_count,
        device=device,
        unit=units[0] if units else None,
        qualifiers=tuple(s.core for s in segments[1 : len(pieces)]),
        key=" ".join(words),
        segments=tuple(segments),
    )


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


class _HallIndex:
    """The halls' keys, built once per roster."""

    def __init__(self, halls: Iterable[Hall]) -> None:
        self.folded: dict[str, set[str]] = {}
        self.accented: dict[str, set[str]] = {}
        self.aliases: dict[str, set[str]] = {}
        self.cores: dict[str, set[str]] = {}  # code → spaceless folded cores
        for hall in halls:
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

    def exact(self, parsed: ParsedName) -> set[str]:
        """Halls whose core equals a segment's; accents decide first when they were typed."""
        codes: set[str] = set()
        for segment in parsed.segments:
            hits: set[str] = set()
            if segment.accented is not None:
                for key in segment.accented:
                    hits |= self.accented.get(key, set())
            if not hits:
                for key in segment.folded:
                    hits |= self.folded.get(key, set())
            codes |= hits
        return codes

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
    exact = index.exact(parsed)
    alias = index.aliases.get(parsed.key.replace(" ", ""), set())
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


def match_participant(display_name: str, halls: Sequence[Hall]) -> Match:
    """Match one participant's display name to one of ``halls``, or to none if unsure."""
    return _match(parse_display_name(display_name), _HallIndex(halls))


def match_roster(display_names: Iterable[str], halls: Sequence[Hall]) -> dict[str, Match]:
    """Match every distinct display name of a roster (the halls are indexed once)."""
    index = _HallIndex(halls)
    return {name: _match(parse_display_name(name), index) for name in dict.fromkeys(display_names)}
