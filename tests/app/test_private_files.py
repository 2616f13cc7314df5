"""Personal data at rest: the instance folder, SQLite file and WAL are this account's only, and
comment text is ciphertext in the database."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import Comment
from tests.conftest import Factory


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_instance_files_are_private(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": None,
                      "SECRET_KEY": None, "LANTOA_DATA_KEY": None, "TESTING": True,
                      "COLLECTOR_MODE": "off"})  # fmt: skip
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("PRAGMA journal_mode=WAL"))
            conn.execute(sa.text("CREATE TABLE t (x TEXT)"))
            conn.execute(sa.text("INSERT INTO t VALUES ('0912345678')"))
        files = {p.name: _mode(p) for p in instance.iterdir()}
        db.engine.dispose()
    assert _mode(instance) == 0o700
    assert files["lantoa.sqlite3"] == 0o600
    assert files["lantoa.sqlite3-wal"] == 0o600
    assert files["secret_key"] == files["data_key"] == 0o600


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                "INSTANCE_PATH": str(tmp_path / "i"),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})  # fmt: skip
    assert _mode(database) == 0o600


def test_comment_text_is_stored_encrypted(app: Flask, make: Factory) -> None:
    from app.models import Target

    event = make.event()
    target = Target(event_id=event.id, kind="facebook_live", external_id="v1")
    db.session.add(target)
    db.session.flush()
    text = "Số em là 0912 345 678, xóm 3"
    db.session.add(Comment(target_id=target.id, external_id="c1", message=text,
                           created_at=datetime(2026, 11, 20, 12, tzinfo=UTC)))  # fmt: skip
    db.session.flush()
    raw = db.session.execute(sa.text("SELECT message FROM comments")).scalar_one()
    assert b"0912" not in bytes(raw)
    db.session.expire_all()
    assert db.session.scalars(sa.select(Comment.message)).one() == text
