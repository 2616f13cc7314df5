"""The search over the halls form's communes: by today's name or a name of before 2025.

Officers still think in the communes of before the 2025 merger ("Phường Hưng Bình, TP Vinh"), and
the form lists about 130 communes of today. A query is read as words without accents ("bach ha"
finds "Xã Bạch Hà"), unit words dropped ("xã", "phường", "TP"…); a commune matches when every
word is a word of its name (the last one may be its beginning: the officer is still typing), or
of one of its former names with that commune's district. ``static/js/halls_admin.js`` applies the
same rule as the officer types; without JavaScript the server does (``search_view``).

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
_UNIT_WORDS = re.compile(
    r"\b(?:thanh pho|thi tran|thi xa|dac khu|xa|phuong|huyen|quan|tinh|tp|tx)\b"
)


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


@dataclass(frozen=True)
class Former:
    name: str  # "Phường Hưng Bình, Thành phố Vinh"
    key: str  # its words, for the page's script
    found: bool  # the query found the commune by this name


@dataclass
class SearchView:
    query: str = ""
    keys: dict[str, str] = field(default_factory=dict)  # commune code → its name's words
    formers: dict[str, list[Former]] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)  # rows the query hides
    found: int = 0  # communes matching the query


def _typed(row: HallRow) -> bool:
    return bool(row.ticked or row.existing or row.expected or row.contact_name or row.contact_phone)


def search_view(communes: Iterable[OrgUnit], rows: Mapping[str, HallRow], query: str) -> SearchView:
    """What the form shows for ``query``: every row, the ones not matching hidden, and the
    former names a commune was found by."""
    words = query_words(query)
    view = SearchView(query=" ".join(query.split()))
    for unit in communes:
        view.keys[unit.code] = key(unit.name)
        by_name = not words or matches(words, view.keys[unit.code])
        view.formers[unit.code] = [
            Former(name, key(name), bool(words) and not by_name and matches(words, key(name)))
            for name in former_names(unit.code)
        ]
        found = by_name or any(f.found for f in view.formers[unit.code])
        view.found += found
        row = rows.get(unit.code)
        if not found and not (row is not None and _typed(row)):
            view.hidden.add(unit.code)
    return view
