"""What in collection needs a person, for the home screen: paused targets, failing accounts,
tokens about to expire.

Read from the same scoped rows as the status page (``app.status.queries``), worded by
``app.status.words``, so the home screen and ``/collection`` never disagree.

A token is flagged ``EXPIRY_NOTICE`` before it runs out when it cannot renew itself: the account's
credentials say when it expires (``expires_at``: an RFC 3339 time, or Unix seconds as Facebook's
``debug_token`` reports it) and hold no ``refresh_token`` (Zalo's and Zoom's access tokens are
renewed by the collectors on their own, so their expiry is nobody's business). A check on the
connection page keeps there what the platform said (``app.connect.services``: Facebook's
``debug_token`` expiry), so an account connected and checked from the page is flagged too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Event, PlatformAccount, Target, User
from app.scoping import scoped
from app.status import queries

EXPIRY_NOTICE = timedelta(days=7)
FAILING = ("auth_expired", "error")  # rate-limited accounts resume by themselves
PAUSED_SHOWN = 20


@dataclass(frozen=True)
class Alert:
    kind: str  # "account" (failing) | "token" (expiring) | "target" (paused)
    account: PlatformAccount | None = None
    target: Target | None = None
    expires_at: datetime | None = None


def token_expires_at(account: PlatformAccount) -> datetime | None:
    """When the account's token stops working, if it cannot renew itself (see above)."""
    credentials = account.credentials or {}
    if credentials.get("refresh_token"):
        return None
    return _moment(credentials.get("expires_at"))


def _moment(value: Any) -> datetime | None:
    """Unix seconds or an ISO time (UTC when it names no zone); None for anything else."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, str) and value:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def collection_alerts(user: User, now: datetime) -> list[Alert]:
    """Failing accounts, then tokens running out (soonest first), then paused targets."""
    alerts: list[Alert] = []
    expiring: list[Alert] = []
    for account in queries.accounts_for(user):
        if account.health in FAILING:
            alerts.append(Alert("account", account=account))
            continue
        expires = token_expires_at(account)
        if expires is not None and expires - now <= EXPIRY_NOTICE:
            expiring.append(Alert("token", account=account, expires_at=expires))
    alerts += sorted(expiring, key=lambda a: a.expires_at or now)
    paused = (
        scoped(select(Target), Target, user)
        .where(Target.paused_reason.is_not(None), Target.finished_at.is_(None))
        .options(joinedload(Target.event).joinedload(Event.org_unit), joinedload(Target.account))
        .order_by(Target.updated_at.desc(), Target.id.desc())
        .limit(PAUSED_SHOWN)
    )
    alerts += [Alert("target", target=t, account=t.account) for t in db.session.scalars(paused)]
    return alerts
