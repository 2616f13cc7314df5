"""One connection per test, an outer transaction rolled back at the end, ``db.session`` inside it.

The app commits as in production; here each session joins the test's connection through a SAVEPOINT
(``join_transaction_mode="create_savepoint"``), so ``commit()`` only releases the savepoint and
``rollback()`` returns to it, and the rollback of the outer transaction undoes the whole test. Every
app context (the test's, each request's, each Socket.IO handler's) gets its own session, all on that
one connection: a test that needs another connection, thread or process to see its rows is marked
``committing`` instead (see tests/conftest.py).

On SQLite this relies on the engine's own settings (app/database.py): pysqlite's implicit
transactions are off and ``BEGIN IMMEDIATE`` opens the transaction before its first write, the first
SAVEPOINT included, so no RELEASE commits for good and the final rollback undoes everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from sqlalchemy import orm


class ConnectionSession(Session):
    """Flask-SQLAlchemy's session, but every query goes to the test's connection.

    Flask-SQLAlchemy's ``get_bind`` picks the app's engine and never looks at the session's bind.
    """

    def get_bind(  # type: ignore[override]
        self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any
    ) -> sa.Engine | sa.Connection:
        return bind if bind is not None else self.bind


@contextmanager
def rolled_back(db: SQLAlchemy, engine: sa.Engine) -> Iterator[sa.Connection]:
    """Bind ``db.session`` to one connection in a transaction that is rolled back on exit."""
    conn = engine.connect()
    outer = conn.begin()
    production = db.session
    factory = orm.sessionmaker(class_=ConnectionSession, db=db, bind=conn, query_cls=db.Query,
                               join_transaction_mode="create_savepoint")  # fmt: skip
    db.session = orm.scoped_session(factory, scopefunc=production.registry.scopefunc)
    try:
        yield conn
    finally:
        db.session.remove()
        db.session = production
        if outer.is_active:
            outer.rollback()
        conn.close()
