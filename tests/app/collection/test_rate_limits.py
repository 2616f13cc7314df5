"""The collector slows down on Meta's usage headers (``X-App-Usage``…) before the platform refuses.

The sandbox's Page budget is set low enough that a poller ignoring the headers is throttled within
the hour; ours stretches its interval as usage climbs and is never refused.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.collection import due
from app.extensions import db
from app.models import Target
from sandbox import FacebookSettings, ManualClock, Sandbox, Scenario
from tests.app.collection.conftest import Player

PAGE_BUDGET = 500  # Graph calls per rolling hour for the page


@pytest.fixture
def tight_sandbox() -> Iterator[Sandbox]:
    scenario = Scenario(comment_count=40, duration=3600, start_offset=10)
    sb = Sandbox.start(
        scenario=scenario,
        clock=ManualClock(),
        facebook=FacebookSettings(page_calls_per_hour=PAGE_BUDGET),
    )
    yield sb
    sb.stop()


def follow_live(app: Flask, make, sandbox: Sandbox) -> tuple[Player, Target, list]:
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=1.0)
    app.extensions.pop("lantoa_http", None)
    creds = sandbox.credentials()
    account = make.account(
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url}
    )
    target = make.target(make.event(), account, external_id=creds["facebook_live_video_id"])
    player = Player(app, sandbox, [])
    results = player.play(3000, step=5)
    return player, target, results


def test_usage_headers_slow_us_down_before_any_refusal(
    app: Flask, make, tight_sandbox: Sandbox
) -> None:
    _, target, results = follow_live(app, make, tight_sandbox)
    assert [r for r in results if r.outcome == "rate_limited"] == []
    account = db.session.get(Target, target.id).account
    assert 60 <= account.rate_limit_usage["usage_pct"] < 100
    polls = _poll_times(tight_sandbox)
    gaps = [b - a for a, b in zip(polls, polls[1:], strict=False)]
    assert max(gaps) >= 2 * min(gaps)  # the interval stretched as usage climbed


def test_a_poller_ignoring_the_headers_is_throttled(
    app: Flask, make, tight_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control experiment: the same live without the slow-down is refused by the platform."""
    monkeypatch.setattr(due, "usage_factor", lambda usage: 1.0)
    _, _, results = follow_live(app, make, tight_sandbox)
    assert [r for r in results if r.outcome == "rate_limited"]


def _poll_times(sandbox: Sandbox) -> list[float]:
    """Scenario times of our polls (each poll is one Graph batch POST)."""
    return [e["t"] for e in sandbox.requests_log if e["method"] == "POST"]
