"""Deltas held for their snapshot are drawn once, as one run, in headless Chromium.

A phone back on 3G (or a page joining while updates flow) gets deltas before the snapshot they
follow; the page holds up to 100 and applies them after it. Each one drew again every chart it
touched (the viewers line and its star, the comments per minute, the reactions), the counters,
the targets and the feed: 100 Plotly draws in one go froze a slow phone for seconds just as its
connection came back (bench/live_held.py). Now the snapshot and its held deltas are one run,
each chart drawn once at its end, and the page must read exactly as the same messages applied
one by one: the same points in the same order, the star on the same peak, the same comments in
the same order, none lost or doubled, the same counters.

The socket is refused and the messages are handed to the page's own handlers: one page gets
the deltas first (held), another the snapshot first and then each delta in its own call.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.models import Channel
from tests.app.alerts.test_engine import conference
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

CHARTS = ("chart-viewers", "chart-reactions", "chart-comments")
HELD = 40  # deltas held for the snapshot (the page holds up to 100)
SETTLED = """(ids) => document.body.hasAttribute("data-charts-settled")
  && ids.every((id) => document.getElementById(id).hasAttribute("data-fitted"))"""
# Every Plotly call that draws a chart, counted by chart, and the draws Plotly made.
WATCH = """(ids) => {
  window.__calls = {}; window.__draws = {};
  ids.forEach((id) => {
    window.__calls[id] = 0; window.__draws[id] = 0;
    document.getElementById(id).on("plotly_afterplot", () => { window.__draws[id] += 1; });
  });
  ["newPlot", "react", "update", "restyle", "relayout", "redraw"].forEach((name) => {
    const own = Plotly[name];
    Plotly[name] = function (gd, ...rest) {
      const id = typeof gd === "string" ? gd : gd && gd.id;
      if (id in window.__calls) { window.__calls[id] += 1; }
      return own.call(this, gd, ...rest);
    };
  });
}"""
HAND = """([kind, msgs]) => {
  const handler = window.lantoaLive.socket.listeners(kind)[0];
  msgs.forEach((m) => handler(m));
  return window.lantoaLive.state.seq;
}"""
READ = """() => {
  const data = (id) => document.getElementById(id).data
    .map((t) => ({x: t.x, y: t.y, text: t.text}));
  return {
    viewers: data("chart-viewers"), reactions: data("chart-reactions"),
    comments: data("chart-comments"),
    feed: [...document.querySelectorAll("#feed li")].map((li) => li.dataset.id || li.className),
    counters: [...document.querySelectorAll(".counter .value")].map((n) => n.textContent),
    seq: document.body.getAttribute("data-seq"),
    state: {seq: window.lantoaLive.state.seq, viewers: window.lantoaLive.state.viewers,
            minutes: window.lantoaLive.state.minutes, early: window.lantoaLive.state.early.length},
  };
}"""


def at(minute: int, second: int = 0) -> str:
    """A moment of the livestream, 09:00 in Vietnam plus ``minute`` (UTC, as the server sends)."""
    return f"2026-12-07T02:{minute:02d}:{second:02d}+00:00"


def comment(cid: str, minute: int) -> dict[str, Any]:
    return {"id": cid, "author": f"Người xem {cid}", "platform": "facebook",
            "created_at": at(minute), "text": f"Bình luận {cid}", "is_lead": False}  # fmt: skip


def messages(event_id: int, base: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Snapshot 1 (viewers up to minute 2, two comments) and deltas 2..HELD+1.

    The deltas add a viewers point each, put one between two (a late read) and lower one
    already drawn (the star moves off it), send a comment twice, remove one of theirs and one
    of the snapshot's, patch the reactions and the live viewers, and count comments per minute.
    """
    reactions = {"like": 10, "love": 2, "care": 0, "haha": 0, "wow": 0, "sad": 0, "angry": 0}
    summary = {**base, "live_viewers": 30, "comments": 2, "reactions": {**reactions, "total": 12}}
    snap = {"event_id": event_id, "seq": 1, "epoch": "e", "server_time": at(2),
            "summary": summary, "comments": [comment("s2", 1), comment("s1", 0)],
            "series": {"viewers": [[at(0), 10], [at(1), 20], [at(2), 30]],
                       "comments_per_minute": [[at(0), 1], [at(1), 1]]}}  # fmt: skip
    deltas = []
    for i in range(HELD):
        seq, minute = 2 + i, 3 + i
        viewers = 30 + 7 * i - (i % 5) * 9
        points = [[at(minute), viewers]]
        if i == 10:
            points.append([at(5, 30), 999])  # a late read between minutes 5 and 6: the peak
        if i == 25:
            points.append([at(5, 30), 50])  # read again lower: the star leaves it
        fresh = [comment(f"d{i}", minute)]
        if i == 7:
            fresh.append(comment("d3", 6))  # sent again: shown once
        removed = {12: ["d5"], 8: ["s1"]}.get(i, [])
        like = 10 + 3 * i
        patch = {"live_viewers": viewers, "comments": 2 + i,
                 "reactions": {"like": like, "total": like + 2}}  # fmt: skip
        deltas.append({"event_id": event_id, "seq": seq, "epoch": "e", "server_time": at(minute),
                       "patch": patch, "comments": fresh, "removed": removed,
                       "series": {"viewers": points,
                                  "comments_per_minute": [[at(minute), 1 + i % 3]]}})  # fmt: skip
    return snap, deltas


def open_page(browser, base: str, email: str, event_id: int, charts=CHARTS):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, base, email)
    page.route("**/socket.io/**", lambda route: route.abort())  # only the test's messages
    page.goto(f"{base}/events/{event_id}/live")
    page.wait_for_function(SETTLED, arg=list(charts))
    page.evaluate(WATCH, list(charts))
    return page, errors


def test_held_deltas_draw_each_chart_once_and_read_as_one_by_one(
    live_server: str, browser, make: Factory
) -> None:
    event = make.event(HOME, title="Livestream tư vấn BHXH tự nguyện", channel=Channel.LIVESTREAM)
    make.target(event, make.account())  # tracked: a live page to show
    email = make.user("officer", HOME).email
    held, held_errors = open_page(browser, live_server, email, event.id)
    one_by_one, errors = open_page(browser, live_server, email, event.id)
    snap, deltas = messages(event.id, held.evaluate("window.lantoaLive.state.summary"))

    assert held.evaluate(HAND, ["delta", deltas]) is None  # held: no snapshot yet
    assert held.evaluate(HAND, ["snapshot", [snap]]) == HELD + 1
    one_by_one.evaluate(HAND, ["snapshot", [snap]])
    for delta in deltas:
        one_by_one.evaluate(HAND, ["delta", [delta]])
    for page in (held, one_by_one):
        page.wait_for_function(SETTLED, arg=list(CHARTS))

    calls = held.evaluate("window.__calls")
    draws = held.evaluate("window.__draws")
    assert calls == dict.fromkeys(CHARTS, 1), calls  # the run drew each chart once
    assert draws == dict.fromkeys(CHARTS, 1), draws
    shown, expected = held.evaluate(READ), one_by_one.evaluate(READ)
    assert shown == expected
    assert shown["seq"] == str(HELD + 1)
    line, star = shown["viewers"]
    assert line["x"] == sorted(set(line["x"]))
    assert len(line["x"]) == HELD + 4
    assert star["y"] == [max(line["y"])]
    assert star["text"] == [f"Đỉnh: {max(line['y'])}"]
    ids = [i for i in shown["feed"] if i.startswith(("d", "s"))]
    newest_first = [f"d{i}" for i in reversed(range(HELD)) if i != 5] + ["s2"]
    assert ids == newest_first  # in order, none lost or doubled, the removed ones gone
    assert held_errors == errors == []
    held.close()
    one_by_one.close()


def test_held_deltas_draw_a_conference_s_charts_once(
    live_server: str, browser, make: Factory
) -> None:
    event, _, _ = conference(make, halls=39)
    charts = ("chart-halls", "chart-people")
    email = make.user("officer", HOME).email
    held, held_errors = open_page(browser, live_server, email, event.id, charts)
    one_by_one, errors = open_page(browser, live_server, email, event.id, charts)
    summary = held.evaluate("window.lantoaLive.state.summary")
    snap = {"event_id": event.id, "seq": 1, "epoch": "e", "comments": [], "summary": summary,
            "series": {"halls": [[at(0), 2, 8], [at(1), 3, 9]]}}  # fmt: skip
    points = [[at(2 + i, 0), 3 + i // 2, 9 + 20 * i] for i in range(HELD)]
    points[20] = [at(1), 4, 12]  # a report that came late: minute 1 again, higher
    deltas = [{"event_id": event.id, "seq": 2 + i, "epoch": "e", "series": {"halls": [p]}}
              for i, p in enumerate(points)]  # fmt: skip

    held.evaluate(HAND, ["delta", deltas])
    assert held.evaluate(HAND, ["snapshot", [snap]]) == HELD + 1
    one_by_one.evaluate(HAND, ["snapshot", [snap]])
    for delta in deltas:
        one_by_one.evaluate(HAND, ["delta", [delta]])
    for page in (held, one_by_one):
        page.wait_for_function(SETTLED, arg=list(charts))

    calls = held.evaluate("window.__calls")
    assert calls == dict.fromkeys(charts, 1), calls
    read = """(ids) => ids.map((id) => document.getElementById(id).data[0])
                          .map((t) => ({x: t.x, y: t.y}))"""
    shown = held.evaluate(read, list(charts))
    assert shown == one_by_one.evaluate(read, list(charts))
    assert shown[0]["y"][:2] == [2, 4]
    assert len(shown[0]["x"]) == HELD + 1
    assert held_errors == errors == []
    held.close()
    one_by_one.close()


# The browser's own word that the tab is out of sight, then in sight again.
SIGHT = """(hidden) => {
  Object.defineProperty(document, "hidden", {value: hidden, configurable: true});
  Object.defineProperty(document, "visibilityState",
                        {value: hidden ? "hidden" : "visible", configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_hidden_tab_draws_its_burst_once_when_seen_again(
    live_server: str, browser, make: Factory
) -> None:
    event = make.event(HOME, title="Livestream tư vấn BHXH tự nguyện", channel=Channel.LIVESTREAM)
    make.target(event, make.account())  # tracked: a live page to show
    email = make.user("officer", HOME).email
    hidden, hidden_errors = open_page(browser, live_server, email, event.id)
    one_by_one, errors = open_page(browser, live_server, email, event.id)
    snap, deltas = messages(event.id, hidden.evaluate("window.lantoaLive.state.summary"))

    hidden.evaluate(SIGHT, True)
    for page in (hidden, one_by_one):  # each message in its own task, as the socket hands them
        page.evaluate(HAND, ["snapshot", [snap]])
        for delta in deltas:
            page.evaluate(HAND, ["delta", [delta]])
    assert hidden.evaluate("window.__calls") == dict.fromkeys(CHARTS, 0)  # nothing drawn unseen
    assert hidden.evaluate("window.lantoaLive.state.seq") == HELD + 1
    hidden.evaluate(SIGHT, False)
    for page in (hidden, one_by_one):
        page.wait_for_function(SETTLED, arg=list(CHARTS))

    calls = hidden.evaluate("window.__calls")
    assert calls == dict.fromkeys(CHARTS, 1), calls
    assert hidden.evaluate(READ) == one_by_one.evaluate(READ)
    assert hidden_errors == errors == []
    hidden.close()
    one_by_one.close()
