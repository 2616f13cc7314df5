"""Who holds a live socket: what it presents on connect, checked in one query on each join.

A socket's connect reads only what the socket presents, without the database: the browser's
session (the user id and session token Flask-Login's cookie carries) or an API token (kept as
its hash). Each join or resync then asks the database one question (``allowed``): is there an
active user with those credentials, which role do they have now, is the event inside their
unit's subtree, and if not, has their unit a hall there (``app.scoping``: ``scoped_under``,
``watches_event``, with the user's unit read in the same statement). A unit with a hall at an
upper unit's event watches it in part: phone-free, and without the other halls' contacts. So a user
deactivated, signed out everywhere (a new session token) or moved to another unit is refused
or scoped anew on the next join, and a storm of a thousand projectors joining at once costs one
read per socket instead of two (one on connect, one on join).

A socket with no credentials at all is refused on connect. Credentials that no active user holds
are refused at the join, with 401: the live page then says it was refused instead of trying to
reconnect for ever. After a token socket's first join its user and session token are kept
with it, so a log-out everywhere ends its access on the next join, as a browser's.

The read is a single statement outside a transaction: no BEGIN before it and no ROLLBACK after,
half of the round trips a session's read costs; each of its three shapes is built and compiled
once (``prepared``), then only bound and sent to the driver.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import session
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import aliased

from app import prepared
from app.auth.tokens import PREFIX, digest
from app.models import Event, OrgUnit, Role, User
from app.realtime import audited
from app.scoping import scoped_under, watches_event

KEY = "lantoa_live_claim"
PHONE_ROLE = Role.OFFICER  # officers and above see leads' phone numbers in clear
PHONE_ROLES = tuple(role for role in Role if role.rank >= PHONE_ROLE.rank)
NOBODY = PREFIX + "nobody"  # a token no user holds: asking with it compiles the statement


@dataclass(frozen=True)
class Claim:
    """Who a socket says it is: a browser's user and session token, or an API token's hash
    (with, after its first join, the user and session token it was found to belong to)."""

    user_id: int | None = None
    session_token: str | None = None
    digest: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "session_token": self.session_token,
                "digest": self.digest}  # fmt: skip


@dataclass(frozen=True)
class Access:
    """The answer of one join: the user's role now, whether they see the event whole (their
    subtree's) or in part (their unit has a hall there), and whether the read also wrote the
    join's audit row (``audited.with_join_row``)."""

    user_id: int
    role: Role
    sees_event: bool
    audited: bool = False
    in_part: bool = False

    @property
    def watches(self) -> bool:
        """Whether they may join the event's live updates at all."""
        return self.sees_event or self.in_part

    @property
    def phones(self) -> bool:
        """Phones in clear: officers and above, on an event they see whole."""
        return self.sees_event and self.role.rank >= PHONE_ROLE.rank


def of_session(session_id: Any) -> Claim | None:
    """The claim of a browser's session (``"<id>:<session token>"``, as ``User.get_id`` writes
    it), or None when it names nobody (the caller then asks Flask-Login, which also tries the
    remember cookie)."""
    if not isinstance(session_id, str):
        return None
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not token:
        return None
    return Claim(user_id=int(user_id), session_token=token)


def of_user(user: User) -> Claim:
    """The claim of a user Flask-Login has already loaded (a remember cookie)."""
    return Claim(user_id=user.id, session_token=user.session_token)


def of_token(token: str) -> Claim | None:
    """The claim of an API token, or None when it cannot be one."""
    return Claim(digest=digest(token)) if token.startswith(PREFIX) else None


def keep(claim: Claim) -> None:
    """Remember ``claim`` for the life of this socket (its own session, never a cookie)."""
    session[KEY] = claim.as_dict()


def kept() -> Claim | None:
    """What this socket presented on connect (and learnt on its first join), if anything."""
    stored = session.get(KEY)
    return Claim(**stored) if isinstance(stored, dict) else None


def allowed(claim: Claim, event_id: int, audit: bool = False) -> Access | None:
    """The user's role and whether they see the event, in one query; None when no active user
    holds the claim's credentials (a wrong token, signed out, deactivated, deleted).

    ``audit`` (a join): on PostgreSQL the same statement writes the join's audit row when it
    grants the phones, committed when this returns (``Access.audited``)."""
    by_token, by_user = claim.digest is not None, claim.user_id is not None
    no_session = by_user and claim.session_token is None
    params: dict[str, Any] = {"event_id": event_id}
    if by_token:
        params["digest"] = claim.digest
    if by_user:
        params["user_id"] = claim.user_id
        if not no_session:
            params["session_token"] = claim.session_token
    key = ("viewer.allowed", by_token, by_user, no_session)
    ran, row = False, None
    if audit:
        ran, row = prepared.written(
            (*key, "audited"),
            lambda: audited.with_join_row(_allowed(by_token, by_user, no_session), PHONE_ROLES),
            **params,
            **audited.join_row_params(event_id),
        )
    if not ran:
        row = prepared.first(key, lambda: _allowed(by_token, by_user, no_session), **params)
    if row is None:
        return None
    user_id, session_token, role, sees, part = row[:5]
    if not by_user:  # a token's first join: from now on, its user's sessions as they are now
        keep(replace(claim, user_id=user_id, session_token=session_token))
    return Access(user_id, Role(role), bool(sees), audited=ran and bool(row[5]),
                  in_part=not sees and bool(part))  # fmt: skip


def _allowed(by_token: bool, by_user: bool, no_session: bool) -> Select[Any]:
    """The active user holding the credentials, whether the event is inside their unit, and
    whether their unit has a hall there."""
    unit = aliased(OrgUnit)
    event_id = bindparam("event_id")
    sees = scoped_under(select(Event.id).where(Event.id == event_id), Event, unit)
    credentials = [User.active.is_(True)]
    if by_token:
        credentials.append(User.api_token_hash == bindparam("digest"))
    if by_user:
        credentials.append(User.id == bindparam("user_id"))
        token = User.session_token
        credentials.append(token.is_(None) if no_session else token == bindparam("session_token"))
    return (
        select(
            User.id,
            User.session_token,
            User.role,
            sees.exists().label("sees"),
            watches_event(unit, event_id).label("part"),
        )  # fmt: skip
        .join(unit, unit.id == User.org_unit_id)
        .where(*credentials)
    )


def warm_statements() -> None:
    """Compile the three shapes of ``allowed`` by asking with credentials nobody holds."""
    nobody = digest(NOBODY)
    for claim in (Claim(digest=nobody), Claim(0, NOBODY, nobody), Claim(0, NOBODY)):
        allowed(claim, 0)
