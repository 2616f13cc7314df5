"""Driving the live page in Chromium: log in, read its counters, play the sandbox under it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.collection import runner
from app.extensions import db
from app.models import Event, EventStatus, Target
from app.realtime import publish
from sandbox import ManualClock, Sandbox, Scenario
from tests.app.live.webserver import wait_for
from tests.conftest import PASSWORD, Factory

SUMMARY_KEYS = ("live_viewers", "peak_viewers", "views", "comments", "shares", "leads")


@pytest.fixture(name="sandbox")
def short_live() -> Iterator[Sandbox]:
    """The ``sandbox`` of a module that imports this: a 10-minute live of 60 comments and 20 chat
    messages (the collection tests' is 15 minutes of 80 and 60), enough for the page to show
    leads and the Page's replies while a test plays it through in a few runs."""
    scenario = Scenario(comment_count=60, chat_count=20, duration=600, start_offset=30)
    with Sandbox.start(scenario=scenario, clock=ManualClock()) as sb:
        yield sb


def tracked(make: Factory, *args: Any, **kw: Any) -> Event:
    """An event (``make.event``'s arguments) followed on a platform: a livestream with nothing
    tracked has no live page to show (tests/app/live/test_untracked.py)."""
    event = make.event(*args, **kw)
    make.target(event, make.account(event.org_unit.code, name=f"Fanpage {event.id}"),
                external_id=f"v{event.id}")  # fmt: skip
    return event


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


def open_live(page, base: str, event_id: int, query: str = "") -> None:  # type: ignore[no-untyped-def]
    """The event's live page (``?wall=1``: the projector), once its first snapshot is shown."""
    page.goto(f"{base}/events/{event_id}/live{query}")
    wait_for(lambda: seq(page) is not None, what="first snapshot")


def open_live_tab(  # type: ignore[no-untyped-def]
    browser, base: str, email: str, event_id: int, query: str = "", **options: Any
) -> tuple[Any, list[str]]:
    """A new tab (``options``: ``new_page``'s, e.g. the viewport) logged in as ``email`` on the
    event's live page, once its first snapshot is shown, and the script errors it raises."""
    page = browser.new_page(**options)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, base, email)
    open_live(page, base, event_id, query)
    return page, errors


def open_page_and_wall(  # type: ignore[no-untyped-def]
    browser, base: str, email: str, event_id: int, viewport: dict[str, int]
) -> dict[str, tuple[Any, list[str]]]:
    """The event's live page and its projector, each in a tab of its own (``open_live_tab``):
    ``{"page": (page, errors), "wall": (page, errors)}``."""
    return {
        name: open_live_tab(browser, base, email, event_id, query, viewport=viewport)
        for name, query in (("page", ""), ("wall", "?wall=1"))
    }


def move_event(
    event_id: int,
    status: EventStatus,
    *,
    target_id: int | None = None,
    target_status: str | None = None,
    **times: datetime,
) -> None:
    """What the collector does when a live starts or ends under open pages: the event (its
    ``actual_start`` / ``actual_end`` in ``times``) and its target change, are committed, and the
    ``status`` delta goes out through Redis."""
    event = db.session.get(Event, event_id)
    assert event is not None
    event.status = status
    for column, value in times.items():
        setattr(event, column, value)
    if target_id is not None:
        target = db.session.get(Target, target_id)
        assert target is not None
        target.status = target_status
    db.session.commit()
    publish(event_id, "status")


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
