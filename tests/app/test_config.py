"""Embedded defaults: SQLite under instance/, keys generated once and kept."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app

ROOT = Path(__file__).resolve().parents[2]


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


def test_no_scheduler_is_started_outside_a_serving_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`flask db upgrade` and friends build the app too: they must not start collecting."""
    # Flask's CLI sets FLASK_RUN_FROM_CLI in this process: taken back after the test, or a
    # served app started later (tests.app.live.webserver) would return at once.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")
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


@pytest.mark.parametrize("value", ["abc", "-1"])
def test_a_bad_proxy_hops_is_refused_naming_the_setting(tmp_path: Path, value: str) -> None:
    # Read from the environment as a deployment sets it: the refusal names PROXY_HOPS and what it
    # takes, not int()'s "invalid literal" from deep inside the configuration's import.
    env = {**os.environ, "PROXY_HOPS": value, "LANTOA_INSTANCE_PATH": str(tmp_path)}
    for name in ("DATABASE_URL", "COLLECTOR_MODE", "PUBLIC_BASE_URL"):
        env.pop(name, None)
    started = subprocess.run(
        [sys.executable, "-c", "from app import create_app; create_app()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert started.returncode != 0
    last = started.stderr.strip().splitlines()[-1]
    assert last.startswith("ValueError: PROXY_HOPS must be a whole number")
    assert repr(value) in last


@pytest.mark.parametrize(
    ("name", "value", "accepts"),
    [
        ("DATABASE_POOL_SIZE", "fifteen", "a whole number of connections"),
        ("SMTP_PORT", "587a", "a whole number of a port, 1 to 65535"),
        ("SMTP_PORT", "70000", "a whole number of a port, 1 to 65535"),
        ("COLLECTOR_TICK_SECONDS", "2s", "a number of seconds, above 0"),
        ("IMPORT_MAX_ROWS", "5.000", "a whole number of rows"),
        ("LANTOA_SANDBOX_PORT", "port", "a whole number of a port"),
        ("IDLE_HOURS", "nan", "a number of hours, above 0"),
    ],
)
def test_a_bad_number_is_refused_naming_the_setting(
    tmp_path: Path, name: str, value: str, accepts: str
) -> None:
    # Numbers were converted while app.config was imported: a bad one stopped the start with a
    # bare "invalid literal for int()", naming neither the setting nor what it takes.
    env = {**os.environ, name: value, "LANTOA_INSTANCE_PATH": str(tmp_path)}
    for other in ("DATABASE_URL", "COLLECTOR_MODE", "PUBLIC_BASE_URL"):
        env.pop(other, None)
    started = subprocess.run(
        [sys.executable, "-c", "from app import create_app; create_app()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert started.returncode != 0
    last = started.stderr.strip().splitlines()[-1]
    assert last.startswith(f"ValueError: {name} must be {accepts}")
    assert repr(value) in last
