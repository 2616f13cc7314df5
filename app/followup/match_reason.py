"""Why a probabilistic pair was proposed, in words that say only what the two rows share.

The linkage's score weighs name, birth, commune and phone together (``app.linkage.probabilistic``
keeps no per-pair trace of its comparison levels), and one fixed label for every such pair told
an officer "similar name, birth and address" of two people of different communes with different
phones. So the review page reads the two rows it shows and says, field by field, what agrees,
what is only alike, and what differs; a field missing on either side is not spoken of.

Names compare as written (case and spacing aside), then without tone marks, then by how close
the letters are; births at their recorded precision (a day, else the year); communes by the
2025 commune each row was resolved to (a pre-2025 name resolves to the same one), else by their
written names when neither was resolved; phones by their blind index.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from enum import Enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.identity.text import fold
from app.models import Enrolment, Person

NEAR_NAME = 0.85  # letters alike enough, once folded, to call two names similar


class Agree(Enum):
    SAME = "same"
    NEAR = "near"
    DIFFERENT = "different"


FIELDS = {
    "name": _l("full name"),
    "birth_date": _l("date of birth"),
    "birth_year": _l("birth year"),
    "commune": _l("commune/ward"),
    "phone": _l("phone number"),
}


def _name(a: str, b: str) -> Agree | None:
    left, right = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    if not left or not right:
        return None
    if left == right:
        return Agree.SAME
    if SequenceMatcher(None, fold(left), fold(right)).ratio() >= NEAR_NAME:
        return Agree.NEAR
    return Agree.DIFFERENT


def _day(row: Person | Enrolment) -> str | None:
    """The full date of birth when it is recorded to the day."""
    iso = row.birth_date or ""
    return iso if len(iso) == 10 else None


def _births(person: Person, enrolment: Enrolment) -> list[tuple[str, Agree]]:
    if person.birth_year is None or enrolment.birth_year is None:
        return []
    if person.birth_year != enrolment.birth_year:
        return [("birth_year", Agree.DIFFERENT)]
    days = _day(person), _day(enrolment)
    if None in days:
        return [("birth_year", Agree.SAME)]
    if days[0] == days[1]:
        return [("birth_date", Agree.SAME)]
    return [("birth_year", Agree.SAME), ("birth_date", Agree.DIFFERENT)]


def _commune(person: Person, enrolment: Enrolment) -> Agree | None:
    if person.commune_id is not None and enrolment.commune_id is not None:
        return Agree.SAME if person.commune_id == enrolment.commune_id else Agree.DIFFERENT
    if person.commune_id is None and enrolment.commune_id is None:
        left, right = fold(person.commune_text or ""), fold(enrolment.commune_text or "")
        if left and right:
            return Agree.SAME if left == right else Agree.DIFFERENT
    return None  # one resolved, the other not: a written name may be its former one


def _phone(person: Person, enrolment: Enrolment) -> Agree | None:
    if person.phone_bidx is None or enrolment.phone_bidx is None:
        return None
    return Agree.SAME if person.phone_bidx == enrolment.phone_bidx else Agree.DIFFERENT


def agreements(person: Person, enrolment: Enrolment) -> list[tuple[str, Agree]]:
    """Each field both rows hold (``FIELDS``' keys), and how the two agree on it, in order."""
    found: list[tuple[str, Agree | None]] = [
        ("name", _name(person.full_name, enrolment.full_name)),
        *_births(person, enrolment),
        ("commune", _commune(person, enrolment)),
        ("phone", _phone(person, enrolment)),
    ]
    return [(field, agree) for field, agree in found if agree is not None]


def _listed(fields: list[str]) -> str:
    words = [str(FIELDS[f]) for f in fields]
    if len(words) == 1:
        return words[0]
    return _("%(first)s and %(last)s", first=", ".join(words[:-1]), last=words[-1])


def reason_words(person: Person, enrolment: Enrolment) -> str:
    """ "Same full name and birth year; different commune/ward, different phone number", in the
    page's language: what agrees, what is only alike, what differs."""
    found = agreements(person, enrolment)
    same = [f for f, a in found if a is Agree.SAME]
    near = [f for f, a in found if a is Agree.NEAR]
    different = [f for f, a in found if a is Agree.DIFFERENT]
    clauses = []
    if same:
        clauses.append(_("Same %(fields)s", fields=_listed(same)))
    if near:
        clauses.append(_("similar %(fields)s", fields=_listed(near)))
    if different:
        clauses.append(", ".join(_("different %(field)s", field=str(FIELDS[f])) for f in different))
    if not clauses:
        return _("No name, birth, commune or phone is recorded on both rows")
    text = "; ".join(clauses)
    return text[0].upper() + text[1:]
