"""`/people`: administrators serve a person's request about their data (Law 91/2025/QH15).

Find the person by phone or CCCD (sent by POST, so the identifier never sits in an address that
access logs keep), see everything held about them, download it for them, correct it, withdraw
their consent, or erase them. Administrators only, within their unit (``app.scoping``: people
without a commune are found through the events they were seen at); every step is audited, the
reads included, with the same functions as ``/api/v1/people`` (app.followup.rights).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import labels
from app.audit import record
from app.auth.access import role_required
from app.consent import person_may_be_processed, public_comment_basis, purpose
from app.extensions import db
from app.followup import bp
from app.followup.review import birth_label
from app.followup.rights import (
    RightsError,
    correct_person,
    erase_person,
    export_person,
    find_people,
    withdraw_consent,
)
from app.followup.workbook import person_workbook
from app.identity.phones import national
from app.models import Person, Role, utcnow
from app.scoping import get_scoped

Page = Response | str | tuple[str, int]
FIELD_LABELS = {
    "full_name": _l("Full name"),
    "phone": _l("Phone"),
    "cccd": _l("CCCD"),
    "hamlet": _l("Hamlet"),
    "birth": _l("Year or date of birth"),
    "birth_year": _l("Birth year"),
    "person": _l("Person"),
}


def _reason(exc: RightsError) -> str:
    label = FIELD_LABELS.get(exc.field)
    return f"{label or exc.field}: {_(exc.msgid, **exc.params)}"


@bp.route("/people", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def person_requests() -> Page:
    """Find the person the request is about; the results answer the POST itself."""
    if request.method == "GET":
        return render_template("followup/people.html", people=None, error=None)
    phone = request.form.get("phone", "")
    cccd = request.form.get("cccd", "")
    try:
        people = find_people(current_user, phone=phone, cccd=cccd)
    except RightsError as exc:
        html = render_template("followup/people.html", people=None, error=_reason(exc))
        return html, 422
    record("people.lookup", current_user, "person", "", found=len(people), via="page",
           by="phone" if phone.strip() else "cccd")  # fmt: skip
    db.session.commit()
    return render_template("followup/people.html", people=people, error=None)


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def person_request(person_id: int) -> Page:
    """Everything held about the person, and the forms serving their request."""
    person = get_scoped(Person, person_id, current_user)
    if request.method == "GET":
        record("people.export", current_user, "person", person.id, via="page")
        db.session.commit()
        return _person_page(person)
    action = ACTIONS.get(request.form.get("action", ""))
    if action is None:
        return _person_page(person, error=_("Choose what to do for this person.")), 422
    if person.erased_at is not None:
        error = _("This person was erased; nothing is left to change.")
        return _person_page(person, error=error), 422
    return action(person)


@bp.route("/people/<int:person_id>/export.xlsx")
@role_required(Role.ADMIN)
def person_export(person_id: int) -> Response:
    """The person's data as a workbook to hand over (a subject-access request)."""
    person = get_scoped(Person, person_id, current_user)
    body = person_workbook(export_person(person))
    record("people.download", current_user, "person", person.id)
    db.session.commit()
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="du-lieu-ca-nhan-{person.id}.xlsx"'},
    )


def _form_values(person: Person) -> dict[str, str]:
    """What the correction form shows; a field sent back unchanged is not a correction."""
    return {
        "full_name": person.full_name,
        "birth": birth_label(person.birth_date, person.birth_year),
        "phone": national(person.phone) if person.phone else "",
        "cccd": person.cccd or "",
        "hamlet": person.hamlet,
    }


def _correct(person: Person) -> Page:
    shown = _form_values(person)
    changes = {
        name: request.form.get(name, "").strip()
        for name in shown
        if " ".join(request.form.get(name, "").split()) != " ".join(shown[name].split())
    }
    if not changes:
        return _person_page(person, error=_("Nothing was changed in the form.")), 422
    try:
        changed = correct_person(person, changes)
    except RightsError as exc:
        db.session.rollback()
        return _person_page(person, error=_reason(exc), typed=request.form), 422
    record("people.correct", current_user, "person", person.id, fields=changed, via="page")
    db.session.commit()
    flash(_("Corrected: %(fields)s.", fields=", ".join(str(FIELD_LABELS[f]) for f in changed)),
          "success")  # fmt: skip
    return redirect(url_for("followup.person_request", person_id=person.id), code=303)


def _withdraw(person: Person) -> Page:
    withdraw_consent(person, utcnow())
    record("people.withdraw_consent", current_user, "person", person.id, via="page")
    db.session.commit()
    flash(_("Consent withdrawn: this person is no longer called or matched."), "success")
    return redirect(url_for("followup.person_request", person_id=person.id), code=303)


def _erase(person: Person) -> Page:
    if request.form.get("confirm") != "yes":
        error = _("Tick the box to confirm the erasure: it cannot be undone.")
        return _person_page(person, error=error), 422
    erase_person(person, utcnow())
    record("people.erase", current_user, "person", person.id, via="page")
    db.session.commit()
    flash(_("Erased: nothing identifies this person any more; the counts they were part of "
            "stay."), "success")  # fmt: skip
    return redirect(url_for("followup.person_request", person_id=person.id), code=303)


ACTIONS = {"correct": _correct, "withdraw": _withdraw, "erase": _erase}


def _person_page(person: Person, **extra: Any) -> str:
    data = export_person(person)
    agreed_to = purpose(person.consent_version)
    typed = extra.pop("typed", {})
    data["touches"] = [{**t, "at": datetime.fromisoformat(t["at"])} for t in data["touches"]]
    data["enrolments"] = [
        {**e, "paid_on": date.fromisoformat(e["paid_on"]) if e["paid_on"] else None}
        for e in data["enrolments"]
    ]
    until = data["legal_basis"]["kept_until"]
    return render_template(
        "followup/person.html",
        person=person,
        data=data,
        kept_until=datetime.fromisoformat(until) if until else None,
        sources=labels.TOUCH_SOURCE,
        genders=labels.GENDER,
        schemes=labels.SCHEME,
        statuses=labels.LINK_STATUS,
        birth=birth_label(person.birth_date, person.birth_year),
        phone=person.phone or "",  # the template's |phone groups it
        purpose=agreed_to,
        processed=person_may_be_processed(person),
        lead_basis=public_comment_basis(),
        values={**_form_values(person), **typed},
        **extra,
    )
