"""A web process made ready for its first storm of live joins before the first socket arrives.

The first join of a process compiled SQLAlchemy's statements (the first compile of a process also
sets up the compiler itself: about a sixth of a second under load) and opened the pool's
database connections one joiner at a time, while a thousand projectors waited behind it. Under
gevent (the deployed web process) ``init_app`` starts this in the background as the process
starts: the join's read asked once in each of its shapes for nobody, and the pool's connections
opened.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from app.extensions import db
from app.realtime import viewer

log = logging.getLogger(__name__)


def warm(app: Flask) -> None:
    """Compile the join's read and fill the database pool; never raises (the first join does
    the same work if this could not)."""
    with app.app_context():
        try:
            viewer.warm_statements()
            fill_pool()
        except Exception:  # a database not reachable yet: the first join will say so
            log.warning("could not warm the live handlers up", exc_info=True)
        finally:
            db.session.remove()


def fill_pool() -> int:
    """Open as many pooled connections as the pool keeps; how many were checked out.

    Only those it can take without waiting: a join or a collected batch that holds one
    connection and asks for a second would otherwise wait for this, which waits for theirs,
    until the pool's timeout (30 s of joins answered by nobody)."""
    pool = db.engine.pool
    size = getattr(pool, "size", None)
    if db.engine.dialect.name != "postgresql" or not callable(size):
        return 0
    held: list[Any] = []
    try:
        while len(held) < size() and _free(pool):
            held.append(db.engine.raw_connection())
    finally:
        for connection in held:
            connection.close()  # back to the pool, open
    return len(held)


def _free(pool: Any) -> bool:
    """Whether a checkout returns at once: an idle connection, or room to open one."""
    return pool.checkedin() > 0 or pool.checkedin() + pool.checkedout() < pool.size()
