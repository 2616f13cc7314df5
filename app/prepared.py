"""Hot statements compiled to SQL once and run on a pooled DBAPI connection: the live
handlers' reads, a delta's reads (``app.live.summary``, ``app.live.queries``), a hall's check-in
(``app.halls.links``, ``app.halls.figures``).

A storm of joins runs the same read (the socket's user and their access, on each join)
thousands of times. Built with ``select(...).where(...)`` for every socket, each cost more
CPU in SQLAlchemy (building the statement, its cache key, the execution layer) than in the
database: about 0.9 and 1.3 ms, against 0.3 ms for the same query on the driver. Here a statement
is built once per ``key`` (the values it holds as literals, such as a unit's path, are part of
the key), compiled once for the engine's dialect, and each call only binds the caller's
parameters and asks the driver.

The statement stays SQLAlchemy's (the same scoping and columns as anywhere else); parameters
go through their types' own conversion, and so do a row's values when asked (``typed``: UTC
times, enums), else they come as the driver returns them. ``written`` runs one statement that
writes and returns a row as a transaction of its own (a check-in's head count: no BEGIN, no
COMMIT round trip); ``in_session`` runs one in the session's transaction (a check-in with
attendee rows, which its commit covers). A session bound to one connection (the tests'
rolled-back transaction) runs the statement through that session instead.

On PostgreSQL a statement run outside the session is written with the server's own placeholders
(``$1``, ``$2``…) and sent by psycopg's ``RawCursor`` as it is: psycopg otherwise parses a
statement's ``%(name)s`` placeholders at every call once it is over 4,096 characters or 50
parameters (a check-in with attendee rows writes its report, hall and people in one).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import Connection, Dialect, Engine, Executable, Insert, Select

from app.extensions import db

MAX_KEPT = 1024  # statements per process (keys carry a unit: a country has a few thousand)
_lock = threading.Lock()
_compiling = threading.Lock()  # held while a statement compiles (``_compiled``)


@dataclass(frozen=True)
class Compiled:
    """A statement's SQL for one dialect, and how to pass it its parameters."""

    sql: str
    fixed: dict[str, Any]  # the literal values the statement was built with
    order: tuple[str, ...] | None  # positional parameter names (SQLite), None for named ones
    processors: dict[str, Callable[[Any], Any]]  # the column types' own (JSON, UTC times)
    results: tuple[Callable[[Any], Any] | None, ...]  # each result column's type's own
    numbered: bool = False  # PostgreSQL's $n placeholders, for psycopg's RawCursor

    def typed(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """The row's values as SQLAlchemy would hand them back (aware UTC times on SQLite too)."""
        return tuple(v if f is None else f(v) for f, v in zip(self.results, row, strict=True))

    def values(self, given: dict[str, Any]) -> dict[str, Any]:
        """Every parameter's value by name, as its type sends it to the driver."""
        values = {**self.fixed, **given}
        for name, process in self.processors.items():
            values[name] = process(values[name])
        return values

    def params(self, given: dict[str, Any]) -> Any:
        values = self.values(given)
        return values if self.order is None else tuple(values[name] for name in self.order)


def first(
    key: Hashable, build: Callable[[], Select[Any]], typed: bool = False, **params: Any
) -> tuple[Any, ...] | None:
    """The first row of the statement ``build()`` makes (built once per ``key``) with ``params``
    bound, read outside a transaction; None when there is none. ``typed``: its values converted
    by the columns' types (times, enums), as the session would return them."""
    bind = engine()
    if bind is None:
        row = db.session.execute(build(), params).first()
        return None if row is None else tuple(row)
    compiled = _compiled(bind, key, build, params, _numbers(bind))
    row = _autocommitted(bind, compiled, params)
    return compiled.typed(row) if typed and row is not None else row


def rows(
    key: Hashable, build: Callable[[], Select[Any]], typed: bool = False, **params: Any
) -> list[tuple[Any, ...]]:
    """Every row of the statement ``build()`` makes (built once per ``key``), read outside a
    transaction as ``first`` reads one."""
    bind = engine()
    if bind is None:
        return [tuple(row) for row in db.session.execute(build(), params)]
    compiled = _compiled(bind, key, build, params, _numbers(bind))
    found = _autocommitted(bind, compiled, params, every=True)
    return [compiled.typed(row) for row in found] if typed else found


def written(
    key: Hashable, build: Callable[[], Select[Any]], **params: Any
) -> tuple[bool, tuple[Any, ...] | None]:
    """Run one statement that writes and returns a row (data-modifying CTEs) on its own: it is
    its own transaction, committed when this returns. Whether it ran, and its first row, typed.

    Only on PostgreSQL with the session on the engine (``insert``'s conditions); elsewhere
    ``(False, None)``, having written nothing: the caller writes in the session instead.
    """
    bind = engine()
    if bind is None or bind.dialect.name != "postgresql":
        return False, None
    compiled = _compiled(bind, key, build, params, numbered=True)
    row = _autocommitted(bind, compiled, params)
    return True, (compiled.typed(row) if row is not None else None)


def in_session(
    key: Hashable, build: Callable[[], Select[Any]], **params: Any
) -> tuple[Any, ...] | None:
    """The first row of the statement ``build()`` makes (built once per ``key``), typed, run in
    the session's transaction: a write its commit covers (a report with attendee rows). Building
    the statement's cache key and the ORM's execution layer cost more CPU than the database."""
    connection = db.session.connection()
    compiled = _compiled(connection, key, build, params)
    row = connection.exec_driver_sql(compiled.sql, compiled.params(params)).first()
    return None if row is None else compiled.typed(tuple(row))


def writes_alone() -> bool:
    """Whether ``written`` runs statements here (PostgreSQL, the session on the engine)."""
    bind = engine()
    return bind is not None and bind.dialect.name == "postgresql"


def _autocommitted(
    bind: Engine, compiled: Compiled, params: dict[str, Any], every: bool = False
) -> Any:
    """The first row of the compiled statement (``every``: all its rows), run on a pooled
    connection in autocommit."""
    connection = bind.raw_connection()
    try:
        driver = connection.driver_connection
        autocommit = bind.dialect.name == "postgresql"  # pysqlite begins no transaction to read
        if autocommit:
            driver.autocommit = True  # type: ignore[union-attr]
        try:
            cursor = _cursor(connection, compiled)
            try:
                cursor.execute(compiled.sql, compiled.params(params))
                if every:
                    return [tuple(row) for row in cursor.fetchall()]
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            if autocommit:
                driver.autocommit = False  # type: ignore[union-attr]
    finally:
        connection.close()
    return None if row is None else tuple(row)


def insert(key: Hashable, build: Callable[[], Insert], rows: list[dict[str, Any]]) -> bool:
    """Write ``rows`` (each with the same columns) with the INSERT ``build()`` makes, committed
    when this returns: one autocommitted statement, an INSERT for one row, else a COPY (the
    driver's ``executemany`` spent more CPU on each row than a whole INSERT of one). False,
    having written nothing, when not on PostgreSQL (SQLite's writes take SQLAlchemy's BEGIN
    IMMEDIATE, ``app.database``) or when the session is bound to one connection."""
    bind = engine()
    if bind is None or bind.dialect.name != "postgresql" or not rows:
        return False
    compiled = _compiled(bind, key, lambda: build().inline(), rows[0], numbered=True)
    connection = bind.raw_connection()
    try:
        driver = connection.driver_connection
        cursor = _cursor(connection, compiled)
        try:
            driver.autocommit = True  # type: ignore[union-attr]
            try:
                if len(rows) == 1:
                    cursor.execute(compiled.sql, compiled.params(rows[0]))
                else:
                    _copy(cursor, bind, build(), [compiled.values(row) for row in rows])
            finally:
                driver.autocommit = False  # type: ignore[union-attr]
        finally:
            cursor.close()
    finally:
        connection.close()  # the pool rolls back what was not committed
    return True


def _copy(cursor: Any, bind: Engine, statement: Insert, rows: list[dict[str, Any]]) -> None:
    """``rows`` (the driver's values, as bound) into the INSERT's table in one COPY."""
    quote = bind.dialect.identifier_preparer
    names = list(rows[0])
    table = quote.format_table(statement.table)  # type: ignore[arg-type]
    columns = ", ".join(quote.quote(name) for name in names)
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def _numbers(bind: Engine) -> bool:
    return bind.dialect.name == "postgresql"


def _cursor(connection: Any, compiled: Compiled) -> Any:
    """A cursor of the pooled connection that sends ``compiled.sql`` as it is written."""
    if not compiled.numbered:
        return connection.cursor()
    from psycopg import RawCursor

    return RawCursor(connection.driver_connection)


@lru_cache(maxsize=16)  # an engine's dialect; tests build many
def _numbered(dialect: Dialect) -> Dialect:
    """The engine's dialect (its server's version and settings) writing PostgreSQL's own
    numbered placeholders, each name once however often the statement uses it."""
    numbered = copy.copy(dialect)
    numbered.paramstyle, numbered.positional = "numeric_dollar", True
    return numbered


def engine() -> Engine | None:
    """The app's engine, or None when the session is bound to one connection (the tests'
    rolled-back transaction), whose writes and reads must then go through that session.

    Read from the session's factory: ``db.session.get_bind()`` would build a session for the
    socket event only to answer (a tenth of a join's CPU with the teardown that closes it)."""
    bind = db.session.session_factory.kw.get("bind")
    if bind is None:
        return db.engine
    return bind if isinstance(bind, Engine) else None


def _compiled(
    engine: Engine | Connection,
    key: Hashable,
    build: Callable[[], Executable],
    params: dict[str, Any],
    numbered: bool = False,
) -> Compiled:
    """The statement compiled for the engine's dialect; ``numbered``: with PostgreSQL's $n
    placeholders (a key is run either way, not both: the other way compiles it again)."""
    kept: dict[Hashable, Compiled] = current_app.extensions.setdefault("lantoa_prepared", {})
    full = (engine.dialect.name, key)  # one engine per app; its URL hashes slowly
    found = kept.get(full)
    if found is not None and found.numbered == numbered:
        return found
    # One thread compiles; the others wait for it: a burst's first requests all ask at once,
    # and each compiling its own copy (under the GIL) only delayed them all.
    with _compiling:
        found = kept.get(full)
        if found is not None and found.numbered == numbered:
            return found
        compiled = _compile(engine.dialect, build(), params, numbered)
        with _lock:
            if len(kept) >= MAX_KEPT:
                kept.clear()
            kept[full] = compiled
    return compiled


def _compile(
    dialect: Dialect, built: Executable, params: dict[str, Any], numbered: bool
) -> Compiled:
    statement = built.compile(dialect=_numbered(dialect) if numbered else dialect,
                              column_keys=list(params))  # fmt: skip
    order = tuple(statement.positiontup or ()) if statement.positional else None
    values = statement.construct_params(params)  # the literals' values, and these
    fixed = {name: value for name, value in values.items() if name not in params}
    types = {name: bound.type.dialect_impl(dialect) for name, bound in statement.binds.items()}
    processors = {name: process for name, kind in types.items()
                  if (process := kind.bind_processor(dialect)) is not None}  # fmt: skip
    columns = getattr(built, "selected_columns", ())
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return Compiled(statement.string, fixed, order, processors, results, numbered)
