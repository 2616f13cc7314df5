"""The migrations build the schema from nothing, and the models and the migrations agree."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from app.extensions import db
from app.models import Base


def drift(connection: sa.Connection, metadata: sa.MetaData) -> list:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_as_batch": True}
    )
    return compare_metadata(context, metadata)


def test_upgrade_builds_every_table(app: Flask) -> None:
    tables = set(sa.inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(app: Flask) -> None:
    with db.engine.connect() as conn:
        assert drift(conn, Base.metadata) == []


def test_drift_check_notices_a_missing_column(app: Flask) -> None:
    """The check above would fail if a model gained a column without a migration."""
    changed = sa.MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["events"].append_column(sa.Column("forgotten", sa.Integer))
    with db.engine.connect() as conn:
        diffs = drift(conn, changed)
    assert any(d[0] == "add_column" and d[3].name == "forgotten" for d in diffs)
