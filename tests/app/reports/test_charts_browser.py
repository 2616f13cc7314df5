"""Chart ticks as headless Chromium draws them: Vietnamese dates and numbers, whole counts.

The live page of a livestream (1.700 viewers on the evening of 03/12/2026, one or two comments a
minute), an event with nothing yet, projector mode, the channels comparison and a campaign page of
the hand-made month (tests/app/reports/conftest.py) are rendered in Vietnamese; the SVG tick texts
are read back and fail on English month names, ISO dates, decimal points or a repeated whole
number on a count axis ("0 1 1 2 2"), and on an empty chart showing axes instead of its note.
An English page keeps Plotly's English.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.collection.targets import add_target
from app.extensions import db
from app.models import Comment, EngagementSample
from tests.app.live.pages import log_in
from tests.app.live.webserver import wait_for
from tests.conftest import HOME, Factory

# Committing: Chromium's requests are served on the server's threads. One backend is enough here.
pytestmark = [
    pytest.mark.committing,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

ENGLISH_MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE = re.compile(r"^\d{1,3}(\.\d{3})*$")  # 0, 15, 1.700, 12.500
START = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # 20:00 in Vietnam

# Every tick text of one chart, a multi-line tick (time over date) joined by "\n".
TICKS_JS = """([id, axis]) => Array.from(
  document.querySelectorAll('#' + id + ' .' + axis + 'tick text')).map(t => {
    const lines = Array.from(t.querySelectorAll('tspan.line'));
    return lines.length ? lines.map(l => l.textContent).join('\\n') : t.textContent;
  })"""


@pytest.fixture
def report_path(app) -> str:
    """The browser reads the page once: from the source tables."""
    app.config["REPORTS_ROLLUPS"] = "off"
    return "sources"


def ticks(page, chart: str, axis: str) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(TICKS_JS, [chart, axis])


def drawn(page, chart: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the chart is drawn and its axes fitted (charts.js sets data-fitted then); on a
    live page, also until its first live data came (live.js redraws the charts with it and marks
    ``<body data-seq>``): a test changing a chart before that saw its change overwritten."""
    wait_for(
        lambda: page.evaluate(
            "id => { const d = document.getElementById(id);"
            " return !!(d && d.hasAttribute('data-fitted') && d.querySelector('.main-svg')); }",
            chart,
        ),
        what=f"{chart} drawn and fitted",
    )
    wait_for(
        lambda: page.evaluate(
            "!document.getElementById('live-banner') || document.body.hasAttribute('data-seq')"
        ),
        what="the live page's first data",
    )


def all_drawn(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until every chart of a report is drawn and fitted (charts.js marks ``<body
    data-charts-settled>``): a report draws its charts one per task, after the page is parsed."""
    wait_for(
        lambda: page.evaluate("document.body.hasAttribute('data-charts-settled')"),
        what="all charts drawn",
    )


def assert_vietnamese(texts: list[str]) -> None:
    for text in texts:
        assert not ENGLISH_MONTHS.search(text), texts
        assert not ISO_DATE.search(text), texts


def assert_counts(texts: list[str]) -> None:
    """Whole numbers with dots for thousands, increasing, never the same number twice."""
    assert texts, "no ticks"
    assert all(WHOLE.match(t) for t in texts), texts
    values = [int(t.replace(".", "")) for t in texts]
    assert values == sorted(set(values)), texts


BOXES_JS = """id => { const svg = document.querySelector('#' + id + ' .main-svg')
    .getBoundingClientRect();
  return Array.from(document.querySelectorAll('#' + id + ' .xtick text, #' + id + ' .ytick text, #'
    + id + ' .gtitle')).map(t => { const b = t.getBoundingClientRect();
      return [b.left - svg.left, b.top - svg.top, b.right - svg.left, b.bottom - svg.top,
              svg.width, svg.height, t.textContent]; }); }"""


def assert_labels_fit(page, chart: str) -> None:  # type: ignore[no-untyped-def]
    """Every tick label and the title inside the chart, and no two x labels overlapping."""
    boxes = page.evaluate(BOXES_JS, chart)
    assert boxes
    for left, top, right, bottom, width, height, text in boxes:
        assert min(left, top) >= 0, text
        assert right <= width + 1, text
        assert bottom <= height + 1, text
    xs = sorted((b for b in boxes if re.search(r"\d:\d", b[6])), key=lambda b: b[0])
    for a, b in zip(xs, xs[1:], strict=False):
        assert a[2] <= b[0], (a[6], b[6])


@pytest.fixture
def evening(app, make: Factory):  # type: ignore[no-untyped-def]
    """A livestream with viewers rising to 1.700 and one or two comments a minute."""
    event = make.event(HOME, title="Livestream tư vấn BHXH tự nguyện")
    target = add_target(event.id, "facebook_live", "evening")
    db.session.flush()
    for minute in range(0, 40, 2):
        at = START + timedelta(minutes=minute)
        db.session.add(EngagementSample(target_id=target.id, sampled_at=at, extra={},
                                        live_viewers=min(1700, 100 + minute * 60)))  # fmt: skip
        for k in range(1 + minute % 4 // 2):  # 1, then 2 comments in turn
            comment = Comment(target_id=target.id, external_id=f"c{minute}-{k}", created_at=at,
                              message="Tư vấn giúp em", lead_intents=[])  # fmt: skip
            db.session.add(comment)
    empty = make.event(HOME, title="Chưa bắt đầu")
    add_target(empty.id, "facebook_live", "later")  # tracked, nothing read yet
    db.session.commit()
    return event, empty


def test_live_page_ticks_in_vietnamese(live_server: str, browser, make: Factory, evening) -> None:
    event, empty = evening
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/live")
    for chart in ("chart-viewers", "chart-comments", "chart-reactions"):
        drawn(page, chart)

    dates = ticks(page, "chart-viewers", "x")
    assert_vietnamese(dates)
    assert any("03/12/2026" in t for t in dates), dates  # the day under the first time
    assert any(re.fullmatch(r"20:\d\d", t.split("\n")[0]) for t in dates), dates
    assert_counts(ticks(page, "chart-viewers", "y"))
    assert any("." in t for t in ticks(page, "chart-viewers", "y"))  # 1.500, not 1,500 nor 1500
    assert_vietnamese(ticks(page, "chart-comments", "x"))
    small = ticks(page, "chart-comments", "y")
    assert_counts(small)  # 0 1 2, not 0 0,5 1 1,5 2 shown as "0 1 1 2 2"
    assert small[:3] == ["0", "1", "2"], small
    assert_labels_fit(page, "chart-viewers")
    assert_labels_fit(page, "chart-comments")

    # Nothing yet: the note, no axes ("−1 −1 0 1 1").
    page.goto(f"{live_server}/events/{empty.id}/live")
    for chart in ("chart-viewers", "chart-comments", "chart-reactions"):
        drawn(page, chart)
        assert ticks(page, chart, "x") == [], chart
        assert ticks(page, chart, "y") == [], chart
        note = page.text_content(f"#{chart} .annotation-text")
        assert note == "Chưa có số liệu", note


def test_projector_mode_labels_fit(live_server: str, browser, make: Factory, evening) -> None:
    event, _ = evening
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/live?wall=1")
    drawn(page, "chart-viewers")
    assert_labels_fit(page, "chart-viewers")
    assert any("03/12/2026" in t for t in ticks(page, "chart-viewers", "x"))


def test_an_english_page_draws_english_charts_with_the_pages_dates(
    live_server: str, browser, make: Factory, evening
) -> None:
    """English words and 1,500 on an English page; the day still 03/12/2026, as the page writes
    every date (Plotly's own English would say "Dec 3, 2026")."""
    event, _ = evening
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/live")
    with page.expect_navigation():
        page.click("form.lang button")
    drawn(page, "chart-viewers")
    dates = ticks(page, "chart-viewers", "x")
    assert any("03/12/2026" in t for t in dates), dates
    assert not any("Dec" in t for t in dates), dates
    assert any("," in t for t in ticks(page, "chart-viewers", "y"))  # 1,500
    assert page.text_content("#chart-viewers .gtitle") == "Live viewers"


def test_report_pages_ticks_in_vietnamese(live_server: str, browser, make: Factory, month) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.goto(f"{live_server}/reports/channels?from=01/09/2026&to=31/10/2026")
    for name in ("views", "enrolments", "trend"):
        chart = f"fig-{name}"
        drawn(page, chart)
        assert_vietnamese(ticks(page, chart, "x"))
    assert_counts(ticks(page, "fig-views", "y"))
    assert_counts(ticks(page, "fig-enrolments", "y"))
    titles = page.evaluate(
        "Array.from(document.querySelectorAll('#fig-views .modebar-btn'))"
        ".map(b => b.getAttribute('data-title'))"
    )
    assert titles, "no mode bar"
    english = re.compile(r"\b(Download|plot|Zoom|Pan|Reset|Autoscale|Toggle|Select|hover|Share)\b")
    assert not [t for t in titles if english.search(t)], titles
    months = ticks(page, "fig-trend", "x")
    assert months, "no month ticks"
    assert all(re.fullmatch(r"\d\d/2026", t) for t in months), months

    page.goto(f"{live_server}/reports/campaigns/{month.campaign_id}")
    drawn(page, "fig-progress")
    drawn(page, "fig-funnel")
    days = ticks(page, "fig-progress", "x")
    assert days, "no day ticks"
    assert all(re.fullmatch(r"\d\d/\d\d/2026", t) for t in days), days
    assert_counts(ticks(page, "fig-progress", "y"))
    assert_counts(ticks(page, "fig-funnel", "x"))


def test_one_minute_of_comments_ticks_whole_minutes(
    live_server: str, browser, make: Factory, app
) -> None:  # type: ignore[no-untyped-def]
    """One bar alone: Plotly alone would tick it by the millisecond ("20:04:59.9995")."""
    event = make.event(HOME, title="Livestream một phút")
    target = add_target(event.id, "facebook_live", "one-minute")
    db.session.flush()
    for k in range(2):
        db.session.add(Comment(target_id=target.id, external_id=f"m{k}", message="Chào",
                               created_at=START + timedelta(minutes=4, seconds=10 * k),
                               lead_intents=[]))  # fmt: skip
    db.session.commit()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/live")
    drawn(page, "chart-comments")
    minutes = ticks(page, "chart-comments", "x")
    assert minutes, "no minute ticks"
    assert all(re.fullmatch(r"\d\d:\d\d", t) for t in minutes), minutes
    assert len(set(minutes)) == len(minutes), minutes


def test_a_single_viewer_sample_ticks_minutes_then_the_series_its_own_range(
    live_server: str, browser, make: Factory, app
) -> None:  # type: ignore[no-untyped-def]
    """The first sample of a live, or the first hall's report on the projector: Plotly alone
    would tick that one point by the millisecond ("08:40:29.9995")."""
    event = make.event(HOME, title="Livestream vừa bắt đầu")
    target = add_target(event.id, "facebook_live", "first-sample")
    db.session.flush()
    db.session.add(EngagementSample(target_id=target.id, sampled_at=START, live_viewers=12,
                                    extra={}))  # fmt: skip
    db.session.commit()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/live")
    drawn(page, "chart-viewers")
    minutes = [t for t in ticks(page, "chart-viewers", "x") if re.search(r"\d:\d", t)]
    assert minutes, "no time ticks"
    # Whole minutes (the first with its date below): no seconds, no fractions of them.
    assert all(re.fullmatch(r"\d\d:\d\d(\n\d\d/\d\d/2026)?", t) for t in minutes), minutes
    assert_labels_fit(page, "chart-viewers")
    # An hour of samples later (as a delta would bring them), Plotly's own range again.
    page.evaluate(EXTEND_AN_HOUR_JS)
    assert page.evaluate("document.getElementById('chart-viewers').data[0].x.length") == 3
    # Waited for, not slept for: the relayout after the new points lags on a loaded machine.
    page.wait_for_function(
        f"() => {{ const [shown, end] = ({RANGE_END_JS})(); return shown >= end; }}"
    )


EXTEND_AN_HOUR_JS = """() => { const d = document.getElementById('chart-viewers');
  const ax = d._fullLayout.xaxis, t0 = ax.d2l(d.data[0].x[0]);
  return Plotly.extendTraces(d, {x: [[ax.l2d(t0 + 1800000), ax.l2d(t0 + 3600000)]],
                                 y: [[40, 90]]}, [0]); }"""
RANGE_END_JS = """() => { const d = document.getElementById('chart-viewers');
  const ax = d._fullLayout.xaxis;
  return [ax.r2l(ax.range[1]), ax.d2l(d.data[0].x[0]) + 3600000]; }"""
