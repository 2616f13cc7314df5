"""The viewers chart's peak star sits on the step that reaches the peak, after live updates.

A snapshot hands the chart its series and deltas grow it. The snapshot's arrays were handed to
Plotly as they were, so the next point was added twice (once to the page's own series, once by
Plotly to the same array): the line then held points the star's series did not, in the same
order or not. Each point is drawn once now, and the star is on the first point of the peak.

The test took 36 s (219 s on a loaded machine), its script's own time: each delta drew the chart
twice (the line, then the star) with the empty chart's steps of 1 still on its count axis, 461
tick labels that Plotly checks each against every other (``_adjustTickLabelsOverflow``: 5 million
attribute reads a draw). A phone did the same on a live page's first data; the page draws each
delta once, over axes fitted to it (charts.js ``redraw``), and the test takes 3 s.
"""

from __future__ import annotations

import pytest

from app.models import Channel
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

FEED = """([id, points]) => {
  const s = window.lantoaLive.socket;
  s.disconnect();  // only these messages
  const snapshot = s.listeners("snapshot")[0], delta = s.listeners("delta")[0];
  const summary = window.lantoaLive.state.summary || {};
  snapshot({event_id: id, seq: 1, epoch: "e", summary: summary, comments: [],
            series: {viewers: points.slice(0, 2), comments_per_minute: []}});
  points.slice(2).forEach((p, i) => delta({event_id: id, seq: 2 + i, epoch: "e",
                                           series: {viewers: [p]}}));
  const t = document.getElementById("chart-viewers").data;
  return {x: t[0].x, y: t[0].y, star: [t[1].x[0], t[1].y[0]]};
}"""


def test_the_star_is_on_the_peak_after_live_updates(
    live_server: str, browser, make: Factory
) -> None:
    event = make.event(HOME, title="Livestream", channel=Channel.LIVESTREAM)
    make.target(event, make.account())  # tracked: a live page to show
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/live")
    page.wait_for_function("() => window.lantoaLive && window.lantoaLive.socket")
    values = [120, 180, 300, 424, 424, 410, 380]
    points = [[f"2026-12-07T05:{m:02d}:00Z", v] for m, v in enumerate(values)]
    drawn = page.evaluate(FEED, [event.id, points])
    assert drawn["x"] == sorted(set(drawn["x"])), drawn  # each point drawn once, in time order
    assert drawn["y"] == values, drawn
    assert drawn["star"] == ["2026-12-07 12:03:00", 424], drawn  # where the line first reaches it
    page.close()
