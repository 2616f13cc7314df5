"""SQLite transactions hold: what a transaction wrote is committed with it or not at all.

pysqlite (the standard library's sqlite3) begins a transaction by itself only before a statement
starting with INSERT, UPDATE, DELETE or REPLACE. Everything else ran in autocommit: a SAVEPOINT met
before the first of them opened the outermost transaction, so its RELEASE committed for good (an
import batch without its attendees, a check-in report without its people); a write led by WITH
and DDL committed at once, whatever the transaction did next. These tests use the production engine
settings (app.database) on a file, with a second connection standing in for another process.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.database import configure_engine

ROWS = sa.table("rows", sa.column("id"), sa.column("label"))


@pytest.fixture
def engine(tmp_path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    configure_engine(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE rows (id INTEGER PRIMARY KEY, label TEXT UNIQUE)")
    yield engine
    engine.dispose()


def stored(engine: sa.Engine) -> list[str]:
    """What another connection (another process, after a crash) sees."""
    with engine.connect() as other:
        return list(other.scalars(sa.select(ROWS.c.label).order_by(ROWS.c.label)))


def test_a_released_savepoint_commits_nothing_before_its_transaction(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.execute(sa.select(ROWS.c.id)).all()  # a read first, as every request does
        with session.begin_nested():  # the check-in's and the import batch's SAVEPOINT
            session.execute(ROWS.insert().values(label="report"))
        assert stored(engine) == []  # released, but not committed
        with pytest.raises(sa.exc.IntegrityError), session.begin_nested():  # the same key again
            session.execute(ROWS.insert().values(label="report"))
        session.execute(ROWS.insert().values(label="attendee"))
        assert stored(engine) == []
        session.rollback()  # the process died, or the attendee failed
    assert stored(engine) == []


def test_a_write_led_by_with_belongs_to_the_transaction(engine: sa.Engine) -> None:
    with Session(engine) as session:
        cte = "WITH x(v) AS (VALUES ('cte')) INSERT INTO rows (label) SELECT v FROM x"
        session.execute(sa.text(cte))
        assert stored(engine) == []
        session.rollback()
    assert stored(engine) == []


def test_ddl_is_transactional(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.execute(sa.text("CREATE TABLE scratch (id INTEGER PRIMARY KEY)"))
        session.rollback()
    with engine.connect() as other:
        assert not sa.inspect(other).has_table("scratch")


def test_concurrent_writers_that_read_first_all_get_their_turn(engine: sa.Engine) -> None:
    """Eight threads read, then write in a savepoint, then commit (even ones) or roll back.

    A transaction begun at its first read (a deferred BEGIN) cannot write once another connection
    has committed since: SQLite refuses at once ("database is locked"), whatever the busy timeout.
    So no writer may fail, and no rolled-back savepoint may leave its row behind.
    """
    errors: list[BaseException] = []

    def work(n: int) -> None:
        for i in range(15):
            try:
                with Session(engine) as session:
                    session.execute(sa.select(sa.func.count()).select_from(ROWS)).scalar()
                    with session.begin_nested():
                        session.execute(ROWS.insert().values(label=f"{n}-{i:02d}"))
                    if i % 2:
                        session.rollback()
                    else:
                        session.commit()
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stored(engine) == sorted(f"{n}-{i:02d}" for n in range(8) for i in range(0, 15, 2))


def test_a_pooled_connection_is_pinged_only_after_sitting_idle(tmp_path: Path, monkeypatch) -> None:
    """No ping round trip when a connection comes back into use at once (every check-in of a
    burst); one after it sat idle; a dead one is replaced before the request sees it."""
    import app.database as database

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'ping.sqlite3'}")
    database.ping_when_idle(engine)
    pings: list[bool] = []
    dead = {"now": False}

    def ping(_dbapi: object) -> bool:
        pings.append(True)
        if dead["now"]:
            dead["now"] = False  # the pool's new connection is alive
            raise OSError("server closed the connection")
        return True

    monkeypatch.setattr(engine.dialect, "do_ping", ping)
    connects: list[object] = []
    sa.event.listen(engine, "connect", lambda *_a: connects.append(1))
    for _ in range(3):  # a fresh connection, then the same one handed back at once
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    assert (pings, len(connects)) == ([], 1)

    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)  # every checkout now follows idling
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    assert (len(pings), len(connects)) == (1, 1)

    dead["now"] = True  # the next ping fails: the pool opens a new connection and goes on
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1
    assert (len(pings), len(connects)) == (3, 2)  # the dead one's ping, and the new one's
    engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_pool_keeps_its_connections(app) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: 15 connections at most, each kept once opened (none opened and closed again
    during a burst); an option the deployment sets wins; SQLite keeps SQLAlchemy's own."""
    from app.database import POOL_SIZE, engine_options
    from app.extensions import db

    pool = db.engine.pool
    if db.engine.dialect.name == "postgresql":
        assert (pool.size(), pool._max_overflow) == (POOL_SIZE, 0)  # type: ignore[attr-defined]
    url = "postgresql+psycopg://db/lantoa"
    assert engine_options(url, {"max_overflow": 5}) == {"pool_size": POOL_SIZE, "max_overflow": 5}
    assert engine_options(url, {}, 4) == {"pool_size": 4, "max_overflow": 0}
    assert engine_options("sqlite:///x.sqlite3", {}) == {}
