"""The live page's first data draws each chart once, over axes already fitted to it.

An officer opens the page before the livestream has a figure: empty charts, whose count axes
step by 1 (a chart of 0 to 4 viewers). The first snapshot then brought 1.700 viewers and 778
likes: each chart was drawn three to five times (a restyle per trace, the empty note's
relayout, then the fits'), every draw but the last still stepping by 1 over 0 to 1.700, some
400 tick labels that Plotly checks each against every other: seconds frozen on a phone
(bench/live_first_data.py). The socket is refused and the snapshot handed to the page's own
handler, so the test knows every message the page had.

A conference's charts draw the expected halls and people as a line: 1.560 people expected beside
8 present first judged the axis by the 8 alone, and stepped by 1 up to the line.
"""

from __future__ import annotations

import pytest

from app.models import Channel
from tests.app.alerts.test_engine import conference
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

CHARTS = ("chart-viewers", "chart-reactions", "chart-comments")
WATCH = """(ids) => {
  window.__draws = {}; window.__labels = 0;
  ids.forEach((id) => {
    const gd = document.getElementById(id);
    window.__draws[id] = 0;
    gd.on("plotly_afterplot", () => {
      window.__draws[id] += 1;
      window.__labels = Math.max(window.__labels, gd.querySelectorAll(".xtick, .ytick").length);
    });
  });
}"""
SNAPSHOT = """(msg) => {
  msg.summary = Object.assign({}, window.lantoaLive.state.summary, msg.summary);
  window.lantoaLive.socket.listeners("snapshot")[0](msg);
}"""
SETTLED = """(ids) => document.body.hasAttribute("data-charts-settled")
  && ids.every((id) => document.getElementById(id).hasAttribute("data-fitted"))"""
READ = """(ids) => ({draws: window.__draws, labels: window.__labels,
  axes: ids.map((id) => { const l = document.getElementById(id).layout;
                          return [l.yaxis.dtick === undefined ? null : l.yaxis.dtick,
                                  !!(l.annotations && l.annotations.length)]; }),
  star: document.getElementById("chart-viewers").data[1].text})"""


def open_empty(page, base: str, event_id: int, charts: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """The event's live page, its socket refused, once its empty charts are drawn and fitted."""
    page.route("**/socket.io/**", lambda route: route.abort())  # only the test's snapshot
    page.goto(f"{base}/events/{event_id}/live")
    page.wait_for_function(SETTLED, arg=list(charts))
    page.evaluate(WATCH, list(charts))


def snapshot(event_id: int) -> dict:
    """An hour and a half of a livestream, up to 1.700 viewers, 778 likes, comments each minute."""
    viewers = [
        [f"2026-12-07T{1 + m // 60:02d}:{m % 60:02d}:00Z", min(1700, 20 * m)] for m in range(90)
    ]
    minutes = [[f"2026-12-07T01:{m:02d}:00Z", 1 + m % 7] for m in range(0, 60, 2)]
    reactions = {"like": 778, "love": 120, "care": 9, "haha": 4, "wow": 2, "sad": 0, "angry": 1}
    return {"event_id": event_id, "seq": 1, "epoch": "e", "comments": [],
            "summary": {"reactions": {**reactions, "total": sum(reactions.values())}},
            "series": {"viewers": viewers, "comments_per_minute": minutes}}  # fmt: skip


def test_the_first_data_draws_each_chart_once(live_server: str, browser, make: Factory) -> None:
    event = make.event(HOME, title="Livestream tư vấn BHXH tự nguyện", channel=Channel.LIVESTREAM)
    make.target(event, make.account())  # tracked: a live page to show
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, make.user("officer", HOME).email)
    open_empty(page, live_server, event.id, CHARTS)

    page.evaluate(SNAPSHOT, snapshot(event.id))
    page.wait_for_function(SETTLED, arg=list(CHARTS))
    shown = page.evaluate(READ, list(CHARTS))

    assert shown["draws"] == dict.fromkeys(CHARTS, 1), shown
    assert shown["labels"] < 40, shown  # Plotly's own steps: not one label per viewer
    # As the fits after the draw would leave them: Plotly's steps on the two count axes in the
    # hundreds, steps of 1 on the comments (1 to 7 a minute); no "no data yet" note left.
    assert shown["axes"] == [[None, False], [None, False], [1, False]], shown
    assert shown["star"] == ["Đỉnh: 1.700"], shown
    assert errors == []
    page.close()


def test_a_conference_axis_holds_its_expected_line_from_the_first_draw(
    live_server: str, browser, make: Factory
) -> None:
    event, _, _ = conference(make, halls=39)  # 40 people expected in each: 1.560
    charts = ("chart-halls", "chart-people")
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, make.user("officer", HOME).email)
    open_empty(page, live_server, event.id, charts)

    halls = [["2026-12-07T01:58:00Z", 2, 8], ["2026-12-07T01:59:00Z", 3, 9]]
    page.evaluate(SNAPSHOT, {"event_id": event.id, "seq": 1, "epoch": "e", "comments": [],
                             "summary": {}, "series": {"halls": halls}})  # fmt: skip
    page.wait_for_function(SETTLED, arg=list(charts))
    shown = page.evaluate(
        """(ids) => ({draws: window.__draws, labels: window.__labels,
          steps: ids.map((id) => document.getElementById(id).layout.yaxis.dtick || null),
          tops: ids.map((id) => document.getElementById(id)._fullLayout.yaxis.range[1] > 39)})""",
        list(charts),
    )
    assert shown["draws"] == dict.fromkeys(charts, 1), shown
    assert shown["labels"] < 40, shown  # not a label for each of 1.560 people
    assert shown["steps"] == [None, None], shown  # Plotly's own steps up to the line
    assert shown["tops"] == [True, True], shown  # the expected line is on the chart
    assert errors == []
    page.close()
