"""An app on an empty database of its own, for tests that upgrade from an older revision."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from tests.conftest import _config
from tests.servers import empty_postgres


@pytest.fixture
def empty(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database of its own, with no schema yet."""
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
        else:
            url = stack.enter_context(empty_postgres("lantoa_migration"))
        app = create_app(_config(url, tmp_path / "instance"))
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
