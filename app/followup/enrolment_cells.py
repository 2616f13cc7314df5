"""The cells of an enrolment export whose reading is work: phone, scheme, kind, gender, commune.

Each is a column parser (app.sheets.headers.Column), so the file's one CellReader reads each
distinct value once and alone keeps the reading, for that file only (app.sheets.cell_reads): a
household's members share a phone, thousands of rows share a few hundred communes and a few
spellings of a scheme. Nothing here remembers a cell (the rule is cell_reads'): the word
tables below are constants, written as ``fold`` leaves text.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import select

from app.attendance.rows import BAD_PHONE
from app.extensions import db
from app.identity.phones import normalize_phone
from app.identity.text import fold
from app.models import OrgKind, OrgUnit, Scheme
from app.scoping import subtree_ids
from app.sheets import cells
from app.sheets.communes import CommunePlacer
from app.sheets.headers import CellError
from app.sheets.issues import _l

BAD_SCHEME = _l("Unknown scheme: write BHXH tự nguyện or BHYT hộ gia đình.")
BAD_KIND = _l("Write Tham gia mới or Gia hạn.")
BAD_GENDER = _l("Write Nam or Nữ.")
FOREIGN_COMMUNE = _l("This commune is not in your unit: import only your unit's enrolments.")

SCHEMES = {
    Scheme.BHXH_TU_NGUYEN: ("bhxh tu nguyen", "bhxh tn", "tu nguyen", "bhxhtn"),
    Scheme.BHYT_HO_GIA_DINH: ("bhyt ho gia dinh", "ho gia dinh", "bhyt hgd", "hgd"),
}
NEW_WORDS = ("tham gia moi", "moi", "tang moi", "dang ky moi", "new")
RENEWAL_WORDS = ("gia han", "tiep tuc", "dong tiep", "tai tuc", "dao han", "renewal")
GENDERS = {"nam": "male", "nu": "female", "male": "male", "female": "female"}
COMMUNE_CHARS = 200


def phone(value: Any) -> str | None:
    """The phone as E.164 ("0912 345 678", 912345678.0 → "+84912345678"); empty: None."""
    text = cells.text(value)
    if not text:
        return None
    if (normalized := normalize_phone(text)) is None:
        raise CellError(BAD_PHONE)
    return normalized


def scheme(value: Any) -> Scheme:
    """The scheme written "BHXH TN", "bhxh tự nguyện", "BHYT HGĐ"…: the column is required."""
    text = cells.text(value)
    found = next((s for s, words in SCHEMES.items() if _choice(text, words)), None)
    if found is None:
        raise CellError(BAD_SCHEME)
    return found


def kind(value: Any) -> bool:
    """Whether the enrolment is new ("Tham gia mới", "Tăng mới") or a renewal ("Gia hạn")."""
    text = cells.text(value)
    if _choice(text, RENEWAL_WORDS):
        return False
    if _choice(text, NEW_WORDS):
        return True
    raise CellError(BAD_KIND)


def gender(value: Any) -> str | None:
    """The gender written "Nam", "Nữ", "NỮ" → "male" / "female"; empty: None."""
    folded = fold(cells.text(value))
    if not folded:
        return None
    if (found := GENDERS.get(folded)) is None:
        raise CellError(BAD_GENDER)
    return found


def _choice(text: str, words: tuple[str, ...]) -> bool:
    folded = " ".join(fold(text).replace("-", " ").split())
    return any(folded == w or folded.startswith(w + " ") or f" {w}" in f" {folded}" for w in words)


class CommuneRead(NamedTuple):
    """A commune cell: as written (a placeholder "-" writes none) and the unit it was placed in."""

    text: str
    unit_id: int | None


NO_COMMUNE = CommuneRead("", None)


class EnrolmentCommunes(CommunePlacer):
    """Communes within the importing unit; a code or name of another unit is named as such.

    Enrolments are linked only to people of the importing unit (app.followup.link_scope), so a
    row of another unit's commune is refused rather than imported where nobody can use it.
    """

    def __init__(self, unit: OrgUnit | None, chosen: dict[str, str] | None = None) -> None:
        units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.COMMUNE)))
        inside = set(db.session.scalars(subtree_ids(unit))) if unit is not None else None
        self.inside = inside
        within = [u for u in units if inside is None or u.id in inside]
        super().__init__(within, anywhere=units, chosen=chosen)

    def read(self, value: Any) -> CommuneRead:
        """The commune column's parser: placed within the unit, refused when another unit's."""
        text = _written(cells.text(value))[:COMMUNE_CHARS]
        if not text:
            return NO_COMMUNE
        placed = self.place(text)
        if placed.unit is not None:
            if self.inside is not None and placed.unit.id not in self.inside:
                raise CellError(FOREIGN_COMMUNE)
            return CommuneRead(text, placed.unit.id)
        if placed.status == "outside":
            raise CellError(FOREIGN_COMMUNE)
        return CommuneRead(text, None)


def _written(text: str) -> str:
    """A placeholder ("-", "—", "…") writes no commune: it is not a misspelt one to look for."""
    return text if any(c.isalnum() for c in text) else ""
