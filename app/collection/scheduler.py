"""The scheduler: one APScheduler tick over due rows (Redash, Indico), not one job per target.

The schedule lives in our tables (targets' next_run_at, failures, paused_reason), so a restarted
process resumes exactly where the last one stopped and no APScheduler job store is needed. Each
process has its own scheduler (the web process in the embedded default, or ``flask collect run``);
several collector processes share the targets through leased claims (``claims``).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Target, utcnow

log = logging.getLogger(__name__)
TICK_SECONDS = 2
WORKERS = 4


def collection_tick() -> int:
    """Discover new lives, then run every due target; returns how many targets ran.

    Targets are grouped by account (one Graph batch serves an account's lives) and the groups run
    on a small bounded thread pool, so one slow platform does not hold up the others.
    """
    from app.collection.claims import claim_discovery, claim_due
    from app.collection.discovery import DISCOVERY_INTERVAL, discover_account

    now = utcnow()
    for account in claim_discovery(now, DISCOVERY_INTERVAL):
        discover_account(account, now)
    ids = claim_due(now)  # leased to this process: another collector skips them
    if not ids:
        db.session.commit()
        return 0
    accounts = dict(
        db.session.execute(select(Target.id, Target.account_id).where(Target.id.in_(ids))).all()
    )
    db.session.commit()
    groups: dict[int | None, list[int]] = defaultdict(list)
    for target_id in ids:
        groups[accounts.get(target_id)].append(target_id)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # SQLite has one writer at a time: parallel writers would only trip over each other's locks.
    workers = 1 if db.engine.dialect.name == "sqlite" else WORKERS
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="collect") as pool:
        list(pool.map(lambda group: _run_group(app, group), groups.values()))
    return len(ids)


def _run_group(app: Flask, target_ids: list[int]) -> None:
    from app.collection.runner import run_targets

    with app.app_context():
        try:
            run_targets(target_ids)
        except Exception:
            log.exception("collecting targets %s failed", target_ids)
        finally:
            db.session.remove()


def _in_context(app: Flask, job: Callable[[], Any]) -> Callable[[], None]:
    """Every job runs inside an app context and never lets an exception kill the scheduler."""

    def run() -> None:
        with app.app_context():
            try:
                job()
            except Exception:
                log.exception("scheduled job %s failed", job.__name__)
            finally:
                db.session.remove()

    run.__name__ = job.__name__
    return run


def scheduled_reports() -> int:
    """Last week's and last month's report files of each province, once each."""
    from app.reports.schedule import scheduled_reports as build

    return len(build())


def report_rollups() -> int:
    """The report rollups built once on a new install; the writers keep them from then on."""
    from app.reports.rollups.first_build import build_if_never_built

    return build_if_never_built()


def retention_sweep() -> int:
    """Personal data past its retention, erased every day (audited and logged)."""
    from app.followup.retention import run_retention

    sweep = run_retention(utcnow())
    return sweep.people + sweep.leads + sweep.comments + sweep.enrolments


def alerts_tick() -> int:
    """Alert rules evaluated, then owed messages sent: beside collection, never inside it."""
    from app.alerts.engine import evaluate
    from app.alerts.outbox import deliver_due

    now = utcnow()
    evaluate(now)
    return deliver_due(now)


# (job, setting holding its period in seconds)
JOBS: list[tuple[Callable[[], Any], str]] = [
    (collection_tick, "COLLECTOR_TICK_SECONDS"),
    (report_rollups, "REPORTS_TICK_SECONDS"),
    (scheduled_reports, "REPORTS_TICK_SECONDS"),
    (retention_sweep, "RETENTION_TICK_SECONDS"),
    (alerts_tick, "ALERTS_TICK_SECONDS"),
]


def add_jobs(app: Flask, scheduler: BaseScheduler) -> BaseScheduler:
    for job, setting in JOBS:
        scheduler.add_job(
            _in_context(app, job),
            "interval",
            seconds=float(app.config.get(setting, TICK_SECONDS)),
            id=job.__name__,
            coalesce=True,
            max_instances=1,
            next_run_time=utcnow(),
        )
    return scheduler


def embedded_scheduler(app: Flask) -> BaseScheduler:
    """A scheduler in the web server's concurrency: greenlets under gunicorn's gevent worker
    (``SOCKETIO_ASYNC_MODE=gevent``, which patches threads itself), else threads."""
    if app.config.get("SOCKETIO_ASYNC_MODE") == "gevent":
        from apscheduler.schedulers.gevent import GeventScheduler

        return GeventScheduler(timezone="UTC")  # each job in a greenlet of its own
    return BackgroundScheduler(
        timezone="UTC", executors={"default": {"type": "threadpool", "max_workers": WORKERS}}
    )


def init_scheduler(app: Flask) -> BaseScheduler | None:
    """Start the embedded scheduler in the web process (COLLECTOR_MODE=embedded, not testing)."""
    if app.config.get("COLLECTOR_MODE") != "embedded" or app.testing:
        return None
    if "lantoa_scheduler" in app.extensions:
        return app.extensions["lantoa_scheduler"]
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # the reloader's parent process: the child will schedule
    scheduler = embedded_scheduler(app)
    add_jobs(app, scheduler).start()
    app.extensions["lantoa_scheduler"] = scheduler
    log.info("collector scheduler started inside the web process (COLLECTOR_MODE=embedded)")
    return scheduler


def run_blocking(app: Flask) -> None:
    """``flask collect run``: the same jobs in the foreground, for the scale-out mode."""
    scheduler = BlockingScheduler(timezone="UTC")
    add_jobs(app, scheduler)
    log.info("collector running; Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
