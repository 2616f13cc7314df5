"""An address as written, taken apart: the commune, its district (before 2025) and its province.

People still write the units of before the 1 July 2025 reform: "Xã Sơn Thành, huyện Yên Thành,
tỉnh Nghệ An", "X. Sơn Thành - H. Yên Thành", "xa son thanh huyen yen thanh", "Phường 7, Quận 3,
TP Hồ Chí Minh". The pieces are told apart by their unit words; what each piece *is* (a
commune's name, a district, a province) is decided here only from those words, so
``app.identity.communes`` decides the rest with its tables ("Thành phố Vinh" is a district,
"Thành phố Huế" a province). Pure functions.

The unit words are the ones officers also type into a hall's display name, so
``app.halls.names.vocabulary`` takes them from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.identity.text import clean_text, fold

# Commune-level unit words (folded tokens) → the canonical folded unit. At most one is taken off
# a name (a commune may be named "Xá Lượng", so "xa xa luong" keeps the second "xa").
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
# Words opening a district or province piece ("huyện Yên Thành", "TP Hồ Chí Minh") → its level;
# "city" is either (a province-level city or a district-level one), the tables tell.
HIGHER_UNIT_LEVELS: dict[tuple[str, ...], str] = {
    ("thanh", "pho"): "city",
    ("thi", "xa"): "district",
    ("huyen",): "district",
    ("quan",): "district",
    ("tinh",): "province",
    ("tp",): "city",
    ("tx",): "district",
    ("h",): "district",
    ("q",): "district",
}
HIGHER_UNITS: tuple[tuple[str, ...], ...] = tuple(HIGHER_UNIT_LEVELS)
_HIGHER_ACCENTED = {"thanh pho": "thành phố", "thi xa": "thị xã", "huyen": "huyện",
                    "quan": "quận", "tinh": "tỉnh"}  # fmt: skip
# Below a commune: a piece opening with these is a hamlet or a street, not a unit of ours.
_HAMLET_WORDS = (("thon",), ("xom",), ("ap",), ("ban",), ("to",), ("khoi",), ("khu", "pho"),
                 ("so", "nha"), ("duong",), ("pho",), ("ngo",), ("hem",))  # fmt: skip
_SEPARATORS = re.compile(r"[,;|/()\[\]+\n]| [-\u2013\u2014] |[\u2013\u2014]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Address:
    """The pieces of one written address; names keep their accents, unit words are taken off."""

    commune: str  # the commune's name ("sơn thành"), "" when no piece names one
    unit: str = ""  # its unit word, canonical and folded ("xa", "phuong", "thi tran", "dac khu")
    district: str | None = None  # a legacy district's name ("yên thành")
    province: str | None = None  # a province's name ("nghệ an")
    others: tuple[str, ...] = ()  # later pieces without a unit word, or "thành phố …" pieces


def _words(piece: str) -> list[str]:
    return _WORD.findall(piece)


def _starts(folded: list[str], words: tuple[str, ...]) -> bool:
    return tuple(folded[: len(words)]) == words


def _typed_as_unit(typed: list[str], canonical: str, official: dict[str, str]) -> bool:
    """Plain letters or the official spelling: "xã", "xa"; never a name syllable ("Xá")."""
    text = " ".join(typed)
    return text == fold(text) or text == official.get(canonical, text)


def _name_words(typed: list[str]) -> list[str]:
    """The words of a piece after its unit word ("xã", "thị xã"…), if it opens with one."""
    folded = [fold(w) for w in typed]
    for words in (*HIGHER_UNITS, *UNIT_WORDS):
        if _starts(folded, words):
            return folded[len(words) :]
    return folded


def _split_higher(typed: list[str], plain: bool) -> list[list[str]]:
    """Cut one piece before a district or province word that follows a name ("… huyện …").

    In accented text only the accented word counts ("Tam Quan" is a name, "quận" a unit). In
    text typed without accents a name may hold the same letters ("xa my tinh an"): there the
    word counts after a name of two words or a number, and "quan" only before a number.
    """
    folded = [fold(w) for w in typed]
    pieces: list[list[str]] = [[]]
    i = 0
    while i < len(typed):
        cut = None
        for words in HIGHER_UNITS:
            if len(words[0]) > 1 and _starts(folded[i:], words) and len(typed) > i + len(words):
                canonical = " ".join(words)
                spelt = " ".join(typed[i : i + len(words)])
                after = folded[i + len(words)]
                name = _name_words(pieces[-1])
                if (spelt == _HIGHER_ACCENTED.get(canonical) and name) or (
                    plain
                    and spelt == canonical
                    and (len(name) >= 2 or (name and name[-1].isdigit()))
                    and (canonical != "quan" or after.isdigit())
                ):
                    cut = words
                    break
        if cut is not None:
            pieces.append(typed[i : i + len(cut)])
            i += len(cut)
            continue
        pieces[-1].append(typed[i])
        i += 1
    return [p for p in pieces if p]


def _classify(typed: list[str], first: bool) -> tuple[str, str, str]:
    """(level, unit, name) of one piece: level "commune", "district", "province", "city",
    "hamlet" or "" (no unit word).

    The first piece is usually the commune, whose name may begin with a syllable spelt like a
    higher unit ("Quan Sơn", "Tịnh Khê" typed without accents): there a higher unit counts only
    written in full with its accents, or abbreviated.
    """
    folded = [fold(w) for w in typed]
    for words, level in HIGHER_UNIT_LEVELS.items():
        if _starts(folded, words) and len(typed) > len(words):
            canonical = " ".join(words)
            spelt = " ".join(typed[: len(words)])
            if (
                canonical not in _HIGHER_ACCENTED
                or spelt == _HIGHER_ACCENTED[canonical]
                or (not first and spelt == canonical)
            ):
                return level, canonical, " ".join(typed[len(words) :])
    for words, unit in UNIT_WORDS.items():
        if (
            _starts(folded, words)
            and len(typed) > len(words)
            and _typed_as_unit(typed[: len(words)], unit, UNIT_ACCENTED)
        ):
            return "commune", unit, " ".join(typed[len(words) :])
    if any(_starts(folded, words) for words in _HAMLET_WORDS):
        return "hamlet", "", " ".join(typed)
    return "", "", " ".join(typed)


@lru_cache(maxsize=50_000)
def split_address(text: str) -> Address:
    """The commune, district and province pieces of ``text``, by their unit words.

    The commune is the piece with a commune unit word, else the first piece without any; a
    hyphen after the province ("tỉnh Bà Rịa - Vũng Tàu") continues its name.
    """
    pieces: list[tuple[str, str, str, str]] = []  # (level, unit, name, separator before)
    separator = ""
    plain = fold(text) == clean_text(text)
    for part in re.split(f"({_SEPARATORS.pattern})", clean_text(text)):
        if _SEPARATORS.fullmatch(part):
            separator = part.strip()
            continue
        for i, words in enumerate(_split_higher(_words(part), plain)):
            pieces.append((*_classify(words, not pieces), separator if i == 0 else ""))
    commune, unit = "", ""
    district = province = None
    others: list[str] = []
    last = ""
    for level, word, name, before in pieces:
        if level == "" and before in {"-", "\u2013", "\u2014"} and last == "province":
            province = f"{province} {name}"
        elif level == "commune" and not unit:
            commune, unit = name, word
        elif level == "district" and district is None:
            district = name
        elif level == "province" and province is None:
            province = name
        elif level == "" and not commune:
            commune = name
        elif level in {"", "city"}:
            others.append(name)
        last = level
    return Address(commune, unit, district, province, tuple(others))
