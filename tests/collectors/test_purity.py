"""Collectors import neither Flask nor the database: they run in a bare interpreter."""

from __future__ import annotations

import subprocess
import sys


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
