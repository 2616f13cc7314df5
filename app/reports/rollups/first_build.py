"""The rollups built by themselves, once: a new install, or one upgraded from before they existed.

Until a full build the reports read the source tables, which at a province's scale takes most of
a second per year page, and nothing keeps the rollups. The scheduler asks on each reports tick;
once built, the writers keep them and this answers with one query. On PostgreSQL a transaction
lock lets one process build while the others (several collectors, several web processes) skip.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import func, select

from app.extensions import db
from app.reports.rollups.build import ready
from app.reports.rollups.full_build import rebuild

log = logging.getLogger(__name__)
LOCK = "lantoa.rollups.first_build"  # the PostgreSQL advisory lock's name, hashed to its key


def build_if_never_built() -> int:
    """Build the rollups and commit if no full build ran yet; returns the events written."""
    if ready():
        return 0
    if db.session.get_bind().dialect.name == "postgresql":
        key = func.hashtext(LOCK)
        if not db.session.scalar(select(func.pg_try_advisory_xact_lock(key))):
            db.session.rollback()
            return 0  # another process is building them
        if ready():  # built by another process between the two questions
            db.session.rollback()
            return 0
    started = time.perf_counter()
    written = rebuild()
    db.session.commit()
    log.info("report rollups built: %d events in %.1f s", written, time.perf_counter() - started)
    return written
