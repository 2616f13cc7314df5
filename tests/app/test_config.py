"""Embedded defaults: SQLite under instance/, keys generated once and kept."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app import create_app


def test_defaults_generate_keys_once_and_use_sqlite(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATABASE_URL", "SECRET_KEY", "LANTOA_DATA_KEY"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    config = {"INSTANCE_PATH": str(instance), "SECRET_KEY": None, "LANTOA_DATA_KEY": None}
    config["TESTING"] = True  # no scheduler threads in the test process
    config["SQLALCHEMY_DATABASE_URI"] = None
    with caplog.at_level(logging.WARNING):
        first = create_app(config)
    assert "SECRET_KEY is not set" in caplog.text
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'lantoa.sqlite3'}"
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    caplog.clear()
    second = create_app(config)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert second.config["LANTOA_DATA_KEY"] == first.config["LANTOA_DATA_KEY"]
    assert "is not set" not in caplog.text


def test_postgres_urls_are_driven_by_psycopg(tmp_path: Path) -> None:
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": "postgres://u@127.0.0.1/x",
            "TESTING": True,
        }
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/x"


def test_unknown_collector_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="COLLECTOR_MODE"):
        create_app({"INSTANCE_PATH": str(tmp_path), "COLLECTOR_MODE": "sometimes", "TESTING": True})


def test_no_scheduler_is_started_outside_a_serving_process(tmp_path: Path) -> None:
    """`flask db upgrade` and friends build the app too: they must not start collecting."""
    from click.testing import CliRunner
    from flask.cli import FlaskGroup

    started = []

    def make_app():  # type: ignore[no-untyped-def]
        app = create_app({"INSTANCE_PATH": str(tmp_path), "COLLECTOR_MODE": "embedded"})
        started.append("lantoa_scheduler" in app.extensions)
        return app

    cli = FlaskGroup(create_app=make_app)
    result = CliRunner().invoke(cli, ["routes"])
    assert result.exit_code == 0, result.output
    assert started == [False]
