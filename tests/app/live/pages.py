"""Driving the live page in Chromium: log in, read its counters, play the sandbox under it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from app.collection import runner
from app.extensions import db
from sandbox import Sandbox
from tests.conftest import PASSWORD

SUMMARY_KEYS = ("live_viewers", "peak_viewers", "views", "comments", "shares", "leads")


def play(sandbox: Sandbox, seconds: float, step: float = 10.0) -> None:
    """Move the sandbox clock and run what is due through the real runner and publish()."""
    elapsed = 0.0
    while elapsed < seconds:
        sandbox.advance(step)
        elapsed += step
        now = sandbox.scenario.datetime_at(sandbox.clock.now())
        ids = runner.due_target_ids(now)
        db.session.commit()
        runner.run_targets(ids, clock=lambda: sandbox.scenario.datetime_at(sandbox.clock.now()))
        db.session.expire_all()


def log_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/login" not in page.url, page.inner_text("main")


def shots(tmp_path: Path) -> Path:
    """Where a browser test saves its screenshots: ``LANTOA_SCREENSHOTS`` to look at them."""
    folder = Path(os.environ.get("LANTOA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def counter(page, key: str) -> int | None:  # type: ignore[no-untyped-def]
    text = page.inner_text(f'.counter[data-key="{key}"] > .value').split("/")[0]
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else None


def seq(page) -> int | None:  # type: ignore[no-untyped-def]
    value = page.evaluate("document.body.getAttribute('data-seq')")
    return None if value is None else int(value)


def assert_page_shows(page, summary: dict) -> None:  # type: ignore[no-untyped-def]
    for key in SUMMARY_KEYS:
        assert counter(page, key) == summary[key], key
    assert counter(page, "reactions.total") == summary["reactions"]["total"]
