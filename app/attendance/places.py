"""Where each row of an attendee sheet goes: one of the event's communes, and its hall.

The Xã/Phường column may hold a 2025 or a pre-2025 commune, by code or by name, with or without
its district and province: the one resolver of every import (app.sheets.communes) places it, and
an old commune split between several of the event's communes waits for the user's choice. A name
the resolver does not know is read as hall names are ("UBND xã …", a typo), never guessed.

A sheet whose commune is fixed (the hall's, or the one the organiser chose for the whole list)
refuses a row whose column names another commune: today's name or an old one that became part of
another commune (an old commune merged into the fixed one is the fixed one).

A row refused for its commune says what the file wrote (``commune_issue``), and keeps the
commune it was matched to for the preview's own column; a commune of elsewhere and a name no
commune has are told apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.halls.names import Hall, HallMatcher
from app.identity.communes import CommuneHow
from app.models import BridgePoint, Event, OrgKind, OrgUnit
from app.sheets import cells
from app.sheets.communes import CHOOSE_SHARED, CHOOSE_SPLIT, CommunePlacer
from app.sheets.issues import FileRejected, ImportIssue, _l, row_label

NO_COMMUNE = _l("Which commune? Choose the commune of this sheet or add a Xã/Phường column.")
UNKNOWN_COMMUNE = _l("Not a commune of this event.")
NOT_RECOGNISED = _l("Commune not recognised: check the spelling, or write the commune's code.")
NOT_A_HALL = _l("This commune is not a hall of this event.")
NONE_A_HALL = _l("This commune is now part of %(communes)s; none of them is a hall of this event.")
OTHER_HALL = _l("This sheet is for the hall of %(hall)s, not this commune.")
OTHER_COMMUNE = _l("The sheet is for %(chosen)s (chosen for the whole list), but this row is in "
                   "%(commune)s.")  # fmt: skip
OTHER_COMMUNES = _l("The sheet is for %(chosen)s (chosen for the whole list), but this row's "
                    "commune is now part of %(communes)s, not of %(chosen)s.")  # fmt: skip
# A commune of before the 2025 merger is named with the commune it has been part of since: "this
# sheet is for Xã Diễn Châu" alone never says why Xã Diễn Kỷ is not Diễn Châu.
OLD_OTHER_HALL = _l("%(old)s is a commune of before the 2025 merger, now part of %(communes)s: "
                    "this sheet is for the hall of %(hall)s.")  # fmt: skip
OLD_OTHER_COMMUNE = _l("%(old)s is a commune of before the 2025 merger, now part of "
                       "%(communes)s: this sheet is for %(chosen)s (chosen for the whole "
                       "list).")  # fmt: skip
OLD = {CommuneHow.LEGACY_NAME, CommuneHow.LEGACY_CODE, CommuneHow.SPLIT}
CHOOSE = {CHOOSE_SPLIT, CHOOSE_SHARED}


class Places:
    """The event's communes and halls, to put each row in one."""

    def __init__(self, event: Event, choices: Mapping[str, str] | None = None) -> None:
        from app.halls.services import communes_of, points_of

        self.communes = {u.code: u for u in communes_of(event)}
        points = points_of(event)
        self.points = {p.org_unit_id: p for p in points}
        # Every row of an event with halls goes to a hall: a divided commune is a choice only
        # between the halls it may be (the other candidates could only be refused).
        self.everywhere = CommunePlacer(self.communes.values(), chosen=choices)
        halls = [p.org_unit for p in points]
        self.placer = CommunePlacer(halls, chosen=choices) if halls else self.everywhere
        self._matcher: HallMatcher | None = None

    def matched(self, text: str) -> OrgUnit | None:
        """A name the resolver does not know, read as hall names are ("UBND xã …", typos)."""
        if self._matcher is None:
            self._matcher = HallMatcher([Hall(u.code, u.name) for u in self.communes.values()])
        match = self._matcher.match(text)
        return self.communes.get(match.hall_code) if match.hall_code else None

    def candidates(self, text: str) -> tuple[OrgUnit, ...]:
        """The event's communes ``text`` may be (none: not a commune of this event)."""
        found = self.everywhere.lookup(text)
        if found.candidates:
            return tuple(self.communes[c] for c in found.candidates)
        if found.how == CommuneHow.OUTSIDE:
            return ()
        matched = self.matched(text)
        return () if matched is None else (matched,)

    def unplaced(self, text: str) -> str:
        """Why ``text`` is none of the event's communes: a commune elsewhere, or no commune the
        resolver knows (a typo, a made-up name) — the user looks for different mistakes."""
        if self.everywhere.lookup(text).how == CommuneHow.OUTSIDE:
            return UNKNOWN_COMMUNE
        return NOT_RECOGNISED

    def place(
        self,
        fixed: OrgUnit | None,
        point: BridgePoint | None,
        written: Any,
        number: int,
        issues: list[ImportIssue],
        sheet: str | None = None,
    ) -> tuple[OrgUnit | None, int | None]:
        """The row's commune and hall. A row refused for its commune still gets the commune it
        was matched to, when there is one, for the preview's "matched" column."""
        commune = fixed
        written_text = cells.text(written)

        def refuse(message: str, unit: OrgUnit | None = None, **params: Any) -> tuple[Any, None]:
            issues.append(commune_issue(number, message, written_text, **params))
            return unit, None

        if written_text and fixed is not None:  # the column must agree with the sheet's commune
            candidates = self.candidates(written_text)
            if not candidates:
                return refuse(self.unplaced(written_text))
            if fixed not in candidates:  # another commune, today's or merged into another
                matched = candidates[0] if len(candidates) == 1 else None
                if self.everywhere.lookup(written_text).how in OLD:
                    names = ", ".join(u.name for u in candidates)
                    if point is not None:
                        return refuse(OLD_OTHER_HALL, matched, old=written_text, communes=names,
                                      hall=point.org_unit.name)  # fmt: skip
                    return refuse(OLD_OTHER_COMMUNE, matched, old=written_text, communes=names,
                                  chosen=fixed.name)  # fmt: skip
                if point is not None:
                    return refuse(OTHER_HALL, matched, hall=point.org_unit.name)
                if matched is not None:
                    return refuse(OTHER_COMMUNE, matched, chosen=fixed.name, commune=matched.name)
                names = ", ".join(u.name for u in candidates)
                return refuse(OTHER_COMMUNES, chosen=fixed.name, communes=names)
        elif written_text:
            placed = self.placer.place(written_text, row_label(sheet, number))
            if placed.status == "unknown":
                commune = self.matched(written_text)
            elif placed.status == "outside":  # an event's commune without a hall, or none
                found = self.everywhere.lookup(written_text)
                if len(found.candidates) > 1:
                    names = ", ".join(self.communes[c].name for c in found.candidates)
                    return refuse(NONE_A_HALL, communes=names)
                if found.candidates:
                    return refuse(NOT_A_HALL, self.communes[found.candidates[0]])
                return refuse(UNKNOWN_COMMUNE)
            elif placed.status == "choose":
                assert placed.choice is not None
                choice = placed.choice
                return refuse(choice.message, communes=choice.names())
            else:
                commune = placed.unit
            if commune is None:
                return refuse(NOT_RECOGNISED)
        if commune is None and len(self.communes) == 1:
            commune = next(iter(self.communes.values()))
        if commune is None:
            return refuse(NO_COMMUNE)
        if not self.points:
            return commune, None
        hall = self.points.get(commune.id)
        if hall is None:
            return refuse(NOT_A_HALL, commune)
        return commune, hall.id


def commune_issue(number: int, message: str, written: str, **params: Any) -> ImportIssue:
    """An issue of a row's Xã/Phường cell, whichever page shows it: the value beside the message
    is the cell as the file has it, so the user can find it there (the commune it was matched
    to, if any, has a column of its own)."""
    return ImportIssue(number, "commune", message, params, written)


def fixed_commune(places: Places, code: str | None, point: BridgePoint | None) -> OrgUnit | None:
    """The commune of the whole sheet: the hall's, or the one the organiser chose (by its
    code, 2025 or older); FileRejected when it is not one of the event's."""
    if point is not None:
        return point.org_unit
    if not code:
        return None
    found = places.everywhere.lookup(code.strip())  # a 2025 code, or its code before 2025
    unit = places.communes.get(found.code) if found.code else None
    if unit is None or unit.kind != OrgKind.COMMUNE:
        raise FileRejected([ImportIssue(None, "commune", UNKNOWN_COMMUNE, value=code)])
    return unit
