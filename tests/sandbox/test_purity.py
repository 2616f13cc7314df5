"""The sandbox imports nothing of the product: its fakes run in a bare interpreter.

Flask and werkzeug are allowed (each fake is a small Flask app served on loopback); the Flask
application in ``app/``, the database and the collectors are not, so the fakes can never drift
towards what they are meant to test.
"""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("app", "collectors", "sqlalchemy")


def test_every_sandbox_module_imports_without_app_or_the_database() -> None:
    code = (
        "import importlib, pkgutil, sys, sandbox\n"
        "names = [m.name for m in pkgutil.walk_packages(sandbox.__path__, 'sandbox.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(len(names), ','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    count, _, bad = result.stdout.strip().partition(" ")
    assert int(count) > 30  # every fake and support module was imported
    assert bad == ""
