"""Fast bulk inserts for seeding: COPY on PostgreSQL, the driver's executemany on SQLite.

Rows are tuples in the order of ``columns`` and already in storage form (see ``stored``): this
path bypasses SQLAlchemy's type processing to write millions of rows in seconds, so it is for the
seeding command only, never for application writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

CHUNK = 20_000


def stored(value: Any, dialect: str) -> Any:
    """A Python value as the column stores it (UTC datetimes naive on SQLite, JSON as text)."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        if dialect == "sqlite":
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")
        return value
    if isinstance(value, date):
        return value.isoformat() if dialect == "sqlite" else value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert every row in chunks within the session's transaction; returns the count."""
    dialect = session.get_bind().dialect.name
    conn = session.connection()
    raw = conn.connection.driver_connection
    count = 0
    chunk: list[tuple[Any, ...]] = []

    def send() -> None:
        if dialect == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[union-attr]
                for row in chunk:
                    copy.write_row(row)
        else:  # through SQLAlchemy, so the transaction begins before it (app.database)
            marks = ", ".join("?" for _ in columns)
            conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                 list(chunk))  # fmt: skip
        chunk.clear()

    for row in rows:
        chunk.append(tuple(stored(v, dialect) for v in row))
        count += 1
        if len(chunk) >= CHUNK:
            send()
    if chunk:
        send()
    return count


def next_id(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()) + 1


def reset_sequences(session: Session, tables: Sequence[str]) -> None:
    """After inserting explicit ids on PostgreSQL, move each table's id sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
