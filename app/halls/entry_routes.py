"""`/events/<id>/bridge-points/entries?hall=<hall>`: the organiser's list of one hall's check-in
entries, a page at a time, with "Sửa" and "Xóa" on each (``organiser_entries``); without a hall,
the event's first, and a picker of the others.

As the other organiser pages: officers and above, the event in their scope (``get_scoped``),
plain HTML forms with CSRF tokens and no script needed: "Sửa" and "Xóa" are links that open the
row's form or its confirmation (``?edit=`` / ``?withdraw=``); a refused form is shown again with
the reason, naming the box, and nothing written; an accepted one redirects to the same page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record
from app.auth.access import role_required
from app.extensions import db
from app.halls import organiser_entries, queries
from app.halls.checkin_form import ATTENDEE_LABELS
from app.halls.entries import EntryRefused
from app.halls.routes import ORGANISER, Page, bp
from app.halls.services import HallError
from app.models import BridgePoint, Event, utcnow
from app.realtime import publish_soon
from app.realtime.viewer import PHONE_ROLE
from app.scoping import get_scoped


@bp.route("/events/<int:event_id>/bridge-points/entries", methods=["GET", "POST"])
@role_required(ORGANISER)
def hall_entries(event_id: int) -> Page:
    event = get_scoped(Event, event_id, current_user)
    points = queries.points(event)
    chosen = request.values.get("hall")
    point = queries.point_of(event, chosen) if chosen else (points[0] if points else None)
    if request.method == "GET" and (point is not None or not chosen):
        return _entries_page(event, points, point)
    if point is None:  # a hall of another event, or made up
        abort(404)
    ref = request.form.get("ref", "")
    action = request.form.get("action", "")
    try:
        name = organiser_entries.change(point, action, ref, request.form.to_dict(), current_user,
                                        utcnow())  # fmt: skip
    except HallError as exc:
        db.session.rollback()
        status = exc.status if isinstance(exc, EntryRefused) else 422
        editing = ref if action == "edit" and status == 422 else None  # the form, as typed
        bad = {problem.field.removeprefix("attendee.") for problem in exc.all}
        return _entries_page(event, points, point, _named(exc), status, editing, bad)
    event_id, hall_id = event.id, point.id  # read before the commit expires them
    db.session.commit()
    publish_soon(event_id, "checkin", hall_id)  # the hall's figures and the live board follow
    if action == "edit":
        flash(_("The entry of %(name)s is corrected.", name=name), "success")
    else:
        flash(_("The entry of %(name)s is removed.", name=name), "success")
    page = request.form.get("page", type=int) or 1
    return redirect(url_for("halls.hall_entries", event_id=event_id, hall=hall_id, page=page))


def _named(exc: HallError) -> list[str]:
    """Each problem as the page says it: the box's name, then the reason."""
    said = []
    for problem in exc.all:
        box = ATTENDEE_LABELS.get(problem.field.removeprefix("attendee."))
        said.append(f"{_(box)}: {problem.localized()}" if box else problem.localized())
    return said


def _entries_page(
    event: Event,
    points: list[BridgePoint],
    point: BridgePoint | None,
    errors: list[str] | None = None,
    status: int = 200,
    editing: str | None = None,
    bad: set[str] | None = None,
) -> Page:
    page = request.values.get("page", type=int) or 1
    phones = current_user.has_role(PHONE_ROLE)  # as the follow-up and call lists
    listed = None if point is None else organiser_entries.entry_page(point, page, phones=phones)
    if phones and listed is not None and listed.rows:  # phones read in clear: who, once a view
        record("bridge_point.entries_view", current_user, "bridge_point", point.id,
               rows=len(listed.rows))  # fmt: skip
        db.session.commit()
    html = render_template(
        "halls/entries.html",
        event=event,
        points=points,
        point=point,
        listed=listed,
        errors=errors or [],
        editing=editing or request.args.get("edit"),
        typed=request.form if editing else {},  # a refused edit shows what was typed
        withdrawing=request.args.get("withdraw"),
        bad=bad or set(),  # the boxes at fault, marked
    )
    return (html, status) if errors else html
