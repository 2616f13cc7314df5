"""Shared set-up for benchmarks: a fresh database per backend, migrated, with one province; a
worktree of an earlier revision, measured beside this tree."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATA_KEY = "YmVuY2gtZGF0YS1rZXktMzItYnl0ZXMtbG9uZy4uLi4="


def web_env(app: Flask, queue: str) -> dict[str, str]:
    """The environment of a Lan Tỏa web process serving ``app``'s database behind ``queue``
    (collectors off: the benchmark publishes the updates itself)."""
    return {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "LANTOA_DATA_KEY": DATA_KEY, "SECRET_KEY": "bench",
            "LANTOA_INSTANCE_PATH": str(app.config["INSTANCE_PATH"]),
            "ALLOW_PRIVATE_PLATFORM_URLS": "1", "COLLECTOR_MODE": "off",
            "SOCKETIO_MESSAGE_QUEUE": queue}  # fmt: skip


@contextmanager
def bench_app(backend: str, postgres_url: str = POSTGRES_URL) -> Iterator[Flask]:
    """An app on an empty SQLite file or a throw-away PostgreSQL database, migrated to head."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.orgunits import load_units, read_package_units

    tmp = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    admin = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        name = f"lantoa_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = re.sub(r"/[^/]*$", f"/{name}", postgres_url)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(tmp),
            "SECRET_KEY": "bench",
            "LANTOA_DATA_KEY": DATA_KEY,
            "COLLECTOR_MODE": "off",
            "TESTING": True,
            "COLLECTOR_HTTP_BACKOFF": 0,
        }  # fmt: skip
    )
    try:
        with app.app_context():
            upgrade()
            load_units(db.session, read_package_units(["40"]), "bench")
            db.session.commit()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def reference_tree(rev: str, where: Path) -> Path:
    """A worktree of ``rev`` with its messages compiled, as ``make`` would have them."""
    tree = where / "reference"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    babel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(babel), "-q", "compile", "-d", "app/translations"], cwd=tree,
                   check=True, capture_output=True)  # fmt: skip
    return tree


@contextmanager
def measured_trees(
    rev: str | None, this: str = "this tree", ref: str = "reference"
) -> Iterator[list[tuple[str, Path]]]:
    """The trees a bench measures, labelled: this checkout, and with ``rev`` a worktree of it
    (``reference_tree``, labelled ``f"{ref} {rev}"``) that is removed when the block ends, however
    it ends, so no stale worktree is left registered in the repository."""
    trees = [(this, ROOT)]
    if not rev:
        yield trees
        return
    with tempfile.TemporaryDirectory(prefix="lantoa-reference-") as tmp:
        try:
            trees.append((f"{ref} {rev}", reference_tree(rev, Path(tmp))))
            yield trees
        finally:  # also when its messages failed to compile after the worktree was added
            subprocess.run(["git", "worktree", "remove", "--force", str(Path(tmp) / "reference")],
                           cwd=ROOT, check=False, capture_output=True)  # fmt: skip


def child_result(command: list[str], tree: Path, timeout: float = 3600) -> dict[str, Any]:
    """Run a bench's child process in ``tree``; the JSON of the last ``RESULT`` line it prints
    (a failed run ends the bench with the child's error output)."""
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"the run of {tree} failed: {' '.join(command[2:])}")
    return json.loads(lines[-1][len("RESULT ") :])
