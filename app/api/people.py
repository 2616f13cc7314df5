"""Personal-data requests in /api/v1/people (administrators): find, export, correct, erase.

Every call is audited, reads included: these are the only endpoints that hand out a person's
identifiers in clear.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort

from app.api.routes import blp, require_role
from app.audit import record
from app.extensions import db
from app.followup.rights import (
    RightsError,
    correct_person,
    erase_person,
    export_person,
    find_people,
    withdraw_consent,
)
from app.models import Person, Role, utcnow
from app.scoping import get_scoped


def _person(person_id: int) -> Person:
    require_role(Role.ADMIN)
    return get_scoped(Person, person_id, current_user)


@blp.route("/people")
class PeopleLookupByAddress(MethodView):
    def get(self) -> None:
        """Refused: a phone or CCCD in the address would be written to every access log."""
        require_role(Role.ADMIN)
        abort(
            405,
            message="phone, cccd: send them as JSON in a POST to /api/v1/people/lookup; "
            "addresses are written to access logs",
        )


@blp.route("/people/lookup")
class PeopleLookup(MethodView):
    def post(self) -> list[dict[str, Any]]:
        """People holding this phone or CCCD (found by blind index; nothing is decrypted).

        A POST so that the identifier travels in the body, which no access log records.
        """
        require_role(Role.ADMIN)
        body = request.get_json(silent=True) or {}
        phone, cccd = str(body.get("phone") or ""), str(body.get("cccd") or "")
        try:
            people = find_people(current_user, phone=phone, cccd=cccd)
        except RightsError as exc:
            abort(422, message=str(exc))
        record("people.lookup", current_user, "person", "", found=len(people))
        db.session.commit()
        return [{"id": p.id, "full_name": p.full_name, "birth_year": p.birth_year} for p in people]


@blp.route("/people/<int:person_id>")
class PersonItem(MethodView):
    def get(self, person_id: int) -> dict[str, Any]:
        """Everything held about the person (a subject-access request)."""
        person = _person(person_id)
        record("people.export", current_user, "person", person.id)
        db.session.commit()
        return export_person(person)

    def patch(self, person_id: int) -> dict[str, Any]:
        """Correct the person's name, phone, CCCD, hamlet, birth (year or date) or birth year."""
        person = _person(person_id)
        try:
            changed = correct_person(person, request.get_json(silent=True) or {})
        except RightsError as exc:
            abort(422, message=str(exc))
        record("people.correct", current_user, "person", person.id, fields=changed)
        db.session.commit()
        return export_person(person)

    def delete(self, person_id: int) -> tuple[str, int]:
        """Erase the person's identifiers; counts they are part of stay."""
        person = _person(person_id)
        erase_person(person, utcnow())
        record("people.erase", current_user, "person", person.id)
        db.session.commit()
        return "", 204


@blp.route("/people/<int:person_id>/withdraw-consent")
class PersonConsent(MethodView):
    def post(self, person_id: int) -> dict[str, Any]:
        """Stop future linkage and calls for this person."""
        person = _person(person_id)
        withdraw_consent(person, utcnow())
        record("people.withdraw_consent", current_user, "person", person.id)
        db.session.commit()
        return {"id": person.id, "consent_withdrawn_at": person.consent_withdrawn_at.isoformat()}
