"""The rollups' session listeners: installed by ``create_app`` on the app's session class only.

Importing the reports installs nothing (checked in a fresh interpreter, where no app was built);
that the rollups follow the writes of an app built by ``create_app`` is what test_rollups shows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.reports.rollups.listeners import HOOKS

ROOT = Path(__file__).resolve().parents[4]

# Every module of app.reports imported, then the session listeners counted per event name on a
# plain SQLAlchemy session and on a session of the app's sessionmaker.
COUNT_AFTER_IMPORT = """
import importlib, json, pkgutil
import app.reports
for module in pkgutil.walk_packages(app.reports.__path__, "app.reports."):
    importlib.import_module(module.name)
from sqlalchemy.orm import Session, SessionEvents
from app.extensions import db
names = [n for n in dir(SessionEvents) if not n.startswith("_")]
counts = {}
for kind, session in (("sqlalchemy", Session()), ("app", db.session.session_factory())):
    for name in names:
        listeners = getattr(session.dispatch, name, None)
        if listeners is not None and len(listeners):
            counts[f"{kind}.{name}"] = len(listeners)
print(json.dumps(counts))
"""


def test_importing_the_reports_installs_no_listener() -> None:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_AFTER_IMPORT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {}


def test_create_app_installs_them_on_the_app_session_class(app) -> None:
    for name, fn in HOOKS:
        assert event.contains(AppSession, name, fn), name
        assert not event.contains(Session, name, fn), name
        assert fn in list(getattr(db.session().dispatch, name)), name
        assert fn not in list(getattr(Session().dispatch, name)), name
