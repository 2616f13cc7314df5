"""The live page and the ``/live`` socket across a Redis restart, on a Redis of the test's own.

The web process and the test process (whose runner publishes, as the collector process does) share
``SOCKETIO_MESSAGE_QUEUE`` on a ``redis-server`` started for the test on a free loopback port, never
the shared one. Stopping and starting it empties it, as a restart without persistence does: the
sequence starts again at 1. What is checked, in headless Chromium and with a Socket.IO client:

- the page's numbers keep following the live after Redis restarts (the new epoch makes it resync),
  and after the number steps back within one epoch (a Redis restored from an older dump);
- while Redis is down, ``join`` answers at once with status 503 and a Vietnamese message, the page
  shows that message, and it recovers by itself, without a reload, once Redis is back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import socketio
from flask import Flask

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Target
from app.realtime import NAMESPACE
from app.realtime.sequence import KEY
from tests.app.live.pages import SUMMARY_KEYS, counter, log_in, play, seq
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import Factory, committing_app
from tests.servers import RedisServer

# Committing (this module's own app fixture): a separate web process reads the rows.
pytestmark = pytest.mark.committing

CHANNEL = "lantoa-restart-test"


@pytest.fixture
def app(database_url: str, tmp_path: Path, own_redis: RedisServer) -> Iterator[Flask]:
    """This module's app publishes through the test's own Redis, as the collector process does."""
    yield from committing_app(
        database_url,
        tmp_path / "instance",
        SOCKETIO_MESSAGE_QUEUE=own_redis.url,
        SOCKETIO_CHANNEL=CHANNEL,
    )


def listening(server: RedisServer) -> bool:
    """The web process is subscribed to the queue (again): what is published now reaches it."""
    try:
        counts = dict(redis.Redis.from_url(server.url).pubsub_numsub(CHANNEL))
    except redis.ConnectionError:
        return False
    return counts.get(CHANNEL.encode(), 0) >= 1


def api_summary(page: Any, web: WebProcess, event_id: int) -> dict[str, Any]:
    return page.request.get(f"{web.url}/api/v1/events/{event_id}/summary").json()


def shows(page: Any, summary: dict[str, Any]) -> bool:
    return all(counter(page, key) == summary[key] for key in SUMMARY_KEYS)


def caught_up(page: Any, web: WebProcess, sandbox: Any, event_id: int) -> None:
    """The page shows the live's numbers again, as the live goes on after a Redis restart.

    Pub/sub keeps nothing: a delta published while the web process was still getting back on the
    queue reaches no page (``listening`` sees the subscription before its reader runs), so on a
    busy machine the first deltas after the restart may be lost. The next delta's new epoch makes
    the page resync; a live keeps sending them, so the test plays on until one gets through (at
    most a minute of the live), and then the page must show the API's numbers."""
    for _ in range(6):
        try:
            wait_for(lambda: shows(page, api_summary(page, web, event_id)), seconds=5.0)
            return
        except AssertionError:
            play(sandbox, 10)
    wait_for(
        lambda: shows(page, api_summary(page, web, event_id)),
        what="the page's numbers after the restart",
    )


def epoch(page: Any) -> str | None:
    return page.evaluate("window.lantoaLive.state.epoch")


def connection(page: Any) -> str:
    """live | connecting | reconnecting | resyncing | unavailable | refused (live.js)."""
    return page.evaluate("window.lantoaLive.state.connection")


def open_live_page(browser: Any, web: WebProcess, user: Any, event_id: int) -> tuple[Any, list]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, web.url, user.email)
    page.goto(f"{web.url}/events/{event_id}/live")
    return page, errors


def test_the_page_follows_the_live_after_redis_restarts(
    app: Flask,
    own_redis: RedisServer,
    web: WebProcess,
    browser: Any,
    make: Factory,
    fb_target: Target,
    sandbox: Any,
) -> None:
    page, errors = open_live_page(browser, web, make.user("officer"), fb_target.event_id)
    wait_for(lambda: seq(page) is not None, what="first snapshot")
    wait_for(lambda: listening(own_redis), what="the web process on the queue")
    play(sandbox, 240)
    wait_for(lambda: (seq(page) or 0) >= 10, what="deltas applied before the restart")
    before = api_summary(page, web, fb_target.event_id)
    wait_for(lambda: shows(page, before), what="the page shows the totals before the restart")
    first_epoch = epoch(page)

    # Redis restarts empty: the numbers start again at 1, far below the page's.
    own_redis.stop()
    own_redis.start()
    wait_for(lambda: listening(own_redis), what="the web process back on the queue")
    play(sandbox, 60)
    after = api_summary(page, web, fb_target.event_id)
    assert after != before  # the live moved on: frozen numbers would show
    caught_up(page, web, sandbox, fb_target.event_id)
    assert epoch(page) != first_epoch
    assert connection(page) == "live"

    # A Redis restored from an older dump: same epoch, a number already seen. The page resyncs.
    key = KEY.format(event_id=fb_target.event_id)
    client = redis.Redis.from_url(own_redis.url)
    assert client.hget(key, "epoch").decode() == epoch(page)
    client.hset(key, "n", 1)
    play(sandbox, 60)
    latest = api_summary(page, web, fb_target.event_id)
    assert latest != after
    wait_for(lambda: shows(page, latest), what="the page's numbers after the step back")
    assert errors == []


def test_while_redis_is_down_join_says_so_and_the_page_recovers_by_itself(
    app: Flask,
    own_redis: RedisServer,
    web: WebProcess,
    browser: Any,
    make: Factory,
    fb_target: Target,
    sandbox: Any,
) -> None:
    officer = make.user("officer")
    token = issue_token(officer)
    db.session.commit()
    own_redis.stop()

    # A script's join gets an answer, not silence: status 503 and the reason, in Vietnamese.
    client = socketio.Client(reconnection=False)
    client.connect(web.url, namespaces=[NAMESPACE], transports=["websocket"],
                   auth={"token": token}, wait_timeout=10)  # fmt: skip
    try:
        ack = client.call("join", {"event_id": fb_target.event_id}, namespace=NAMESPACE, timeout=10)
    finally:
        client.disconnect()
    assert ack["ok"] is False
    assert ack["status"] == 503
    assert "máy chủ" in ack["error"], ack

    # The page shows that message, with its numbers marked as possibly out of date.
    page, errors = open_live_page(browser, web, officer, fb_target.event_id)
    page.locator("#live-banner.unavailable").wait_for(state="visible", timeout=15000)
    assert page.inner_text("#live-banner") == ack["error"]
    assert page.locator(".counter.stale").count() >= len(SUMMARY_KEYS)

    # Redis comes back: the page joins again by itself and follows the live.
    own_redis.start()
    wait_for(lambda: connection(page) == "live", what="the page joined again by itself")
    wait_for(lambda: listening(own_redis), what="the web process back on the queue")
    play(sandbox, 120)
    summary = api_summary(page, web, fb_target.event_id)
    assert summary["live_viewers"] > 0
    wait_for(lambda: shows(page, summary), what="the page's numbers once Redis is back")
    assert errors == []
