"""Engine settings per dialect: SQLite in WAL mode with foreign keys on, a patient busy timeout,
and transactions that SQLite keeps whole.

pysqlite (the standard library's ``sqlite3``) opens a transaction by itself only before a statement
starting with INSERT, UPDATE, DELETE or REPLACE, and runs everything else in autocommit. So a
SAVEPOINT met before the first such statement opened the outermost transaction and its RELEASE
committed for good: an import batch was stored without its attendees, a check-in report without
its people, and the retry was then refused as already done. A write led by WITH, and DDL, were
committed at once too. SQLAlchemy's pysqlite recipe ("Serializable isolation / Savepoints /
Transactional DDL") turns the driver's own handling off (``isolation_level = None``) and emits
BEGIN itself; we do both.

We emit ``BEGIN IMMEDIATE`` just before a transaction's first write (any statement that is not a
query, SAVEPOINT included) rather than a deferred BEGIN on SQLAlchemy's "begin" event. A deferred
BEGIN at the first read pins that read's snapshot, and SQLite refuses at once ("database is
locked", without waiting out the busy timeout) to let such a transaction write once another
connection has committed since: with a web request and the collector writing side by side, most
check-ins of a burst failed so. Here reads before the first write see the latest commit, as they
always did; from the first write on, the transaction holds the write lock until it ends, so
everything it writes commits together or not at all.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

# A pooled connection back in use within this many seconds is not pinged before its next use.
PING_AFTER_IDLE = 5.0
# PostgreSQL: at most this many connections per process (``DATABASE_POOL_SIZE``), each kept once
# opened. SQLAlchemy's default (5 kept, 10 more opened and closed again as needed) had a burst of
# check-ins on a gevent worker open and close connections all along, a server process forked for
# each: the same peak of 15 connections, without that churn.
POOL_SIZE = 15
IDLE_SINCE = "lantoa_idle_since"

# Statements that open no transaction: queries, transaction control (SQLAlchemy's own, a RELEASE
# inside the transaction its SAVEPOINT opened), and VACUUM, which SQLite refuses inside one.
NO_BEGIN = frozenset({"SELECT", "PRAGMA", "EXPLAIN", "VALUES", "BEGIN", "COMMIT", "END",
                      "ROLLBACK", "RELEASE", "VACUUM"})  # fmt: skip


def writes(statement: str, context: Any = None) -> bool:
    """Whether a statement writes (or opens a savepoint) and so must run inside BEGIN.

    A statement led by WITH is a query only when SQLAlchemy compiled a SELECT: a WITH also leads
    INSERT, UPDATE and DELETE, and a textual one is taken as a write to be safe.
    """
    words = statement.lstrip(" \t\r\n(").split(None, 1)
    head = words[0].upper() if words else ""
    if head == "WITH":
        compiled = getattr(context, "compiled", None)
        return not getattr(getattr(compiled, "statement", None), "is_select", False)
    return head not in NO_BEGIN


def engine_options(url: str, given: dict[str, Any], size: int = POOL_SIZE) -> dict[str, Any]:
    """The engine's options: ``given`` (SQLALCHEMY_ENGINE_OPTIONS), over PostgreSQL's pool of
    ``size`` connections kept open (none opened beyond it: a request waits for one)."""
    if not url.startswith("postgresql"):
        return given
    return {"pool_size": size, "max_overflow": 0, **given}


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        ping_when_idle(engine)
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the live page read while the collector writes; foreign keys are off by default.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # The driver never begins or commits by itself; _begin_before_write begins.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_write(
        conn: Connection, cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        driver = cursor.connection
        if driver.in_transaction or not conn.in_transaction() or not writes(statement, context):
            return
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return
        driver.execute("BEGIN IMMEDIATE")  # waits out another writer (busy_timeout)


def ping_when_idle(engine: Engine) -> None:
    """Ping a server connection before use only when it sat idle in the pool a while.

    ``pool_pre_ping`` pings at every checkout: one more round trip per web request (a check-in
    burst paid it two thousand times), though a connection handed back a moment ago is as alive as
    a ping would show. A connection idle past ``PING_AFTER_IDLE`` (a database restarted overnight,
    a firewall that dropped it) is pinged as before, and replaced if dead.
    """

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi: Any, record: ConnectionPoolEntry) -> None:
        record.info[IDLE_SINCE] = time.monotonic()  # just opened: alive

    @event.listens_for(engine, "checkin")
    def _idle_since(_dbapi: Any, record: ConnectionPoolEntry) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        since = record.info.pop(IDLE_SINCE, None)
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi)
        except Exception as error:  # the pool replaces it and tries the checkout again
            raise exc.DisconnectionError(str(error)) from error
