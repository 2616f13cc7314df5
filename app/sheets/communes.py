"""The commune a row writes, placed among the communes an import accepts, or left to the user.

Every import (attendee sheets, the hall's sheet, enrolment exports) places rows with the one
resolver, ``app.identity.communes.CommuneScope``: a 2025 or legacy code, a 2025 or legacy name,
with or without its district and province. A written commune that may be several (an old
commune split in 2025, a name two communes share) is never guessed: it becomes a
``CommuneChoice`` listed in the preview with its candidate communes, and the answer the user
posts with the confirmation (``chosen``: choice key → 2025 code) places its rows.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from app.identity.communes import Commune, CommuneHow, CommuneScope
from app.identity.text import fold
from app.models import OrgUnit
from app.sheets.issues import _l

FIELD_PREFIX = "commune-choice-"  # one form field per choice: FIELD_PREFIX + key → 2025 code

CHOOSE_SPLIT = _l("This old commune was divided in 2025: choose one of %(communes)s.")
CHOOSE_SHARED = _l("Several communes have this name: choose one of %(communes)s.")

Status = Literal["placed", "choose", "outside", "unknown"]
# How a preview shows a row's commune: as matched ("renamed": typed otherwise — a pre-2025 name,
# a code, another spelling — so shown as typed → matched), waiting for a choice, not found, or
# not written at all (no misspelling: nothing to find).
Shown = Literal["matched", "renamed", "choose", "unknown", "blank"]


def choice_key(written: str) -> str:
    """The same words, however accented or spaced, are one choice."""
    return hashlib.sha256(" ".join(fold(written).split()).encode()).hexdigest()[:16]


def posted_choices(form: Mapping[str, str]) -> dict[str, str]:
    """The user's answers in a confirmation form (empty selects are no answer)."""
    return {
        name.removeprefix(FIELD_PREFIX): value.strip()
        for name, value in form.items()
        if name.startswith(FIELD_PREFIX) and value.strip()
    }


def written_choices(pairs: Iterable[str]) -> dict[str, str]:
    """``WRITTEN=CODE`` pairs (the command line's ``--choose``) → choice key → code."""
    chosen: dict[str, str] = {}
    for pair in pairs:
        written, sep, code = pair.rpartition("=")
        if not sep or not written.strip() or not code.strip():
            raise ValueError(pair)
        chosen[choice_key(written)] = code.strip()
    return chosen


@dataclass
class CommuneChoice:
    """A written commune that may be several: its candidates, its rows, the user's answer."""

    key: str
    written: str
    how: CommuneHow
    candidates: tuple[OrgUnit, ...]
    rows: list[int | str] = field(default_factory=list)  # row_label: sheet-named in several
    chosen: OrgUnit | None = None

    @property
    def field(self) -> str:
        return FIELD_PREFIX + self.key

    @property
    def message(self) -> str:
        return CHOOSE_SPLIT if self.how == CommuneHow.SPLIT else CHOOSE_SHARED

    def names(self) -> str:
        return ", ".join(u.name for u in self.candidates)


@dataclass(frozen=True)
class Placed:
    status: Status
    unit: OrgUnit | None = None  # set when placed, by the resolver or by the user's choice
    choice: CommuneChoice | None = None  # set when the written commune may be several


class CommunePlacer:
    """Places written communes among ``units`` (codes also among ``anywhere``)."""

    def __init__(
        self,
        units: Iterable[OrgUnit],
        *,
        anywhere: Iterable[OrgUnit] | None = None,
        chosen: Mapping[str, str] | None = None,
    ) -> None:
        self.units = {u.code: u for u in units}
        self.anywhere = {u.code: u for u in anywhere} if anywhere is not None else self.units
        self.scope = CommuneScope(self.units, self.anywhere)
        self.chosen = dict(chosen or {})
        self._choices: dict[str, CommuneChoice] = {}
        self._found: dict[str, Commune] = {}

    def lookup(self, written: str) -> Commune:
        """What the resolver says of ``written`` within the scope (no choice recorded)."""
        text = " ".join(written.split())
        if text in self.units:
            return Commune(text, (text,), CommuneHow.CODE_2025)
        if text not in self._found:
            self._found[text] = self.scope.resolve(text)
        return self._found[text]

    def place(self, written: str, row: int | str | None = None) -> Placed:
        """Where the row goes; a commune that may be several becomes (or joins) a choice."""
        found = self.lookup(written)
        if found.code is not None:
            return Placed("placed", self.anywhere[found.code])
        if not found.candidates:
            return Placed("outside" if found.how == CommuneHow.OUTSIDE else "unknown")
        key = choice_key(written)
        choice = self._choices.get(key)
        if choice is None:
            candidates = tuple(self.anywhere[c] for c in found.candidates)
            answer = self.anywhere.get(self.chosen.get(key, ""))
            choice = CommuneChoice(key, " ".join(written.split()), found.how, candidates,
                                   chosen=answer if answer in candidates else None)  # fmt: skip
            self._choices[key] = choice
        if row is not None:
            choice.rows.append(row)
        if choice.chosen is not None:
            return Placed("placed", choice.chosen, choice)
        return Placed("choose", None, choice)

    @property
    def choices(self) -> list[CommuneChoice]:
        """Every choice met, answered or not, in the order of the rows."""
        return list(self._choices.values())


@dataclass(frozen=True)
class CommuneShown:
    """A row's commune as a preview shows it: as typed, and the 2025 commune it was matched to."""

    written: str
    matched: str | None
    state: Shown


def commune_shown(written: str, unit: OrgUnit | None, *, choosing: bool = False) -> CommuneShown:
    """``unit``: where the row was placed; ``choosing``: its commune is a choice not answered.

    The typed text counts as the matched name when it is that name or its short form, whatever
    the case or spacing ("xã yên thành", "Yên Thành"); anything else is shown typed → matched.
    """
    text = " ".join(written.split())
    if not text:
        return CommuneShown("", None, "blank")
    if unit is None:
        return CommuneShown(text, None, "choose" if choosing else "unknown")
    same = _plain(text) in {_plain(unit.name), _plain(unit.short_name or "")}
    return CommuneShown(text, unit.name, "matched" if same else "renamed")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()
