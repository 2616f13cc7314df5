"""Insert-or-update on natural keys, the same call on SQLite and PostgreSQL.

Both dialects speak ``INSERT … ON CONFLICT (…) DO UPDATE``; SQLAlchemy exposes it per dialect, so
this module picks the right ``insert`` and nothing else in the app needs to know the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str] = (),
    add: Sequence[str] = (),
    returning: Sequence[str] = (),
    keep_where: ColumnElement[bool] | None = None,
) -> list[Row[Any]]:
    """Insert ``rows``; on a key conflict overwrite ``update`` columns and add the new values to
    the ``add`` columns (counters), or leave the row alone when neither is given.

    A stored row for which ``keep_where`` holds keeps its ``update`` columns as they are (an
    erased comment read again must not get its text back) and still comes back in ``returning``.

    With ``returning``, those columns of every row inserted or updated come back (in no particular
    order: match them on the keys); a row left alone does not.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:
        raise NotImplementedError(f"upsert is not written for {dialect}")
    stmt = module.insert(table)
    if update or add:
        set_: dict[str, Any] = {
            c: stmt.excluded[c]
            if keep_where is None
            else case((keep_where, table.c[c]), else_=stmt.excluded[c])
            for c in update
        }
        set_.update({c: table.c[c] + stmt.excluded[c] for c in add})
        stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_=set_)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    if returning:
        stmt = stmt.returning(*(table.c[c] for c in returning))
    # One statement with the rows as parameters: compiled once and cached, sent as an
    # executemany (batched "insertmanyvalues" on both drivers, RETURNING included).
    result = session.execute(stmt, list(rows))
    return list(result.all()) if returning else []
