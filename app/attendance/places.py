"""Where each row of an attendee sheet goes: one of the event's communes, and its hall.

The Xã/Phường column may hold a 2025 or a pre-2025 commune, by code or by name, with or without
its district and province: the one resolver of every import (app.sheets.communes) places it, and
an old commune split between several of the event's communes waits for the user's choice. A name
the resolver does not know is read as hall names are ("UBND xã …", a typo), never guessed.
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
NOT_A_HALL = _l("This commune is not a hall of this event.")
OTHER_HALL = _l("This sheet is for the hall of %(hall)s, not this commune.")
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

    def place(
        self,
        fixed: OrgUnit | None,
        point: BridgePoint | None,
        written: Any,
        number: int,
        issues: list[ImportIssue],
        sheet: str | None = None,
    ) -> tuple[OrgUnit | None, int | None]:
        commune = fixed
        written_text = cells.text(written)
        if written_text and fixed is not None:  # the column must agree with the sheet's commune
            candidates = self.candidates(written_text)
            if not candidates:
                issues.append(ImportIssue(number, "commune", UNKNOWN_COMMUNE, value=written_text))
                return None, None
            if point is not None and point.org_unit not in candidates:
                hall = point.org_unit.name
                issues.append(
                    ImportIssue(number, "commune", OTHER_HALL, {"hall": hall}, written_text)
                )
                return None, None
        elif written_text:
            placed = self.placer.place(written_text, row_label(sheet, number))
            if placed.status == "unknown":
                commune = self.matched(written_text)
            elif placed.status == "outside":  # an event's commune without a hall, or none
                found = self.everywhere.lookup(written_text)
                if found.candidates:
                    names = ", ".join(self.communes[c].name for c in found.candidates)
                    issues.append(ImportIssue(number, "commune", NOT_A_HALL, value=names))
                    return None, None
            elif placed.status == "choose":
                assert placed.choice is not None
                choice = placed.choice
                issues.append(ImportIssue(number, "commune", choice.message,
                                          {"communes": choice.names()}, written_text))  # fmt: skip
                return None, None
            else:
                commune = placed.unit
            if commune is None:
                issues.append(ImportIssue(number, "commune", UNKNOWN_COMMUNE, value=written_text))
                return None, None
        if commune is None and len(self.communes) == 1:
            commune = next(iter(self.communes.values()))
        if commune is None:
            issues.append(ImportIssue(number, "commune", NO_COMMUNE))
            return None, None
        if not self.points:
            return commune, None
        hall = self.points.get(commune.id)
        if hall is None:
            issues.append(ImportIssue(number, "commune", NOT_A_HALL, value=commune.name))
            return None, None
        return commune, hall.id


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
