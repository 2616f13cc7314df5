"""Read-side queries of the status page, scoped to the user's org units."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Event, PlatformAccount, Target, User
from app.scoping import scoped


def accounts_for(user: User) -> list[PlatformAccount]:
    stmt = scoped(select(PlatformAccount), PlatformAccount, user).options(
        joinedload(PlatformAccount.org_unit)
    )
    return list(db.session.scalars(stmt.order_by(PlatformAccount.platform, PlatformAccount.name)))


def targets_for(user: User, limit: int = 200) -> list[Target]:
    """Running targets first, then the most recently polled."""
    stmt = (
        scoped(select(Target), Target, user)
        .join(Event, Event.id == Target.event_id)
        .options(joinedload(Target.event), joinedload(Target.account))
        .order_by(Target.finished_at.is_not(None), Target.last_success_at.desc().nulls_last())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
