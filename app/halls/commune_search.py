"""The search over the halls form's communes: by today's name or a name of before 2025.

Officers still think in the communes of before the 2025 merger ("Phường Hưng Bình, TP Vinh"), and
the form lists about 130 communes of today. A query is read as words without accents ("bach ha"
finds "Xã Bạch Hà"), unit words dropped ("xã", "phường", "TP"…); a commune matches when every
word is a word of its name (the last one may be its beginning: the officer is still typing), or
of one of its former names with that commune's district. ``static/js/halls_admin.js`` applies the
same rule as the officer types; without JavaScript the server does (``search_view``).

The communes found come first, best first (``rank``): the whole name typed, current or former
("Thị trấn Quán Hành" → Xã Nghi Lộc), then a name that begins with what was typed, then the
word matches; within each tier the communes keep their Vietnamese order. The script ranks by
the same three tiers, so a row sits at the same place with and without JavaScript.

Rows never disappear from the form: those that do not match are only hidden, and a row that is
ticked, already a hall or has something typed in it stays shown whatever the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.halls.forms import HallRow
from app.identity.former_communes import former_names
from app.identity.text import fold
from app.models import OrgUnit

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_UNITS = r"(?:thanh pho|thi tran|thi xa|dac khu|xa|phuong|huyen|quan|tinh|tp|tx|tt)"
_UNIT_WORDS = re.compile(rf"\b{_UNITS}\b")
_LEADING_UNIT = re.compile(rf"^{_UNITS} ")
EXACT, PREFIX, WORDS = 0, 1, 2  # the tiers of ``rank``, best first


def key(text: str) -> str:
    """The words of a name as the search compares them: folded, punctuation gone."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def query_words(query: str) -> list[str]:
    """The words a query asks for; unit words dropped unless that leaves nothing."""
    folded = key(query)
    return _UNIT_WORDS.sub(" ", folded).split() or folded.split()


def matches(words: list[str], text_key: str) -> bool:
    """Every word is one of ``text_key``'s; the last may be the beginning of one."""
    have = text_key.split()
    *whole, last = words
    return all(w in have for w in whole) and any(h.startswith(last) for h in have)


def bare(text_key: str) -> str:
    """A name's words without the unit it starts with: "thi tran quan hanh" → "quan hanh"
    (one unit only: the name's own words may fold to one, "Quán Hành" to "quan hanh")."""
    return _LEADING_UNIT.sub("", text_key + " ", count=1).strip() or text_key


def rank(query: str, name_key: str, words_key: str | None = None) -> int | None:
    """How well ``query`` finds a name (``name_key``: its words, without a district), best
    first: ``EXACT`` (the whole name, with or without its unit word), ``PREFIX`` (the name
    begins with what was typed), ``WORDS`` (``matches`` on ``words_key``, the name with its
    district for a former one); None: not found."""
    typed = key(query)
    if not typed:
        return None
    name = bare(name_key)
    if typed in (name_key, name) or bare(typed) == name:
        return EXACT
    if any(n.startswith(t) for n in (name_key, name) for t in (typed, bare(typed))):
        return PREFIX
    words = query_words(query)
    return WORDS if words and matches(words, words_key or name_key) else None


def _best(*tiers: int | None) -> int | None:
    found = [t for t in tiers if t is not None]
    return min(found) if found else None


@dataclass(frozen=True)
class Former:
    name: str  # "Phường Hưng Bình, Thành phố Vinh"
    key: str  # its words with the district, for the page's script
    own: str  # the words of the name alone ("phuong hung binh"), for the script's tiers
    found: bool  # the query found the commune by this name (at its best tier)


@dataclass
class SearchView:
    query: str = ""
    keys: dict[str, str] = field(default_factory=dict)  # commune code → its name's words
    formers: dict[str, list[Former]] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)  # rows the query hides
    found: int = 0  # communes matching the query
    places: dict[str, int] = field(default_factory=dict)  # commune code → its place unsearched
    order: list[OrgUnit] = field(default_factory=list)  # the rows as shown: best matches first


def _typed(row: HallRow) -> bool:
    return bool(row.ticked or row.existing or row.expected or row.contact_name or row.contact_phone)


def search_view(communes: Iterable[OrgUnit], rows: Mapping[str, HallRow], query: str) -> SearchView:
    """What the form shows for ``query``: every row, the communes found first (``rank``), the
    ones not matching hidden, and the former names a commune was found by."""
    view = SearchView(query=" ".join(query.split()))
    tiers: dict[str, int] = {}
    units = list(communes)
    for place, unit in enumerate(units):
        view.places[unit.code] = place
        view.keys[unit.code] = key(unit.name)
        by_name = rank(query, view.keys[unit.code])
        formers = [(name, key(name), key(name.split(",")[0])) for name in former_names(unit.code)]
        by_former = [rank(query, own, whole) for _name, whole, own in formers]
        best = _best(by_name, *by_former)
        shown = best is not None and (by_name is None or best < by_name)
        view.formers[unit.code] = [
            Former(name, whole, own, shown and tier == best)
            for (name, whole, own), tier in zip(formers, by_former, strict=True)
        ]
        if best is not None:
            tiers[unit.code] = best
        elif key(query):
            row = rows.get(unit.code)
            if not (row is not None and _typed(row)):
                view.hidden.add(unit.code)
    view.found = len(tiers)
    # Stable: each tier in Vietnamese order; the rows kept without a match (ticked, typed) last.
    view.order = sorted(units, key=lambda u: tiers.get(u.code, WORDS + 1))
    return view
