"""Seeded province-years kept between bench runs: seeding 5 M samples and 5 M comments takes
many minutes, copying the seeded database seconds.

An entry is keyed by backend, scale, seed, a hash of the code that writes the data (the tree's
``app/seed`` and rollup builder) and the migration it was seeded at. A tree restores the entry
nearest its head on its own chain of migrations, then upgrades it to its head, so a new
migration runs on the full data as it would in production. SQLite entries are database files in
the cache folder; PostgreSQL entries are template databases (``lantoa_seed_…``) copied with
``STRATEGY FILE_COPY``; each has a JSON file of its seeding figures in the folder. To start over,
delete the folder and drop the ``lantoa_seed_…`` databases.

The province-year is seeded for the moment of the run (the hour it starts): the seed leaves the
events after it planned and empty, as a real office's, and the reports read at the clock. An entry
is kept for the Vietnam day it was seeded on. Every tree is seeded by this tree's
``app/seed/province_year.py`` (loaded by path, run against the measured tree's models), so a
reference revision gets the same data; one whose models it does not fit seeds with its own.

Loaded by path from ``bench/reports.py``'s child, which imports the app of the tree it measures
(perhaps an older revision without this file).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

SEED = 1
# The seed every tree is seeded with: this tree's (bench/ is beside app/).
SEED_FILE = Path(__file__).resolve().parent.parent / "app" / "seed" / "province_year.py"
# The moment seeded for: the start of the hour the run began, in UTC (the parent's, so that both
# trees of a run are seeded for the same one).
MOMENT = datetime.fromisoformat(
    os.environ.get("LANTOA_BENCH_MOMENT")
    or datetime.now(UTC).replace(minute=0, second=0, microsecond=0).isoformat()
)
DATA_CODE = ("app/seed/province_year.py", "app/seed/bulk.py", "app/reports/rollups/build.py",
             "app/reports/rollups/full_build.py",
             "app/reports/rollups/people_cells.py")  # fmt: skip


@dataclass(frozen=True)
class SeedCache:
    folder: Path
    tree: Path
    database: str
    scale: float

    def digest(self) -> str:
        h = hashlib.sha256()
        for name in DATA_CODE:
            path = SEED_FILE if name == DATA_CODE[0] else self.tree / name
            h.update(path.read_bytes() if path.exists() else b"-")
        return h.hexdigest()[:10]

    def chain(self) -> list[str]:
        """The tree's migrations from its head down."""
        from alembic.script import ScriptDirectory

        return [r.revision for r in ScriptDirectory(str(self.tree / "migrations")).walk_revisions()]

    def name(self, revision: str) -> str:
        scale = f"{self.scale:g}".replace(".", "_")
        day = f"{MOMENT.astimezone(_vn()):%Y%m%d}"
        name = f"lantoa_seed_{self.database[:2]}_{scale}_{SEED}_{day}_{self.digest()}_{revision}"
        return name[:63]  # PostgreSQL's longest name

    def info_file(self, revision: str) -> Path:
        return self.folder / f"{self.name(revision)}.json"

    def find(self, admin: sa.Engine | None) -> tuple[str, dict[str, Any]] | None:
        """The entry nearest the tree's head, and its seeding figures."""
        for revision in self.chain():
            info = self.info_file(revision)
            if not info.exists():
                continue
            if admin is None:
                found = (self.folder / f"{self.name(revision)}.sqlite3").exists()
            else:
                with admin.connect() as conn:
                    found = conn.scalar(
                        sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                        {"n": self.name(revision)},
                    )
            if found:
                return revision, json.loads(info.read_text())
        return None

    def store(self, revision: str, source: str, admin: sa.Engine | None, info: dict) -> None:
        """Keep the seeded database (a SQLite file path, or a PostgreSQL database name)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = self.name(revision)
        if admin is None:
            partial = self.folder / f"{name}.partial"
            with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
                src.backup(dst)
            partial.replace(self.folder / f"{name}.sqlite3")
        else:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
                conn.execute(
                    sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY FILE_COPY')
                )
        self.info_file(revision).write_text(json.dumps(info))


@contextmanager
def seeded_app(
    tree: Path, database: str, scale: float, folder: Path | None
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """An app on a fresh copy of the seeded province-year (seeded now if not cached), its
    rollups built, migrated to the tree's head; with the seeding figures."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.orgunits import load_units, read_package_units

    try:
        from app.reports.rollups.full_build import rebuild
    except ImportError:  # a reference tree from before the full build had its own module
        from app.reports.rollups.build import rebuild  # type: ignore[attr-defined,no-redef]
    from bench._setup import DATA_KEY, POSTGRES_URL

    cache = SeedCache(folder, tree, database, scale) if folder is not None else None
    tmp = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    admin = None
    name = ""
    if database != "sqlite":
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    hit = cache.find(admin) if cache is not None else None
    try:
        if admin is None:
            path = tmp / "bench.sqlite3"
            if hit is not None and cache is not None:
                shutil.copyfile(cache.folder / f"{cache.name(hit[0])}.sqlite3", path)
            url = f"sqlite:///{path}"
        else:
            name = f"lantoa_bench_{uuid.uuid4().hex[:8]}"
            template = ""
            if hit is not None and cache is not None:
                template = f' TEMPLATE "{cache.name(hit[0])}" STRATEGY FILE_COPY'
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"{template}'))
            url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
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
        with app.app_context():
            upgrade()
            if hit is not None:
                info = {**hit[1], "cached": hit[0]}
                if admin is not None and cache is not None and hit[0] != cache.chain()[0]:
                    _vacuum()  # what autovacuum soon does after a migration rewrote rows
            else:
                load_units(db.session, read_package_units(["40"]), "bench")
                seed, which = _seed_module()
                sizes = seed.Sizes().scaled(scale)
                started = time.perf_counter()
                try:
                    out = seed.seed_province_year(sizes, seed=SEED, now=MOMENT)
                    which += f", for {MOMENT:%d/%m/%Y %H:%M} UTC"
                except TypeError:  # an old seed: every event of the year held and filled
                    out = seed.seed_province_year(sizes, seed=SEED)
                    which += ", every event held (no moment)"
                db.session.commit()
                seeded = time.perf_counter() - started
                started = time.perf_counter()
                rebuild()
                db.session.commit()
                if admin is not None:
                    _vacuum()
                info = {"rows": sum(out.counts.values()), "seeded": seeded,
                        "rollup": time.perf_counter() - started, "sizes": str(sizes),
                        "province_code": out.province_code, "seed": which}  # fmt: skip
                if cache is not None:
                    db.session.remove()
                    db.engine.dispose()
                    source = str(path) if admin is None else name
                    cache.store(cache.chain()[0], source, admin, info)
            yield app, info
            db.session.remove()
            db.engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


def _vn() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Ho_Chi_Minh")


def _seed_module() -> tuple[Any, str]:
    """This tree's seed run against the measured tree's app, or the tree's own if it does not
    fit (an older schema); with which was used."""
    import importlib.util
    import sys

    try:
        spec = importlib.util.spec_from_file_location("bench_province_year", SEED_FILE)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_province_year"] = module  # for its dataclasses
        spec.loader.exec_module(module)
        return module, "seed of the bench's tree"
    except ImportError:
        import app.seed.province_year as own

        return own, "the tree's own seed"


def _vacuum() -> None:
    """As autovacuum leaves a loaded table: statistics, and a visibility map that lets
    PostgreSQL read an index alone."""
    from app.extensions import db

    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("VACUUM ANALYZE")
