"""When the charts are drawn, in headless Chromium: the page says when their axes are fitted, and a
report shows its tables before drawing its charts.

charts.js fits a chart's axes with relayouts after Plotly's first draw, and Plotly has no event
for "the last one is done": each chart gets ``data-fitted`` then, and <body> gets
``data-charts-settled`` once every chart of the page is. A MutationObserver (set before the page's
scripts run) reads the chart the moment the attribute is set, in the same task.

The channels report drew its five charts in one task, while the page was still being parsed: the
page stayed blank, then unresponsive, for a second on an office PC (bench/page_load.py). The
charts are drawn once the page is parsed now, one per task.
"""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from tests.app.live.pages import log_in
from tests.app.reports.test_charts_browser import evening, pytestmark, report_path  # noqa: F401
from tests.conftest import HOME, Factory

# Records, as they happen: each chart's count-axis step when it is said fitted, the figures and
# fitted charts when the page is said settled, the page and the charts when the first one appears
# (observers are called between tasks: charts drawn in one task are all there at once).
WATCH_JS = """
window.__seen = { fitted: {}, settled: null, firstChart: null };
new MutationObserver(records => records.forEach(r => {
  const el = r.target, seen = window.__seen, charts = document.querySelectorAll('.js-plotly-plot');
  if (seen.firstChart === null && charts.length) {
    seen.firstChart = { parsing: document.readyState === 'loading', charts: charts.length };
  }
  if (r.attributeName === 'data-fitted' && el.hasAttribute('data-fitted')) {
    seen.fitted[el.id] = el.layout.yaxis.dtick === undefined ? null : el.layout.yaxis.dtick;
  }
  if (el === document.body && r.attributeName === 'data-charts-settled'
      && el.hasAttribute('data-charts-settled') && seen.settled === null) {
    seen.settled = [document.querySelectorAll('script[data-figure]').length,
                    document.querySelectorAll('[data-fitted]').length];
  }
})).observe(document, { attributes: true, childList: true, subtree: true });
"""


def test_a_chart_is_said_fitted_once_its_axes_are(  # type: ignore[no-untyped-def]
    live_server: str,
    browser,
    make: Factory,
    evening,  # noqa: F811 - fixture
) -> None:
    event, _ = evening
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.add_init_script(WATCH_JS)
    page.goto(f"{live_server}/events/{event.id}/live")
    for chart in ("chart-viewers", "chart-comments", "chart-reactions"):
        expect(page.locator(f"#{chart}")).to_have_attribute("data-fitted", "")
    expect(page.locator("body")).to_have_attribute("data-charts-settled", "")
    fitted = page.evaluate("window.__seen.fitted")
    # One or two comments a minute: the count axis steps by 1 (charts.js fitCounts), already
    # when the chart is said fitted, not by Plotly's 0,5 of the first draw.
    assert fitted["chart-comments"] == 1, fitted
    page.close()


def test_a_report_draws_its_charts_one_by_one_after_the_page_and_says_when_all_are(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month
) -> None:
    user = make.user("viewer", HOME)
    db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 800}, locale="vi-VN")
    log_in(page, live_server, user.email)
    url = f"{live_server}/reports/channels?from=01/09/2026&to=31/10/2026"
    page.goto(url)  # once: plotly.js in the cache, as for an office's every later visit
    expect(page.locator("#fig-trend .main-svg").first).to_be_attached()
    page.add_init_script(WATCH_JS)
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-charts-settled", "")
    seen = page.evaluate("window.__seen")
    figures, fitted = seen["settled"]
    assert figures >= 3, seen
    assert fitted == figures, seen  # settled only once every chart is fitted
    # The first chart is drawn once the page is parsed (its tables painted), alone in its task.
    assert seen["firstChart"] == {"parsing": False, "charts": 1}, seen
    page.close()
