"""Who holds a live socket: read once on connect, re-checked in one query on each join.

Flask-Login would load the user's row again for every Socket.IO message, and a join of an
officer then read it a third time after the audit row's commit: in a storm of a thousand
projectors joining at once those reads were most of the server's work. The socket keeps instead,
in its own session (Flask-SocketIO's per-socket copy, never a cookie), the user's id, session
token and unit (``Viewer``); a join or resync asks one question of the database (``allowed``):
is the user still active, with the same session token (a log-out everywhere, a password change
or a deactivation gives a new one), which role do they have now, and is the event inside their
unit's subtree (``app.scoping``). A user moved to another unit is scoped from the new one.

A browser's session cookie is read the same way (``of_session``), as the app's Flask-Login
``user_loader`` checks it, so that opening the live page costs a browser no more than a script.

The reads are single statements outside a transaction: no BEGIN before them and no ROLLBACK
after, half of the round trips a session's read costs; each is built and compiled once
(``prepared``), then only bound and sent to the driver.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from flask import session
from sqlalchemy import Select, bindparam, select

from app import prepared
from app.auth.tokens import PREFIX, digest
from app.extensions import db
from app.models import Event, OrgUnit, Role, User
from app.scoping import scoped_under

KEY = "lantoa_live_viewer"
PHONE_ROLE = Role.OFFICER  # officers and above see leads' phone numbers in clear
NOBODY = PREFIX + "nobody"  # a token no user holds: looking it up compiles the lookup


@dataclass(frozen=True)
class Unit:
    """The id and path of the user's unit: all that scoping reads of it."""

    id: int
    path: str


@dataclass(frozen=True)
class Viewer:
    """The user behind a socket, as it was when the socket connected."""

    user_id: int
    session_token: str | None
    unit: Unit

    def as_dict(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "session_token": self.session_token,
                "unit_id": self.unit.id, "unit_path": self.unit.path}  # fmt: skip


@dataclass(frozen=True)
class Access:
    """The answer of one join: the user's role now, and whether they may see the event."""

    user_id: int
    role: Role
    sees_event: bool

    @property
    def phones(self) -> bool:
        return self.role.rank >= PHONE_ROLE.rank


def of_user(user: User) -> Viewer:
    """The viewer of a user already loaded (a browser's session cookie)."""
    return Viewer(user.id, user.session_token, Unit(user.org_unit.id, user.org_unit.path))


def of_session(session_id: Any) -> Viewer | None:
    """The viewer a browser's session names (``"<id>:<session token>"``, as ``User.get_id``
    writes it) when that user is active with that token, as the app's Flask-Login ``user_loader``
    checks, in one compiled read instead of the ORM's; None otherwise (the caller then asks
    Flask-Login, which also tries the remember cookie)."""
    if not isinstance(session_id, str):
        return None
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not token:
        return None
    row = prepared.first("viewer.of_session", _of_session, user_id=int(user_id))
    if row is None or row[1] is None or not hmac.compare_digest(row[1], token):
        return None
    return Viewer(row[0], row[1], Unit(row[2], row[3]))


def _of_session() -> Select[Any]:
    return (
        select(User.id, User.session_token, OrgUnit.id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(User.id == bindparam("user_id"), User.active.is_(True))
    )


def of_token(token: str) -> Viewer | None:
    """The active user whose API token this is, in one indexed lookup of its hash."""
    if not token.startswith(PREFIX):
        return None
    row = prepared.first("viewer.of_token", _of_token, digest=digest(token))
    return None if row is None else Viewer(row[0], row[1], Unit(row[2], row[3]))


def _of_token() -> Select[Any]:
    return (
        select(User.id, User.session_token, OrgUnit.id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(User.api_token_hash == bindparam("digest"), User.active.is_(True))
    )


def keep(viewer: Viewer) -> None:
    """Remember ``viewer`` for the life of this socket."""
    session[KEY] = viewer.as_dict()


def kept() -> Viewer | None:
    """The user this socket authenticated as on connect, if any."""
    stored = session.get(KEY)
    if not isinstance(stored, dict):
        return None
    return Viewer(stored["user_id"], stored["session_token"],
                  Unit(stored["unit_id"], stored["unit_path"]))  # fmt: skip


def allowed(viewer: Viewer, event_id: int) -> Access | None:
    """The user's role and whether they see the event, in one query; None when the user was
    signed out since the socket connected (deactivated, logged out everywhere, deleted)."""
    signed_in = viewer.session_token is not None
    unit = viewer.unit
    row = prepared.first(
        ("viewer.allowed", unit, signed_in),
        lambda: _allowed(unit, signed_in),
        user_id=viewer.user_id,
        event_id=event_id,
        **({"session_token": viewer.session_token} if signed_in else {}),
    )
    if row is None:
        return None
    role, unit_id, sees = Role(row[0]), row[1], row[2]
    if unit_id != viewer.unit.id:  # moved to another unit: scope from there from now on
        moved_to = db.session.get(OrgUnit, unit_id)
        if moved_to is None:
            return None
        moved = Viewer(viewer.user_id, viewer.session_token, Unit(moved_to.id, moved_to.path))
        keep(moved)
        sees = db.session.scalar(select(_sees(moved.unit, event_id)))
    return Access(viewer.user_id, role, bool(sees))


def _allowed(unit: Unit, signed_in: bool) -> Select[Any]:
    """Active, with the socket's session token, and the event inside ``unit``'s subtree."""
    token = User.session_token
    return select(User.role, User.org_unit_id, _sees(unit, bindparam("event_id"))).where(
        User.id == bindparam("user_id"),
        User.active.is_(True),
        token == bindparam("session_token") if signed_in else token.is_(None),
    )


def _sees(unit: Unit, event_id: Any) -> Any:
    return scoped_under(select(Event.id).where(Event.id == event_id), Event, unit).exists()
