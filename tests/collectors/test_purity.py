"""Collectors import neither Flask nor the database: they run in a bare interpreter, and their
tests reach the loopback fakes in ``sandbox`` without importing the Flask application."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path


def test_collectors_import_without_flask_or_sqlalchemy() -> None:
    code = (
        "import sys, collectors, collectors.facebook, collectors.youtube, collectors.zoom,"
        "collectors.teams, collectors.meet, collectors.bbb, collectors.zalo;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'app'});"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_collector_tests_reach_the_fakes_without_the_flask_application() -> None:
    """The collector tests and their fixtures import ``sandbox``, never ``app``."""
    importers = {}
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name == "app" or name.startswith("app.") for name in names):
                importers[path.name] = names
    assert importers == {}
