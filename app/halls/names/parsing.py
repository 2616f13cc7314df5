"""A participant's display name taken apart: the commune core, the head count, the rejoin number.

"Điểm cầu xã Tăng Thành - 45 người 2" → core "tang thanh", head count 45, device 2. The core is
kept twice, folded and (when diacritics were typed) accented, tone marks in one place, so
``app.halls.names.matching`` can let accents decide when they are there. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.halls.names.vocabulary import (
    DEVICE_WORDS,
    HEAD_COUNT_LABELS,
    HEAD_COUNT_UNITS,
    HIGHER_UNITS,
    ORG_PREFIXES,
    SEPARATORS,
    UNIT_ACCENTED,
    UNIT_QUALIFIED_PREFIXES,
    UNIT_WORDS,
)
from app.identity.text import clean_text, fold, place_tone

_TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]")
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


_Tokens = list[tuple[str, str]]  # (folded, accented) pairs


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
    core_accented = [place_tone(a) for _, a in core]
    unit_folded = [f for f, _ in unit]
    canonical_unit = UNIT_WORDS.get(tuple(unit_folded)) if unit else None
    folded = {"".join(core_folded)}
    if canonical_unit in UNIT_ACCENTED:  # a whole word ("xa", "phuong") may be part of the name
        folded.add("".join(unit_folded + core_folded))
    accented: set[str] | None = None
    core_text = " ".join(core_folded)
    if any(f != a for f, a in core + unit):
        unit_accented = [place_tone(a) for _, a in unit]
        full = "".join(unit_accented + core_accented)
        official_words = UNIT_ACCENTED.get(canonical_unit or "", "").split()
        official = "".join(place_tone(word) for word in official_words)
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
