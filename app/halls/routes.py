"""Organiser pages: the halls of a conference, their links and QR codes, unmatched participants.

Plain HTML forms with CSRF tokens, so everything works without JavaScript. Each page has one URL
that answers GET (the page) and POST (its forms, told apart by ``action``); a refused form is
shown again with status 422 and nothing written, an accepted one redirects (post/redirect/get).
Organisers (officer and above) only: the pages show the secret check-in links. The halls page
and the printed cards show the contacts' phone numbers: each view is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app import audit, labels
from app.auth.access import role_required
from app.extensions import db
from app.formatting import fmt_datetime, fmt_number
from app.halls import joining, queries, services, share, window
from app.halls.board import hall_board
from app.halls.checkin_form import read_count
from app.halls.commune_search import search_view
from app.halls.forms import HallRow, read_halls_form, rows_from_points
from app.halls.links import (
    BornExpired,
    checkin_url,
    event_over,
    expires_at,
    has_link,
    link_expires_at,
    link_state,
    renew_link,
    revoke,
)
from app.halls.meeting import tracks_meeting
from app.halls.qr import qr_svg
from app.halls.removal import HallHolds, halls_holding, remove_hall
from app.halls.roster import assign, mark_not_a_hall
from app.halls.state import hall_states
from app.models import BridgePoint, Event, Participant, Role, utcnow
from app.public_urls import local_setting, local_warning, public_base_url
from app.realtime import publish_soon
from app.scoping import get_scoped

bp = Blueprint("halls", __name__)
ORGANISER = Role.OFFICER
Page = Response | str | tuple[str, int]


@bp.app_context_processor
def _board() -> dict[str, Any]:
    return {
        "hall_board": hall_board,
        "hall_status": labels.HALL_STATUS,
        "hall_status_of": lambda event: labels.hall_status_words(tracks_meeting(event)),
        "meeting_of": tracks_meeting,
        "links_open": links_open,
        "local_links": lambda: (local_warning(), local_setting()),  # halls/_local_only.html
    }


def links_open(event: Event) -> str | None:
    """When the event's check-in links start taking reports (``window``); None: no start."""
    opens = window.opens_at(event)
    return window.message(window.LINKS_OPEN, opens) if opens is not None else None


# --------------------------------------------------------------------------------------------
# Bridge points
# --------------------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/bridge-points", methods=["GET", "POST"])
@role_required(ORGANISER)
def bridge_points(event_id: int) -> Page:
    event = get_scoped(Event, event_id, current_user)
    if request.method == "GET" and request.args.get("format") == "txt":  # every link, to send
        return share.text_file(event, queries.points(event), utcnow())
    if request.method == "GET":
        return _points_page(event)
    handler = ACTIONS.get(request.form.get("action", ""))
    if not event.channel.has_halls:
        return _points_page(event, errors=[_("Only conferences and small groups have halls.")])
    if handler is None:
        return _points_page(event, errors=[_("Unknown action.")])
    return handler(event)


def _points_page(
    event: Event, rows: dict[str, HallRow] | None = None, errors: list[str] | None = None
) -> Page:
    communes = services.communes_of(event) if event.channel.has_halls else []
    points = queries.points(event)
    now = utcnow()
    states = {s.id: s for s in hall_states(event.id, now)} if points else {}
    # The page shows the contacts' phones: who read them is logged, once per page view.
    audit.record("bridge_points.view", current_user, "event", event.id, halls=len(points))
    db.session.commit()
    rows = rows or rows_from_points(communes, points)
    html = render_template(
        "halls/bridge_points.html",
        event=event,
        communes=communes,
        rows=rows,
        search=search_view(communes, rows, request.values.get("q", "")),  # GET ?q= or the form's
        points=points,
        states=states,
        links={p.id: checkin_url(p) for p in points if has_link(p)},
        expires={p.id: expires_at(p) for p in points if has_link(p)},
        keys={p.id: uuid.uuid4().hex for p in points},
        errors=errors or [],
        now=now,
        event_over=event_over(event, now),
        public_base=public_base_url(),
        held=halls_holding([p.id for p in points]),  # "Remove hall" would be refused: not offered
        confirm_revoke=request.args.get("revoke", type=int),  # the hall whose revoke is asked
        confirm_remove=request.args.get("remove", type=int),  # the hall whose removal is asked
        confirm_renew=request.args.get("renew", type=int),  # the hall whose new link is asked
        share=share.view(event, points, now),  # the message to the communes' Zalo group
    )
    return (html, 422) if errors else html


def _save_halls(event: Event) -> Page:
    communes = services.communes_of(event)
    existing = {p.org_unit.code: p for p in queries.points(event)}
    data = read_halls_form(request.form, communes, set(existing))
    if data.errors:
        return _points_page(event, rows=data.rows, errors=data.errors)
    try:
        points = services.set_bridge_points(event, data.wanted, data.expected)
    except services.HallError as exc:
        db.session.rollback()
        return _points_page(event, rows=data.rows, errors=[exc.localized()])
    changed = []
    for point in points:
        name, phone = data.contacts.get(point.org_unit.code, (point.contact_name, None))
        if (point.contact_name, point.contact_phone) != (name, phone):
            point.contact_name, point.contact_phone = name, phone
            changed.append(point.org_unit.code)
    added = sorted(set(data.wanted) - set(existing))
    unlinked = [p.org_unit.name for p in points if p.org_unit.code in added and not has_link(p)]
    # Codes only: the contacts' phones are personal data and stay out of the log.
    audit.record("bridge_points.save", current_user, "event", event.id, added=added,
                 contacts_changed=changed, expected=data.expected,
                 without_link=len(unlinked))  # fmt: skip
    db.session.commit()
    flash(saved_words(len(added), len(points)), "success")
    if unlinked:
        flash(no_link_added(event, unlinked), "warning")
    return redirect(url_for("halls.bridge_points", event_id=event.id))


def _find_communes(event: Event) -> Page:
    """The search button without JavaScript: the form again as typed, the query's rows shown."""
    existing = {p.org_unit.code for p in queries.points(event)}
    data = read_halls_form(request.form, services.communes_of(event), existing)
    return _points_page(event, rows=data.rows)


def saved_words(added: int, total: int) -> str:
    """What saving the halls form did, said as it happened: how many halls are new, then how
    many the event has ("saved 4 (3 added)" read as four new ones)."""
    if added:
        return ngettext(
            "%(num)s new hall added; the event now has %(n)s halls.",
            "%(num)s new halls added; the event now has %(n)s halls.",
            added,
            n=total,
        )
    return ngettext("Changes saved; the event has %(n)s hall.",
                    "Changes saved; the event has %(n)s halls.", total, n=total)  # fmt: skip


def no_link_added(event: Event, names: list[str]) -> str:
    """Why halls just added have no check-in link, and what to do if that is wrong."""
    return _(
        "%(halls)s added without a check-in link: the event is over (its links worked until "
        "%(t)s), so a link would already be expired. You can still record their head counts and "
        "assign participants to them. If the event's dates are wrong, change them first, then "
        "give each of these halls a link.",
        halls=", ".join(names),
        t=fmt_datetime(link_expires_at(event)),
    )


def _hall_or_404(event: Event) -> BridgePoint:
    point = queries.point_of(event, request.form.get("point"))
    if point is None:
        abort(404)
    return point


def _revoke(event: Event) -> Response:
    point = _hall_or_404(event)
    revoke(point, utcnow())
    audit.record("bridge_point.revoke", current_user, "bridge_point", point.id)
    db.session.commit()
    flash(_("The link of %(hall)s no longer works.", hall=point.org_unit.name), "success")
    return redirect(url_for("halls.bridge_points", event_id=event.id))


def _renew(event: Event) -> Response:
    point = _hall_or_404(event)
    first = not has_link(point)  # a hall added once the event was over, its dates since changed
    try:
        renew_link(point)
    except BornExpired as exc:
        return _points_page(event, errors=[exc.localized()])
    audit.record("bridge_point.renew", current_user, "bridge_point", point.id)
    db.session.commit()
    if first:
        flash(_("%(hall)s has a check-in link now.", hall=point.org_unit.name), "success")
    else:
        flash(_("%(hall)s has a new link; the old one no longer works.",
                hall=point.org_unit.name), "success")  # fmt: skip
    return redirect(url_for("halls.bridge_points", event_id=event.id))


def _remove(event: Event) -> Page:
    """A hall added by mistake: gone with its link while it holds nothing (``removal``)."""
    try:
        done = remove_hall(_hall_or_404(event), current_user)
    except HallHolds as exc:
        db.session.rollback()
        return _points_page(event, errors=[exc.localized()])
    db.session.commit()
    publish_soon(event.id, "halls")  # live boards drop the hall
    flash(done, "success")
    return redirect(url_for("halls.bridge_points", event_id=event.id))


def _head_count(event: Event) -> Page:
    """A head count typed by the organiser (in-person events, or a hall that phoned it in).

    The form carries its own idempotency key, so pressing the button twice counts once.
    """
    point = _hall_or_404(event)
    # Refused as the officer's form refuses it: the box's name (its label here), then the reason.
    box = _("Head count of %(hall)s", hall=point.org_unit.name)
    key = "organiser-" + request.form.get("idempotency_key", "").strip()
    try:
        count = read_count(request.form.get("head_count", ""))  # "75 người" as on the phone
        receipt, created = services.record_report(
            point, key, count, [], utcnow(), source="organiser"
        )
    except services.HallError as exc:
        db.session.rollback()
        return _points_page(event, errors=[f"{box}: {exc.localized()}"])
    if created:
        audit.record("bridge_point.head_count", current_user, "bridge_point", point.id,
                     head_count=receipt.head_count, report=receipt.report_id)  # fmt: skip
    point_id = point.id  # read before the commit expires the hall
    db.session.commit()
    if created:
        publish_soon(event.id, "checkin", point_id)
    if created:
        flash(_("Head count of %(hall)s recorded: %(n)s.", hall=point.org_unit.name,
                n=fmt_number(receipt.head_count)), "success")  # fmt: skip
    else:
        flash(_("This head count was already recorded; it was not counted twice."), "success")
    return redirect(url_for("halls.bridge_points", event_id=event.id))


ACTIONS: dict[str, Callable[[Event], Page]] = {
    "save": _save_halls,
    "find": _find_communes,
    "revoke": _revoke,
    "renew": _renew,
    "remove": _remove,
    "head_count": _head_count,
}


@bp.route("/events/<int:event_id>/bridge-points/print")
@role_required(ORGANISER)
def print_sheet(event_id: int) -> str:
    """One card per hall to cut out and hand over: commune, QR code, link, contact, expected."""
    event = get_scoped(Event, event_id, current_user)
    points = queries.points(event)
    commune = request.args.get("commune")
    if commune:  # one hall's card, e.g. to send its QR code again
        points = [p for p in points if p.org_unit.code == commune]
    # The sheet carries the contacts' phone numbers: who printed it is logged.
    audit.record("bridge_points.print", current_user, "event", event.id, halls=len(points))
    db.session.commit()
    now = utcnow()
    # A card whose link no longer opens must not reach a hall looking valid.
    state = {p.id: link_state(p, now) for p in points}
    return render_template(
        "halls/print.html",
        event=event,
        points=points,
        links={p.id: checkin_url(p) for p in points if has_link(p)},
        expires={p.id: expires_at(p) for p in points if has_link(p)},
        state=state,
        expired=sum(s == "expired" for s in state.values()),
        revoked=sum(s == "revoked" for s in state.values()),
        event_over=event_over(event, now),
        links_end=link_expires_at(event),
        qr_svg=qr_svg,
        meetings=joining.meetings(event),
    )


# --------------------------------------------------------------------------------------------
# Unmatched participants
# --------------------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/participants/unmatched", methods=["GET", "POST"])
@role_required(ORGANISER)
def unmatched(event_id: int) -> Page:
    event = get_scoped(Event, event_id, current_user)
    if request.method == "GET":
        return _unmatched_page(event)
    # The assign form was the page's only one and sent no action: it stays the default.
    handler = PARTICIPANT_ACTIONS.get(request.form.get("action") or "assign")
    if handler is None:
        return _unmatched_page(event, _("Unknown action."))
    participant = queries.participant_of(event, request.form.get("participant"))
    if participant is None:
        return _unmatched_page(event, _("Pick a participant of this event."))
    return handler(event, participant)


def _assign(event: Event, participant: Participant) -> Page:
    point = queries.point_of(event, request.form.get("bridge_point"))
    if point is None:
        message = _("Pick a hall of this event for %(name)s.", name=participant.display_name)
        return _unmatched_page(event, message, row=participant.id)
    moved = assign(event.id, participant, point, current_user.id)
    audit.record("participant.assign", current_user, "bridge_point", point.id,
                 display_name=participant.display_name, participants=moved)  # fmt: skip
    db.session.commit()
    publish_soon(event.id, "assignment")
    flash(ngettext("“%(name)s” is now %(hall)s (%(n)s session); later conferences will "
                   "recognise this name by themselves.",
                   "“%(name)s” is now %(hall)s (%(n)s sessions); later conferences will "
                   "recognise this name by themselves.",
                   moved, name=participant.display_name, hall=point.org_unit.name, n=moved),
          "success")  # fmt: skip
    return redirect(url_for("halls.unmatched", event_id=event.id))


def _not_a_hall(event: Event, participant: Participant, marked: bool = True) -> Page:
    """The host's room, a staff phone, a presenter: out of the unmatched list, with no hall.

    No figure of a hall changes, so nothing is published to the live page.
    """
    name = participant.display_name
    changed = mark_not_a_hall(event.id, participant, marked)
    action = "participant.not_a_hall" if marked else "participant.not_a_hall_undo"
    audit.record(action, current_user, "event", event.id, display_name=name, participants=changed)
    db.session.commit()
    if marked:
        message = ngettext("“%(name)s” is marked as not a hall (%(n)s session).",
                           "“%(name)s” is marked as not a hall (%(n)s sessions).", changed,
                           name=name, n=changed)  # fmt: skip
    else:
        message = _("“%(name)s” is back among the unmatched participants.", name=name)
    flash(message, "success")
    return redirect(url_for("halls.unmatched", event_id=event.id))


def _undo_not_a_hall(event: Event, participant: Participant) -> Page:
    return _not_a_hall(event, participant, marked=False)


PARTICIPANT_ACTIONS: dict[str, Callable[[Event, Participant], Page]] = {
    "assign": _assign,
    "not_a_hall": _not_a_hall,
    "undo_not_a_hall": _undo_not_a_hall,
}


def _unmatched_page(event: Event, error: str | None = None, row: int | None = None) -> Page:
    """The list again; a refused assignment says so at the top and on its own row."""
    html = render_template(
        "halls/unmatched.html",
        event=event,
        names=queries.unmatched_names(event),
        not_halls=queries.not_hall_names(event),
        points=queries.points(event),
        remembered=queries.remembered_names(event),
        error=error,
        error_row=row,
    )
    return (html, 422) if error else html
