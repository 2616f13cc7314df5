"""The "End event" and "Reopen" buttons of the event page and the live page.

An organiser watching the live page when the conference closes ends it there, without the edit
form. Both buttons post the status the edit form would save (``save_event``), so the end is the
same one: checked against the dates, the targets stopped (``end_by_hand``), audited once as
"event.end" (or "event.reopen"), and the open live pages told. The same officers may press them
as may edit the event.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.access import role_required
from app.events import bp
from app.events.services import EVENT_WRITER, FieldError, Saved, save_event
from app.events.status import is_held
from app.extensions import db
from app.models import Event, EventStatus, utcnow
from app.scoping import get_scoped

# Where a button sends the officer back: the page it was pressed on (never a typed address).
BACK = {"live": "live.live_page", "event": "events.event_detail"}


@bp.route("/events/<int:event_id>/end", methods=["POST"])
@role_required(EVENT_WRITER)
def event_end(event_id: int) -> Response:
    """End the event now, as the edit form's "Ended" does."""
    return _set_status(get_scoped(Event, event_id, current_user), EventStatus.ENDED)


@bp.route("/events/<int:event_id>/reopen", methods=["POST"])
@role_required(EVENT_WRITER)
def event_reopen(event_id: int) -> Response:
    """Undo an officer's end: live again if it has begun (as the edit form would set it), else
    scheduled; the targets the end stopped are collected again (``app.events.status.reopen``)."""
    event = get_scoped(Event, event_id, current_user)
    held = is_held(event.start, utcnow())
    return _set_status(event, EventStatus.LIVE if held else EventStatus.SCHEDULED)


def _set_status(event: Event, status: EventStatus) -> Response:
    back = redirect(url_for(BACK.get(request.form.get("back", ""), BACK["event"]),
                            event_id=event.id))  # fmt: skip
    if (event.status == EventStatus.ENDED) == (status == EventStatus.ENDED):
        return back  # pressed twice, or on a page left open: nothing to change
    try:
        saved = save_event(event, {"status": status.value}, current_user)
    except FieldError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return back
    db.session.commit()
    from app.realtime import publish_soon  # app.realtime reads the events' modules

    publish_soon(event.id, "status")  # open live pages follow, as after the edit form
    flash(saved_words(saved, button=True), "success")
    return back


def saved_words(saved: Saved, button: bool = False) -> str:
    """What the save did, in words: an officer's end stops the collection, which says so;
    ``button``: a reopening by its button, which saved nothing else."""
    if saved.ended_by_hand and saved.stopped:
        return ngettext(
            "Event ended. Its %(num)s tracked object ends with it: its final figures are read "
            "once more, then collection stops; the platforms will not set it live again.",
            "Event ended. Its %(num)s tracked objects end with it: their final figures are read "
            "once more, then collection stops; the platforms will not set it live again.",
            saved.stopped,
        )
    if saved.ended_by_hand:
        return _("Event ended.")
    if saved.reopened and button:
        if saved.resumed:
            return ngettext(
                "Event reopened. Its %(num)s tracked object is collected again.",
                "Event reopened. Its %(num)s tracked objects are collected again.",
                saved.resumed,
            )
        return _("Event reopened.")
    if saved.reopened and saved.resumed:
        return ngettext(
            "Event saved. It is no longer ended, and its %(num)s tracked object is collected "
            "again.",
            "Event saved. It is no longer ended, and its %(num)s tracked objects are collected "
            "again.",
            saved.resumed,
        )
    return _("Event saved.")
