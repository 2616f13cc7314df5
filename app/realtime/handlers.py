"""Socket.IO handlers of the ``/live`` namespace: connect, ``join``, ``resync``, ``leave``.

Function handlers with no state of their own (python-socketio shares one handler for every
connection). A socket presents its credentials on connect, the Flask-Login session cookie or
``auth={"token": "<API token>"}``, and keeps them for its life (``viewer``); each ``join`` and
``resync`` checks them and the access, in one query, through ``app.scoping`` as
``GET /api/v1/events/<id>`` does, so a user deactivated, signed out or moved to another province
loses the event on the next request, and credentials nobody holds are refused there (401). A
socket without any is refused on connect. A ``join`` of an officer (who gets the leads' phones in
clear) is written to the audit log, once per join. A unit with a hall at an upper unit's
conference watches it in part (``viewer.Access.in_part``): its sockets join the ``:part`` room,
phone-free and without the other halls' contacts.

The snapshot goes straight to the joining socket, which this process holds (never through the
message queue). When the sequence cannot be read (Redis away), ``join`` and ``resync`` answer at
once with status 503 and a message the page shows while it tries again; they never stay silent.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request, session
from flask_babel import gettext
from flask_login import current_user
from flask_socketio import join_room, leave_room

from app.extensions import socketio
from app.live.snapshot import snapshot_json
from app.realtime import (
    NAMESPACE,
    JsonText,
    audited,
    part_room,
    phones_room,
    room,
    sockets,
    viewer,
)
from app.realtime.sent import sent_summaries
from app.realtime.sequence import Note, SequenceUnavailable, current_seq

log = logging.getLogger(__name__)


def _refused(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth: Any = None) -> None:
    """Accept a socket that presents a browser's session or an API token; refuse any other.
    Whether they name an active user is asked at its join, with its access, in one read."""
    # A browser's session as the app's Flask-Login reads it (its "basic" session protection
    # never refuses one), without loading the user's row; then Flask-Login (a remember cookie).
    claim = viewer.of_session(session.get("_user_id"))
    if claim is None and current_user.is_authenticated:
        claim = viewer.of_user(current_user)
    if claim is None:
        token = auth.get("token") if isinstance(auth, dict) else None
        claim = viewer.of_token(token.strip()) if isinstance(token, str) and token.strip() else None
        if claim is None:
            raise ConnectionRefusedError("Authentication required: log in or send auth.token.")
    # Only this socket's own copy of the session (Flask-SocketIO manages it): no cookie.
    viewer.keep(claim)


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_reason: Any) -> None:
    claim = viewer.kept()
    if claim is not None and claim.user_id is not None:
        sockets.forget(claim.user_id, request.sid)  # type: ignore[attr-defined]


def _visible_event(
    data: Any, audit: bool = False
) -> tuple[int, viewer.Access | None, dict[str, Any] | None]:
    """The event id named by ``data`` and the user's access if they may see it, else the
    refusal to send back. ``audit``: a join, whose audit row the read may write."""
    claim = viewer.kept()
    event_id = data.get("event_id") if isinstance(data, dict) else None
    if claim is None:
        return 0, None, _refused(401, "Authentication required: log in again.")
    if isinstance(event_id, bool) or not isinstance(event_id, int):
        return 0, None, _refused(400, "event_id: send an integer event id.")
    access = viewer.allowed(claim, event_id, audit)
    if access is None:  # credentials nobody holds, or signed out since
        return 0, None, _refused(401, "Authentication required: log in again.")
    # Known under its user from now on: signing the user out closes it (``sockets``).
    sockets.remember(access.user_id, request.sid)  # type: ignore[attr-defined]
    if not access.watches:  # as the API: another unit's event is not confirmed to exist
        return 0, None, _refused(404, f"event_id: no event {event_id}")
    return event_id, access, None


def _send_snapshot(
    event_id: int, phones: bool, note: Note | None = None, part: bool = False
) -> dict[str, Any]:
    # The number is read before the state is built: the state is at least as new as it.
    try:
        stamp = current_seq(event_id, note)
    except SequenceUnavailable as exc:
        log.warning("no snapshot for event %s: %s", event_id, exc)
        return _refused(
            503,
            gettext(
                "Live updates are unavailable: the realtime server cannot be reached. "
                "The figures below may be out of date; this page keeps trying by itself."
            ),
        )
    # Read once and encoded once for all the joiners of that number (tens of kilobytes each).
    text = snapshot_json(
        event_id, phones, stamp.as_dict(), lambda: sent_summaries(event_id, stamp), part
    )
    sid = request.sid  # type: ignore[attr-defined]
    socketio.emit("snapshot", JsonText(text), to=sid, namespace=NAMESPACE, ignore_queue=True)
    return {"ok": True, **stamp.as_dict()}


@socketio.on("join", namespace=NAMESPACE)
def on_join(data: Any = None) -> dict[str, Any]:
    """Join the event's room (the phones room for officers and above on an event of their
    subtree, the part room for a unit watching in part), then get a snapshot."""
    event_id, access, refusal = _visible_event(data, audit=True)
    if access is None:
        return refusal or _refused(404, "no event")
    if access.phones and not access.audited:  # committed before the snapshot, either way
        audited.record_join(access.user_id, event_id)
    if access.phones:
        join_room(phones_room(event_id))
    else:
        join_room(part_room(event_id) if access.in_part else room(event_id))
    sid = request.sid  # type: ignore[attr-defined]
    note = sockets.note(access.user_id, sid)
    return _send_snapshot(event_id, access.phones, note, access.in_part)


@socketio.on("resync", namespace=NAMESPACE)
def on_resync(data: Any = None) -> dict[str, Any]:
    """A client that saw a gap in the sequence asks for the whole state again."""
    event_id, access, refusal = _visible_event(data)
    if access is None:
        return refusal or _refused(404, "no event")
    return _send_snapshot(event_id, access.phones, part=access.in_part)


@socketio.on("leave", namespace=NAMESPACE)
def on_leave(data: Any = None) -> dict[str, Any]:
    event_id = data.get("event_id") if isinstance(data, dict) else None
    if isinstance(event_id, bool) or not isinstance(event_id, int):
        return _refused(400, "event_id: send an integer event id.")
    leave_room(room(event_id))
    leave_room(phones_room(event_id))
    leave_room(part_room(event_id))
    return {"ok": True}
