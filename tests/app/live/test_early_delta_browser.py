"""A delta that arrives before the snapshot it follows, in headless Chromium.

The snapshot comes straight from the web process, deltas through the message queue, so on
joining or while a resync is answered a delta can come first. The page holds it and applies it
after the snapshot when it is numbered after it; dropped, a comment removed or a minute's count
it carried stayed wrong on the page until another delta touched them (a "comments per minute" bar
higher live than after a reload). The socket is refused and the messages are handed to the
page's own handlers, in the order under test.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

MINUTE = "2026-12-07T03:05:00+00:00"  # 10:05 in Vietnam
HAND = """([kind, msg]) => {
  const live = window.lantoaLive;
  live.socket.listeners(kind).forEach((f) => f(msg));
  return {seq: live.state.seq, resyncing: live.state.resyncing,
          minutes: Object.values(live.state.minutes)};
}"""


def message(event_id: int, seq: int, minute_count: int, epoch: str = "e1") -> dict[str, Any]:
    """A delta (or with ``summary``, a snapshot) of one minute's comment count."""
    series = {"viewers": [], "comments_per_minute": [[MINUTE, minute_count]]}
    return {"event_id": event_id, "seq": seq, "epoch": epoch, "server_time": MINUTE,
            "comments": [], "series": series}  # fmt: skip


def snapshot(page: Any, event_id: int, seq: int, minute_count: int) -> dict[str, Any]:
    return {**message(event_id, seq, minute_count),
            "summary": page.evaluate("window.lantoaLive.state.summary")}  # fmt: skip


def test_a_delta_ahead_of_its_snapshot_is_applied_after_it(
    live_server: str, browser, make: Factory
) -> None:
    event = make.event(HOME, title="Livestream tư vấn BHXH tự nguyện")
    make.target(event, make.account())  # tracked: a live page to show
    officer = make.user("officer", HOME)
    db.session.commit()
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, officer.email)
    page.route("**/socket.io/**", lambda route: route.abort())  # only the test's messages
    page.goto(f"{live_server}/events/{event.id}/live")
    page.wait_for_function("window.lantoaLive && window.lantoaLive.state")

    # Joining: delta 8 (a comment of 10:05 removed: 4 left) comes before snapshot 7 (5 then).
    early = page.evaluate(HAND, ["delta", message(event.id, 8, 4)])
    assert early["seq"] is None  # held, not applied: there is nothing to apply it to yet
    stale = page.evaluate(HAND, ["delta", message(event.id, 7, 9)])  # the snapshot's own number
    other = page.evaluate(HAND, ["delta", message(event.id, 9, 9, epoch="e0")])  # a Redis before
    assert stale["seq"] is None
    assert other["seq"] is None
    after = page.evaluate(HAND, ["snapshot", snapshot(page, event.id, 7, 5)])
    assert after["seq"] == 8, after
    assert after["minutes"] == [4]  # the removal stands, not the snapshot's 5

    # A gap (10 after 8) asks for the whole state; 11 and the gap's own 10 arrive before it.
    page.evaluate(HAND, ["delta", message(event.id, 10, 6)])
    gap = page.evaluate(HAND, ["delta", message(event.id, 11, 3)])
    assert gap["resyncing"] is True
    assert gap["seq"] == 8
    after = page.evaluate(HAND, ["snapshot", snapshot(page, event.id, 9, 7)])
    assert after == {"seq": 11, "resyncing": False, "minutes": [3]}, after
    assert errors == []
