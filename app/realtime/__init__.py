"""The live page's transport: the only place that emits, ``publish(event_id, reason, change)``.

Called after a transaction commits (a collector batch, a hall check-in, a participant
assignment), so a browser never sees a number the database does not hold. Each call reserves
the event's next stamp ``{epoch, seq}`` (``sequence``), has app.live build the delta, turns its
summary into a patch on the one the previous number carried (``sent``), and emits it: phones
masked to ``event:<id>``, phones in clear to ``event:<id>:phones``, and to ``event:<id>:part``
(units that watch an upper unit's conference in part) masked and without the halls' contacts;
one message to several rooms when their variants are the same (no phone or hall in it).
``publish_soon`` gathers a burst of web-request publishes into one. In the web process it emits
through the app's Socket.IO server; in a separate collector process (``flask collect run``) with
``SOCKETIO_MESSAGE_QUEUE`` set, the same call goes through Redis to every web process
(Flask-SocketIO's external process). ``handlers`` answers the sockets: join, resync, leave.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection
from typing import Any

from flask import Flask, current_app
from socketio import packet

from app.collection.changes import Change
from app.extensions import socketio
from app.live.delta import delta_pair
from app.live.shapes import without_contacts
from app.live.snapshot import forget as forget_snapshot
from app.models import utcnow
from app.realtime.sent import patched, record
from app.realtime.sequence import SequenceUnavailable, next_seq

log = logging.getLogger(__name__)
NAMESPACE = "/live"
REASONS = ("collected", "checkin", "status", "assignment", "halls")


def room(event_id: int) -> str:
    """Members may not see phone numbers: comments and leads reach them masked."""
    return f"event:{event_id}"


def phones_room(event_id: int) -> str:
    """Members may see phone numbers (officer and above)."""
    return f"event:{event_id}:phones"


def part_room(event_id: int) -> str:
    """Members watch the event in part (their unit has a hall there): phones masked, and no
    hall's contact (``app.live.shapes.without_contacts``)."""
    return f"event:{event_id}:part"


def publish(
    event_id: int, reason: str, change: Change | None = None, checked_in: Collection[int] = ()
) -> None:
    """Emit a ``delta`` for what ``reason`` changed; never raises.

    ``change`` is the writer's record of a collected batch: app.live builds the delta from it.
    Without one (a check-in, an assignment, a target's new status) the delta carries the summary.
    ``checked_in``: the halls a burst of check-ins reported for, when that is all the delta is
    about: the halls' part of the summary then moves by those halls alone.
    """
    called_at = utcnow()  # right after the caller's commit: the bench measures delays from it
    try:
        # Reserve the number first: a delta built later than another never carries a smaller
        # number, so a client that applies deltas in order never steps back to older totals (a
        # number that arrives out of order, or under another epoch, makes the client resync).
        stamp = next_seq(event_id)
        plain, full = delta_pair(
            event_id, reason, change, server_time=called_at, checked_in=checked_in
        )
        sent_plain, sent_full = patched(event_id, stamp, plain, full)
        number = stamp.as_dict()
        emit_pair(event_id, lean({**sent_plain, **number}), lean({**sent_full, **number}))
        forget_snapshot(event_id)  # this process's joiners read the state of the new number
        record(event_id, stamp, plain["summary"], full["summary"])
    except SequenceUnavailable as exc:  # Redis away: pages resync when it is back
        log.warning("no delta for %s of event %s: %s", reason, event_id, exc)
    except Exception:  # a dropped realtime message must not undo committed work
        log.exception("could not publish %s for event %s", reason, event_id)


def lean(message: dict[str, Any]) -> dict[str, Any]:
    """Without the empty lists (no new comments, no new points): bytes go to every screen."""
    out = {k: v for k, v in message.items() if not (k == "comments" and not v)}
    series = {k: v for k, v in (message.get("series") or {}).items() if v}
    out.pop("series", None)
    if series:
        out["series"] = series
    return out


def emit_pair(event_id: int, plain: dict[str, Any], full: dict[str, Any]) -> None:
    """One emit per distinct variant, each serialised once for all its sockets (Socket.IO's
    broadcast): the part room's is ``plain`` without the halls' contacts; rooms whose variants
    are the same share one emit (no phone number, no hall: most deltas)."""
    variants = ((plain, room(event_id)), (full, phones_room(event_id)),
                (without_contacts(plain), part_room(event_id)))  # fmt: skip
    emits: list[tuple[dict[str, Any], list[str]]] = []
    for message, name in variants:
        same = next((rooms for sent, rooms in emits if sent is message or sent == message), None)
        if same is None:
            emits.append((message, [name]))
        else:
            same.append(name)
    for message, rooms in emits:
        socketio.emit("delta", message, to=rooms if len(rooms) > 1 else rooms[0],
                      namespace=NAMESPACE)  # fmt: skip


Pending = tuple[str, int | None]  # a publish's reason, and the hall a check-in reported for
_pending: dict[int, list[Pending]] = {}
_pending_lock = threading.Lock()


def publish_soon(event_id: int, name: str, hall: int | None = None) -> None:
    """``publish`` from a web request, gathered per event for REALTIME_COALESCE_SECONDS.

    A check-in answers the hall at once; the delta follows within the window, one for every
    burst (each delta carries the totals as they stand then, so nothing is lost by sending fewer).
    ``hall``: the hall a check-in reported for; a burst of check-ins that all name theirs moves
    only those halls on the board (``checked_in``), any other publish reads the board whole.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    delay = float(app.config.get("REALTIME_COALESCE_SECONDS", 0))
    if delay <= 0:
        publish(event_id, name, checked_in=checked_in([(name, hall)]))
        return
    with _pending_lock:
        waiting = event_id in _pending
        _pending.setdefault(event_id, []).append((name, hall))
    if waiting:
        return
    # Socket.IO's own task and sleep follow the server's async mode: a thread under threading,
    # a greenlet that yields to the hub under gevent.
    socketio.start_background_task(_flush_after, app, event_id, delay)


def _flush_after(app: Flask, event_id: int, delay: float) -> None:
    socketio.sleep(delay)
    _flush(app, event_id)


def _flush(app: Flask, event_id: int) -> None:
    from app.extensions import db

    with _pending_lock:
        reasons = _pending.pop(event_id, [])
    if not reasons:
        return
    with app.app_context():
        try:
            publish(event_id, reasons[-1][0], checked_in=checked_in(reasons))
        finally:
            db.session.remove()


def checked_in(reasons: list[Pending]) -> set[int]:
    """The halls of a burst made of check-ins that each named their hall; empty otherwise (the
    delta then reads the board whole)."""
    if all(name == "checkin" and hall is not None for name, hall in reasons):
        return {hall for _name, hall in reasons if hall is not None}
    return set()


class JsonText(str):
    """A message already encoded as JSON (a snapshot shared by many joiners): emitted as is."""


class TextPacket(packet.Packet):
    """Live messages are JSON only. python-socketio otherwise walks every value of each packet
    it builds looking for bytes: for a snapshot (tens of kilobytes, once per joiner) that walk
    cost more than the rest of the join. An event whose one argument is ``JsonText`` is written
    around that text instead of encoding it again."""

    uses_binary_events = False

    def encode(self) -> Any:
        data = self.data
        if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], JsonText)):
            return super().encode()
        head = str(self.packet_type)
        if self.namespace is not None and self.namespace != "/":
            head += self.namespace + ","
        if self.id is not None:
            head += str(self.id)
        return f"{head}[{self.json.dumps(data[0])},{data[1]}]"


def init_app(app: Flask) -> None:
    from app.realtime import handlers  # noqa: F401 - registers the /live handlers

    # The extension object outlives an app: forget a queue manager a previous app was given.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "threading"),
        # None: only pages of the host the socket connects to (Engine.IO's same-origin check,
        # which honours X-Forwarded-Host/-Proto behind a proxy); a list adds other origins.
        cors_allowed_origins=list(app.config.get("SOCKETIO_ALLOWED_ORIGINS") or ()) or None,
        serializer=TextPacket,
        logger=False,
        engineio_logger=False,
    )
    if socketio.async_mode == "gevent":  # the deployed web process: ready before the first storm
        from app.realtime.warm import warm

        socketio.start_background_task(warm, app)
