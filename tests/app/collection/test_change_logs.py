"""The scheduler's log says what changed, not that it ticked (issue 15, point 8).

A live played through the sandbox from before its start to after its end: the runner writes one
INFO line when the target goes live and one when it ends, whatever the number of polls between;
APScheduler's per-run lines ("Running job…", "…executed successfully") are below the level the
app logs at.
"""

from __future__ import annotations

import logging
import time

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from app.collection.scheduler import add_jobs
from app.models import Target
from tests.app.collection.conftest import Player

SCENARIO_END = 30 + 900


def runner_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "app.collection.runner" and r.levelno >= logging.INFO]  # fmt: skip


def test_a_live_logs_its_start_and_its_end_once_each(
    player: Player, fb_target: Target, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    results = player.play(SCENARIO_END + 120, step=5)
    assert len([r for r in results if r.outcome == "ok"]) > 20  # many polls
    lines = runner_lines(caplog)
    name = f"target {fb_target.id} (facebook_live {fb_target.external_id}"
    assert [line for line in lines if line.startswith(name)] == [
        f"{name}, event {fb_target.event_id}) started: live",
        f"{name}, event {fb_target.event_id}) ended: final sweep",
    ]


def test_a_failure_is_logged_and_so_is_the_recovery(
    player: Player, fb_target: Target, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    player.play(60, step=5)
    caplog.clear()
    player.sandbox.fail_next("facebook", "server_error", times=8)  # outlasts in-request retries
    player.play(600, step=5)
    lines = runner_lines(caplog)
    assert " failed 1 time(s) in a row: " in lines[0], lines
    assert " recovered after " in lines[-1], lines
    assert all(" failed " in line for line in lines[1:-1]), lines


def test_the_schedulers_own_lines_stay_out_of_the_log(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # as in production (app._logging's basicConfig)
    app.config["COLLECTOR_TICK_SECONDS"] = 0.05
    scheduler = add_jobs(app, BackgroundScheduler(timezone="UTC"))
    scheduler.start()
    try:
        time.sleep(0.5)
    finally:
        scheduler.shutdown(wait=True)
    # Its per-tick INFO lines; a WARNING (a tick skipped on a busy machine) is worth seeing.
    chatter = [
        r
        for r in caplog.records
        if r.name.startswith("apscheduler") and r.levelno < logging.WARNING
    ]
    assert chatter == []
    assert logging.getLogger("fontTools").level == logging.WARNING  # a PDF's glyph tables
