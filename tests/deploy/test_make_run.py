"""`make run` keeps to its own SQLite file, even in a shell where a deployment's settings are
exported ("Scaling out" in the README exports DATABASE_URL): the demo province must never be
loaded into a real database.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.app.live.webserver import wait_for
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_ignores_an_exported_database_url(tmp_path: Path) -> None:
    port, instance = free_port(), tmp_path / "instance"
    env = {
        **os.environ,
        # A deployment's database and queue that this machine does not even have: a demo that
        # used them would fail to migrate, or load the demo province into them.
        "DATABASE_URL": f"postgresql://lantoa@127.0.0.1:{free_port()}/lantoa",
        "SOCKETIO_MESSAGE_QUEUE": f"redis://127.0.0.1:{free_port()}/0",
        "LANTOA_INSTANCE_PATH": str(instance),
        "LANTOA_DEMO": "0",
        "LANTOA_SANDBOX": "0",
    }
    # Not re-installing nor re-compiling: the test's own .venv is ready.
    command = ["make", "-s", "-o", ".venv/.runtime", "-o", "translations", "run", f"PORT={port}"]
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        served = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(
            lambda: served.poll() is not None or _answers(f"http://127.0.0.1:{port}/login"),
            seconds=90,
            what="make run to answer",
        )
        assert served.poll() is None, log.read_text()
        assert (instance / "lantoa.sqlite3").stat().st_size > 0
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGTERM)
        served.wait(timeout=30)
