"""A gevent web process compiles the join's read and opens its pool before the first join."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.realtime import warm

pytestmark = [pytest.mark.committing, pytest.mark.postgres]


def test_warming_compiles_the_joins_read_and_opens_the_pool(app: Flask) -> None:
    kept: dict[Any, Any] = app.extensions.get("lantoa_prepared", {})
    kept.clear()
    db.engine.dispose()  # a process just started: no connection open
    warm.warm(app)
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        shapes = {key for dialect, key in app.extensions["lantoa_prepared"]
                  if dialect == "postgresql" and key[0] == "viewer.allowed"}  # fmt: skip
        assert len(shapes) == 3  # a token's first join, a token's later ones, a browser's
        assert db.engine.pool.checkedin() == db.engine.pool.size()
    else:  # SQLite runs the lookup through SQLAlchemy and keeps its own pool
        assert warm.fill_pool() == 0


def test_warming_never_waits_for_a_connection_another_greenlet_holds(app: Flask) -> None:
    """A collected batch (or a join) holding one connection and asking for a second must not
    wait for the warm-up, which would wait for theirs: it takes only what is free, at once."""
    postgres = db.engine.dialect.name == "postgresql"  # SQLite's pool is not filled at all
    db.engine.dispose()
    elsewhere = db.engine.raw_connection()  # held by another greenlet meanwhile
    try:
        with ThreadPoolExecutor(1) as pool:
            filled = pool.submit(in_context, app, warm.fill_pool)
            assert filled.result(timeout=5) == (db.engine.pool.size() - 1 if postgres else 0)
        second = db.engine.raw_connection()  # the other's second connection: there at once
        second.close()
    finally:
        elsewhere.close()


def in_context(app: Flask, call: Callable[[], int]) -> int:
    with app.app_context():
        return call()


def test_a_database_away_is_left_to_the_first_join(app: Flask, monkeypatch: Any) -> None:
    def away() -> None:
        raise ConnectionError("database away")

    monkeypatch.setattr(warm, "fill_pool", away)
    warm.warm(app)  # logs, does not raise
