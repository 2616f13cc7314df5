"""Claims with a lease: several collector processes share one schedule without collecting twice.

A collector claims the targets it is about to collect by moving their ``next_run_at`` forward by
``COLLECTOR_LEASE_SECONDS`` in one statement, then collects and the runner writes the real
``next_run_at``. Another collector's claim no longer sees them as due; a collector that dies
mid-round leaves its targets leased, and they come back when the lease runs out (nothing else to
clean up, no heartbeat table).

On PostgreSQL the claim is ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING id``:
two collectors claiming at the same instant take disjoint sets instead of waiting for each other
(the queue pattern of PostgreSQL's documentation). On SQLite the same statement runs inside the
``BEGIN IMMEDIATE`` the database layer opens before any write, so claims are serialised already
(SQLite deployments have one process anyway).

Discovery (new lives on a page) is claimed the same way, its interval being the lease: two
collectors must not both adopt a new live as two events.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import Platform, PlatformAccount, Target

DEFAULT_LEASE_SECONDS = 300.0


def lease_seconds() -> float:
    return float(current_app.config.get("COLLECTOR_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def claim_due(now: datetime, *, limit: int = 200, lease: float | None = None) -> list[int]:
    """Lease up to ``limit`` due targets to this process and return their ids (committed).

    The most overdue come first, as in ``runner.due_target_ids``; a target leased by another
    process, or locked by its claim right now, is not returned.
    """
    until = now + timedelta(seconds=lease_seconds() if lease is None else lease)
    due = (
        select(Target.id)
        .where(Target.paused_reason.is_(None), Target.finished_at.is_(None))
        .where((Target.next_run_at.is_(None)) | (Target.next_run_at <= now))
        .order_by(Target.next_run_at.asc().nulls_first())
        .limit(limit)
        .with_for_update(skip_locked=True)  # rendered on PostgreSQL only
    )
    stmt = (
        update(Target)
        .where(Target.id.in_(due.scalar_subquery()))
        .values(next_run_at=until)
        .returning(Target.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(db.session.scalars(stmt))
    db.session.commit()
    return ids


def claim_discovery(now: datetime, interval: timedelta) -> list[PlatformAccount]:
    """The accounts whose lives this process discovers now, moved ``interval`` ahead (committed).

    Same rows as ``discovery.due_accounts``; claimed so that only one collector adopts a new live.
    """
    due = (
        select(PlatformAccount.id)
        .where(
            PlatformAccount.platform == Platform.FACEBOOK,
            PlatformAccount.external_id.is_not(None),
            PlatformAccount.health != "auth_expired",
            (PlatformAccount.next_discovery_at.is_(None))
            | (PlatformAccount.next_discovery_at <= now),
        )
        .with_for_update(skip_locked=True)
    )
    stmt = (
        update(PlatformAccount)
        .where(PlatformAccount.id.in_(due.scalar_subquery()))
        .values(next_discovery_at=now + interval)
        .returning(PlatformAccount.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(db.session.scalars(stmt))
    db.session.commit()
    if not ids:
        return []
    return list(db.session.scalars(select(PlatformAccount).where(PlatformAccount.id.in_(ids))))
