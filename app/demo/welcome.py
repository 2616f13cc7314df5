"""`make run`'s welcome: the demo loaded by the serving process, its log-in printed last.

A newcomer's terminal fills with start-up lines (migrations, the sandbox, the development
server's banner); a password printed before them scrolls away unseen. So ``make run`` asks the
serving process to load the demo (``LANTOA_DEMO``, a province code) and the process prints where
to log in, and with which password when it was just made, once the server answers — after
everything else. A later run, whose password was shown before, says how to get a new one.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.request

import click
from flask import Flask

from app.demo.province import DemoResult, credentials_banner, load
from app.extensions import db

log = logging.getLogger(__name__)
WAIT_SECONDS = 120.0


def load_and_welcome(app: Flask) -> DemoResult | None:
    """Load the demo province named by ``LANTOA_DEMO``; print the log-in once serving."""
    province = str(app.config.get("DEMO_PROVINCE") or "")
    if province in ("", "0"):
        return None
    with app.app_context():
        result = load(db.session, "40" if province == "1" else province)
        db.session.commit()
    host, port = _address()
    url = f"{app.config.get('PUBLIC_BASE_URL') or f'http://{_shown(host)}:{port}'}/login"
    text = credentials_banner(result, url) if result.password else _returning(result, url)
    threading.Thread(target=_print_when_serving, args=(host, port, text), daemon=True,
                     name="demo-welcome").start()  # fmt: skip
    return result


def _returning(result: DemoResult, url: str) -> str:
    return (
        f"\n  Lan Tỏa demo: log in at {url} as {result.email}"
        "\n  (password forgotten? `.venv/bin/flask demo credentials` prints a new one)\n"
    )


def _address() -> tuple[str, int]:
    """Host and port of ``flask run`` (its options), else Flask's defaults."""
    ctx = click.get_current_context(silent=True)
    params = ctx.params if ctx is not None else {}
    return str(params.get("host") or "127.0.0.1"), int(params.get("port") or 5000)


def _shown(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _print_when_serving(host: str, port: int, text: str) -> None:
    """Wait until the server answers (its own start-up lines are out by then), then print."""
    probe = f"http://{_shown(host)}:{port}/favicon.ico"
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(probe, timeout=2):  # noqa: S310 - our own address
                break
        except OSError:
            time.sleep(0.2)
    print(text, flush=True)
