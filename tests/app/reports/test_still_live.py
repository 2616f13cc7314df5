"""A livestream still live is in the reports with its latest figures, and the reports say so.

Seen on ``make run``: while the demo livestream was collected the report pages showed a views
figure far below the live page's final one (0 in its first minutes), and nothing said why. The
runner refreshes the event's rollup row with each batch, so a report reads the figures collected
so far, the live page's; but Facebook counts a live's views only once it ends (the live page
says "views of Facebook are added when the broadcast ends"), and a manager reading 479 views for
a livestream that ends near 1,600 needs the same words. So the reports (page, month, PDF, Word,
Excel, campaign) say how many events are still live, up to when their figures were read, and
whose views are still to come; the event's row says "still live". Once it ends, the end's read
is in the reports at once (no build waited for), and the words go.

The event runs on 28/10/2026 in Vietnam, a day of the hand-made month (``conftest``), read at
``NOW``; on the sources and the rollups, on SQLite and PostgreSQL (the ``month`` fixture).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.live.summary import event_summary
from app.models import Channel, EngagementSample, Event, EventStatus, Target
from app.reports.campaign import campaign_progress
from app.reports.facts import ReportFilter
from app.reports.report import build_report
from app.reports.rollups.build import refresh_online
from app.reports.still_live import of_report
from tests.app.reports.conftest import vn
from tests.app.reports.test_channels import EXPECTED
from tests.conftest import HOME, login

START = vn(date(2026, 10, 28), 9)  # 28/10/2026 09:00 in Vietnam
NOW = START + timedelta(minutes=40)  # the report's moment, the live under way
READ = START + timedelta(minutes=30)  # the latest read of its targets
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31", "org_unit": HOME}
MONTH = {"period": "2026-10", "org_unit": HOME}
LINE = (
    "1 sự kiện đang diễn ra: số liệu là số đã thu thập đến 28/10/2026 09:30 và sẽ còn tăng. "
    "Chưa gồm lượt xem Facebook: nền tảng này chỉ cho biết lượt xem của buổi phát khi buổi "
    "phát kết thúc."
)
EARLIER_VIEWS = EXPECTED["livestream"]["reach"]  # the month's other livestreams


def _read(target: Target, at, **counters: int | None) -> None:
    """A batch as the runner writes it: the sample, the target's last read, the rollup step."""
    db.session.add(EngagementSample(target_id=target.id, sampled_at=at, extra={}, **counters))
    target.last_success_at = at
    db.session.flush()
    refresh_online(target.event_id)  # ``app.collection.steps.refresh_rollups``
    db.session.commit()


@pytest.fixture
def live(month, make) -> Event:
    """A livestream on Facebook and YouTube, live since 09:00: YouTube has 479 views so far,
    Facebook none yet (viewers only, its views come at the end)."""
    event = make.event(HOME, title="Livestream tư vấn đang phát", channel=Channel.LIVESTREAM,
                       planned_start=START, actual_start=START, status=EventStatus.LIVE,
                       campaign_id=month.campaign_id)  # fmt: skip
    account = make.account(HOME)
    facebook = make.target(event, account, "facebook_live", "fb-live")
    youtube = make.target(event, account, "youtube_live", "yt-live")
    _read(facebook, READ - timedelta(minutes=1), live_viewers=420, reactions_total=300)
    _read(youtube, READ, live_viewers=140, views=479, reactions_like=20)
    return event


@pytest.mark.parametrize("per_event", [True, False])
def test_a_live_event_is_reported_with_its_latest_figures_and_said_still_live(
    month, live, per_event
) -> None:
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    report = build_report(f, per_event=per_event, now=NOW)
    row = next(r for r in report.by_channel() if r.channel == "livestream")
    summary = event_summary(live.id, now=NOW)
    assert summary.views == 479  # the live page's views: YouTube's so far
    assert row.reach == EARLIER_VIEWS + summary.views
    assert row.events == EXPECTED["livestream"]["events"] + 1
    still = of_report(report)
    assert still.event_ids == {live.id}
    assert still.views_at_end == ("facebook_live",)
    assert still.last_read == READ


def test_an_event_ended_is_reported_with_its_end_read_and_no_longer_said_live(
    month, live, make
) -> None:
    from app.events.status import end_by_hand

    end = START + timedelta(hours=1)
    live.status = EventStatus.ENDED  # the event form's "Ended", then its end by hand
    end_by_hand(live, make.user("officer", HOME), now=end)
    db.session.commit()
    facebook = db.session.query(Target).filter_by(event_id=live.id, kind="facebook_live").one()
    _read(facebook, end + timedelta(minutes=1), views=1020)  # the video insights at the end
    after = end + timedelta(minutes=5)
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    for per_event in (True, False):
        report = build_report(f, per_event=per_event, now=after)
        row = next(r for r in report.by_channel() if r.channel == "livestream")
        assert (
            row.reach == EARLIER_VIEWS + 479 + 1020 == EARLIER_VIEWS + event_summary(live.id).views
        )
        assert of_report(report).events == 0


def test_the_pages_and_files_say_the_event_is_still_live(client, make, month, live) -> None:
    login(client, make.user("manager", HOME).email)
    page = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    assert LINE in page
    monthly = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    assert LINE in monthly
    pdf = client.get("/reports/monthly.pdf", query_string=MONTH).data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "1 sự kiện đang diễn ra" in text
    assert "Chưa gồm lượt xem Facebook" in text
    docx = client.get("/reports/monthly.docx", query_string=MONTH).data
    assert LINE in "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    book = load_workbook(
        io.BytesIO(client.get("/reports/channels.xlsx", query_string=OCTOBER).data)
    )
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert LINE in cells
    events = [r for r in book["Theo hoạt động"].iter_rows(values_only=True)
              if "Livestream tư vấn đang phát" in r]  # fmt: skip
    assert len(events) == 1
    assert events[0][4] == 479
    assert events[0][-1] == "đang diễn ra"
    campaign = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    assert LINE in campaign


def test_a_commune_page_marks_its_live_event(client, make, month) -> None:
    event = make.event(month.commune_a.code, title="Livestream xã đang phát",
                       channel=Channel.LIVESTREAM, planned_start=START, actual_start=START,
                       status=EventStatus.LIVE)  # fmt: skip
    target = make.target(event, make.account(HOME), "youtube_live", "yt-a")
    _read(target, READ, views=35)
    login(client, make.user("manager", HOME).email)
    args = {**OCTOBER, "org_unit": month.commune_a.code}
    page = client.get("/reports/channels", query_string=args).get_data(as_text=True)
    row = next(r for r in page.split("<tr") if "Livestream xã đang phát" in r)
    assert "đang diễn ra" in row
    assert ">35<" in row
    assert "Chưa gồm lượt xem" not in page  # YouTube serves its views during the live


def test_campaign_progress_lists_its_live_events(month, live) -> None:
    from app.models import Campaign

    progress = campaign_progress(db.session.get(Campaign, month.campaign_id), now=NOW)
    assert progress.live.event_ids == {live.id}
    assert progress.reach["views"] >= 479


def test_a_file_asks_which_events_are_live_once(month, live) -> None:
    """The month's Excel and PDF ask it for their event rows and for their line: once per report."""
    import sqlalchemy as sa

    from app.reports.pdf import month_pdf
    from app.reports.workbook import channels_workbook

    asked: list[str] = []

    def count(conn, cursor, statement: str, *args) -> None:
        if "events.status" in statement and "events.org_unit_id" not in statement:
            asked.append(statement)

    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))

    def printed(report) -> bytes:
        return month_pdf(report, "2026-10", halls=[])

    for build_file in (channels_workbook, printed):
        report = build_report(f, per_event=True, now=NOW)
        asked.clear()
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            build_file(report)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        assert len(asked) == 1, build_file.__name__
