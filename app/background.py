"""Background services of a serving process: the demo, its sandbox and the embedded scheduler.

The scheduler's jobs (app.collection.scheduler.JOBS) collect from the platforms, build the report
files and, once a day, erase the personal data past its retention (app.followup.retention); with
``COLLECTOR_MODE=off`` the separate ``flask collect run`` process runs the same jobs.

They start only in a process that serves requests (``flask run``, gunicorn), never when the app is
built for a CLI command such as ``flask db upgrade`` or ``flask collect run`` — the latter runs its
own scheduler, and two schedulers must never share the tables.
"""

from __future__ import annotations

import click
from flask import Flask


def serving() -> bool:
    """True under a WSGI server or ``flask run``; False for every other ``flask`` command."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return True
    return ctx.command_path.split()[1:] == ["run"]


def start(app: Flask) -> None:
    if app.testing or not serving():
        return
    from app.demo.welcome import load_and_welcome

    load_and_welcome(app)  # before the sandbox: it registers its accounts under the demo admin
    if app.config.get("SANDBOX"):
        from app.demo import start_demo_sandbox

        start_demo_sandbox(app)
    from app.collection.scheduler import init_scheduler

    init_scheduler(app)
