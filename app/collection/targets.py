"""Adding a collection target: the one place a ``Target`` is built.

A new target starts with an empty cursor, no failures, no calls spent and no error. The model's
column defaults say the same, but they apply only at INSERT: a target built here reads true before
the flush too (the API answers with it, the runner may look at it in the same transaction).
``add_checked_target`` is what a user's request goes through (the API, a confirmed paste): the
kind, the account and the event are checked first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import collectors
from app import audit
from app.collection.fit import misfit
from app.events.services import FieldError
from app.extensions import db
from app.formatting import fmt_date
from app.models import Event, PlatformAccount, Target, User, utcnow
from app.scoping import scoped
from collectors.links import platform_link

TITLE_LENGTH = 500  # Target.title's column


def add_target(
    event_id: int,
    kind: str,
    external_id: str,
    *,
    account_id: int | None = None,
    next_run_at: datetime | None = None,
    **fields: Any,
) -> Target:
    """A new target of ``kind`` for the event, added to the session (the caller commits).

    ``next_run_at`` None is due at once, as is any time already past. ``fields`` set other columns
    (``status`` of a live found already running) or, for tests and benchmarks, start the target
    mid-life (a cursor, failures, an error already).
    """
    # Where every target starts: nothing read yet, nothing failed, no calls spent.
    state: dict[str, Any] = {"cursor": {}, "failures": 0, "calls_used": 0, "last_error": ""}
    target = Target(
        event_id=event_id,
        account_id=account_id,
        kind=kind,
        external_id=external_id,
        next_run_at=next_run_at,
        **{**state, **fields},
    )
    db.session.add(target)
    return target


def add_checked_target(
    event: Event,
    kind: str,
    external_id: str,
    account_id: int,
    user: User,
    *,
    title: str | None = None,
    url: str | None = None,
) -> Target:
    """A target of the user's: a kind the collectors know, an account the user may use on that
    kind's platform, an object not collected for the event yet. ``FieldError`` names what is not.

    ``title`` and ``url`` are what the platform said of it when its link was checked; a url off
    the platform's own sites is not kept.
    """
    spec = collectors.COLLECTORS.get(kind)
    if spec is None:
        kinds = ", ".join(sorted(collectors.COLLECTORS))
        raise FieldError(
            "platform", str(_l("unknown target platform %(kind)s; one of %(kinds)s", kind=kind,
                               kinds=f"[{kinds}]"))
        )  # fmt: skip
    account = db.session.scalar(
        scoped(select(PlatformAccount), PlatformAccount, user).where(
            PlatformAccount.id == account_id
        )
    )
    if account is None:
        raise FieldError("account_id", str(_l("unknown account %(id)s", id=account_id)))
    if account.platform.value != spec.platform:
        raise FieldError(
            "account_id",
            str(_l("%(kind)s needs a %(platform)s account", kind=kind, platform=spec.platform)),
        )
    if (why := misfit(event.channel, kind)) is not None:
        raise FieldError("platform", why)
    if tracked(event.id, kind, external_id):
        raise FieldError("external_id", str(_l("this object is already collected for the event")))
    if (other := tracked_elsewhere(event, kind, external_id, user)) is not None:
        raise FieldError("external_id", tracked_by_text(other))
    target = add_target(
        event.id, kind, external_id, account_id=account.id, next_run_at=utcnow(),
        **named(title, url, spec.platform),
    )  # fmt: skip
    db.session.flush()
    audit.record("target.create", user, "target", target.id, event=event.id, kind=kind)
    return target


def named(title: str | None, url: str | None, platform: str) -> dict[str, str | None]:
    """A target's ``title`` and ``url`` columns from what a platform said: the title trimmed to
    its column, the url only on the platform's own sites; None for what was not said."""
    title = " ".join((title or "").split())[:TITLE_LENGTH]
    return {"title": title or None, "url": platform_link(url, platform) or None}


# Two events counting one live add its figures twice wherever both are summed (a unit's reports,
# its channels, its campaign): the second is refused, naming the first.
TRACKED_BY = _l(
    "This is already tracked by the event “%(title)s” (%(day)s). Tracked by two events, its "
    "figures would count twice in the reports: track it in that event only."
)


def tracked_elsewhere(event: Event, kind: str, external_id: str, user: User) -> Event | None:
    """Another event the user can see that already collects this object (the oldest)."""
    others = select(Target.event_id).where(
        Target.kind == kind, Target.external_id == external_id, Target.event_id != event.id
    )
    return db.session.scalar(
        scoped(select(Event), Event, user).where(Event.id.in_(others)).order_by(Event.id).limit(1)
    )


def tracked_by_text(other: Event) -> str:
    day = other.actual_start or other.planned_start
    return str(TRACKED_BY % {"title": other.title, "day": fmt_date(day) if day else "—"})


def tracked(event_id: int, kind: str, external_id: str) -> bool:
    """Whether the event already collects this object."""
    return (
        db.session.scalar(
            select(Target.id).where(
                Target.event_id == event_id, Target.kind == kind, Target.external_id == external_id
            )
        )
        is not None
    )
