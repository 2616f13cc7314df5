"""A finished livestream beside its office's earlier ones: the figures, the event page, the month.

November 2026, province 40's own office: E1 01/11, E2 05/11, E3 08/11 (a platform that reports no
views), E4 12/11 and E5 20/11 (two targets) have ended; L 25/11 is still live. A commune of 40
(C1, 10/11) and province 46 (X, 15/11) have finished livestreams too, which E5's comparison must
not count (another office). The expected figures are worked out below from ``SPEC``, the rows the
fixture inserts, not read back through the code.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta
from pathlib import Path
from statistics import median

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.collection.targets import add_target
from app.extensions import db
from app.live.queries import combined_peak
from app.models import (
    Attendance,
    Channel,
    Comment,
    EngagementSample,
    Enrolment,
    Event,
    EventStatus,
    ImportBatch,
    Link,
    LinkStatus,
    OrgUnit,
    Person,
    Scheme,
)
from app.reports.facts import ReportFilter
from tests.app.reports.conftest import vn
from tests.conftest import HOME, OTHER, login

NOV = date(2026, 11, 1)
# Per livestream: (unit, day, ended?, targets); a target: (status, samples, comments);
# a sample: (minute after 09:00, counters); a comment: (deleted?, lead?).
SPEC: dict[str, tuple[str, int, bool, list]] = {
    "E1": ("own", 1, True, [("ended", [(0, {"views": 1000, "live_viewers": 50,
                                            "reactions_total": 40, "shares": 5})],
                              [(False, True), (False, False), (False, False)])]),
    "E2": ("own", 5, True, [("ended", [(0, {"views": 2000, "live_viewers": 80,
                                            "reactions_total": 90, "shares": 9})],
                              [(False, False)])]),
    # A platform that serves no views: viewers and reactions only.
    "E3": ("own", 8, True, [("ended", [(0, {"live_viewers": 30, "reactions_total": 10}),
                                       (5, {"live_viewers": 45})],
                              [(False, False), (False, True)])]),
    "E4": ("own", 12, True, [("ended", [(0, {"views": 500, "live_viewers": 20,
                                             "reactions_total": 15, "shares": 1})], [])]),
    "E5": ("own", 20, True, [
        ("ended", [(0, {"live_viewers": 10, "views": 1000, "reactions_total": 60, "shares": 4}),
                   (10, {"live_viewers": 30, "views": 3000, "reactions_total": 100, "shares": 10}),
                   (20, {"live_viewers": 0})],  # carries no views: the 3,000 stays
         [(False, True), (False, True), (False, False), (True, True)]),
        ("ended", [(5, {"live_viewers": 20, "views": 1200, "reactions_like": 5,
                        "reactions_love": 3, "shares": 2}),
                   (8, {"live_viewers": 5}),
                   (25, {"live_viewers": 40})],
         [(False, False)]),
    ]),
    "L": ("own", 25, False, [("live", [(0, {"views": 50, "live_viewers": 9})], [])]),
    "C1": ("commune", 10, True, [("ended", [(0, {"views": 99_999, "live_viewers": 999,
                                                 "reactions_total": 999})], [])]),
    "X": ("other", 15, True, [("ended", [(0, {"views": 77_777, "live_viewers": 777,
                                              "reactions_total": 777})], [])]),
}  # fmt: skip
# Enrolments attributed (last touch, 90 days), by hand from the people below: pA touched E5 and
# enrolled; pB touched E4 then E5, enrolled after both (E5 is the last touch); pC touched E2;
# pD touched X (another province).
ENROLMENTS = {"E1": 0, "E2": 1, "E3": 0, "E4": 0, "E5": 2, "C1": 0, "X": 1}
REACTIONS = ("reactions_total", "reactions_like", "reactions_love")


def _latest(samples: list, key: str) -> int | None:
    values = [c[key] for _, c in sorted(samples, key=lambda s: s[0]) if key in c]
    return values[-1] if values else None


def expected(key: str) -> dict:
    """The figures of one livestream of SPEC, worked out from its rows."""
    targets = SPEC[key][3]
    views = [_latest(s, "views") for _, s, _ in targets]
    interactions = comments = leads = 0
    for _, samples, said in targets:
        total = _latest(samples, "reactions_total")
        reactions = total if total else sum(_latest(samples, k) or 0 for k in REACTIONS[1:])
        shown = [c for c in said if not c[0]]
        interactions += reactions + (_latest(samples, "shares") or 0) + len(shown)
        comments += len(shown)
        leads += sum(1 for c in shown if c[1])
    # Peak: the targets' viewers added up at each moment, each target's last value carried.
    moments = sorted({m for _, s, _ in targets for m, c in s if "live_viewers" in c})
    peak = 0
    for moment in moments:
        now = 0
        for _, samples, _ in targets:
            seen = [c["live_viewers"] for m, c in samples if m <= moment and "live_viewers" in c]
            now += seen[-1] if seen else 0
        peak = max(peak, now)
    reported = [v for v in views if v is not None]
    return {"views": sum(reported) if reported else None, "peak_viewers": peak,
            "interactions": interactions, "comments": comments, "leads": leads,
            "enrolments": ENROLMENTS.get(key, 0)}  # fmt: skip


def test_the_spec_is_worked_out_as_intended() -> None:
    """The arithmetic above, on E5, checked by hand once (so the tests do not trust it blindly)."""
    assert expected("E5") == {"views": 4200, "peak_viewers": 40, "interactions": 100 + 10 + 3
                              + 8 + 2 + 1, "comments": 4, "leads": 2, "enrolments": 2}  # fmt: skip
    assert expected("E3")["views"] is None


def _unit(code: str) -> OrgUnit:
    return db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == code)).one()


@pytest.fixture
def streams(app, report_path) -> dict[str, Event]:
    return seed(report_path)


def seed(report_path: str = "sources") -> dict[str, Event]:
    """The rows of SPEC and the people of ENROLMENTS, committed; rollups built if asked."""
    province = _unit(HOME)
    commune = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == province.id).order_by(OrgUnit.code).limit(1)
    ).one()
    units = {"own": province, "commune": commune, "other": _unit(OTHER)}
    events: dict[str, Event] = {}
    for key, (unit, day, ended, targets) in SPEC.items():
        start = vn(NOV.replace(day=day))
        event = Event(title=f"Livestream {key}", channel=Channel.LIVESTREAM, org_unit=units[unit],
                      planned_start=start, actual_start=start, cost_vnd=0,
                      status=EventStatus.ENDED if ended else EventStatus.LIVE,
                      actual_end=start + timedelta(hours=1) if ended else None)  # fmt: skip
        db.session.add(event)
        db.session.flush()
        events[key] = event
        for n, (status, samples, said) in enumerate(targets):
            target = add_target(event.id, "facebook_live", f"{key}-{n}")
            target.status = status
            db.session.flush()
            for minute, counters in samples:
                db.session.add(EngagementSample(target_id=target.id, extra={},
                                                sampled_at=start + timedelta(minutes=minute),
                                                **counters))  # fmt: skip
            for i, (deleted, lead) in enumerate(said):
                db.session.add(Comment(target_id=target.id, external_id=f"{key}-{n}-{i}",
                                       created_at=start, message="Tư vấn giúp em",
                                       deleted_at=start if deleted else None, is_lead=lead,
                                       lead_intents=[]))  # fmt: skip
    batch = ImportBatch(kind="enrolments", filename="thu.xlsx", sha256=uuid.uuid4().hex,
                        created_at=vn(NOV.replace(day=28)))  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    for name, touched, paid in (("pA", ["E5"], 25), ("pB", ["E4", "E5"], 22),
                                ("pC", ["E2"], 6), ("pD", ["X"], 16)):  # fmt: skip
        person = Person(full_name=f"Người {name}", commune_id=commune.id)
        db.session.add(person)
        db.session.flush()
        for key in touched:
            touch = Attendance(person_id=person.id, event_id=events[key].id, source="comment",
                               touched_at=events[key].actual_start)  # fmt: skip
            db.session.add(touch)
        row = Enrolment(import_batch_id=batch.id, source_row=person.id, row_key=uuid.uuid4().hex,
                        scheme=Scheme.BHXH_TU_NGUYEN, is_new=True,
                        paid_on=NOV.replace(day=paid), commune_id=commune.id)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        link = Link(person_id=person.id, enrolment_id=row.id, method="phone",
                    status=LinkStatus.LINKED, created_at=vn(NOV.replace(day=28)))  # fmt: skip
        db.session.add(link)
    db.session.commit()
    if report_path == "rollups":
        from app.reports.rollups.full_build import rebuild

        rebuild()
        db.session.commit()
    return events


def _as_dict(figures) -> dict:
    return {k: getattr(figures, k) for k in expected("E1")}


def test_figures_against_the_seeded_livestreams(streams) -> None:
    from app.reports.livestreams import figures_of

    figures = figures_of([e.id for e in streams.values()], ReportFilter(unit=_unit(HOME)))
    for key, event in streams.items():
        if key != "L":
            assert _as_dict(figures[event.id]) == expected(key), key
            # One query for every event's peak; the live page's, event by event, agrees.
            assert figures[event.id].peak_viewers == combined_peak(event.id), key


def test_comparison_with_the_office_only(streams) -> None:
    from app.reports.livestreams import event_comparison

    comparison = event_comparison(streams["E5"])
    # Own office only, newest first: not the commune's C1, not province 46's X, not the live L.
    assert [e.title for e in comparison.earlier] == [f"Livestream E{n}" for n in (4, 3, 2, 1)]
    earlier = [expected(f"E{n}") for n in (4, 3, 2, 1)]
    mine = expected("E5")
    for metric in mine:
        values = [e[metric] for e in earlier if e[metric] is not None]
        m = comparison.metric(metric)
        assert m.median == pytest.approx(median(values)), metric
        assert m.rank == 1 + sum(1 for v in values if v > mine[metric]), metric
        assert m.out_of == len(values) + 1
        assert m.ratio == (pytest.approx(mine[metric] / median(values)) if median(values) else None)
    # Views of E3 are not reported: left out of the median, not counted as 0.
    assert comparison.metric("views").median == median([500, 2000, 1000])
    assert event_comparison(streams["L"]) is None  # still live
    assert [e.title for e in event_comparison(streams["C1"]).earlier] == []


def test_figures_agree_with_the_monthly_report(streams) -> None:
    from app.reports.facts import month_bounds
    from app.reports.livestreams import figures_of
    from app.reports.report import build_report

    start, end = month_bounds("2026-11")
    report = build_report(ReportFilter(unit=_unit(HOME), start=start, end=end))
    facts = {f.event_id: f for f in report.events()}
    figures = figures_of([streams[k].id for k in ("E1", "E2", "E4", "E5")], report.filter)
    for event_id, f in figures.items():
        assert (f.views, f.interactions, f.enrolments) == (
            facts[event_id].reach,
            facts[event_id].interactions,
            facts[event_id].enrolments,
        )


def _cell(html: str, metric: str, key: str) -> str:
    row = re.search(rf'<tr data-metric="{metric}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'data-key="{key}">([^<]*)<', row).group(1)


def test_event_page_shows_the_summary_only_when_finished(client, make, streams) -> None:
    login(client, make.user("viewer", HOME).email)
    html = client.get(f"/events/{streams['E5'].id}").get_data(as_text=True)
    assert 'id="after-livestream"' in html
    assert "Sau buổi livestream" in html
    assert _cell(html, "views", "value") == "4.200"
    assert _cell(html, "views", "median") == "1.000"  # median of 500, 1.000, 2.000 (E3: none)
    assert _cell(html, "views", "ratio") == "4,2 lần"
    assert _cell(html, "views", "rank") == "1/4"
    assert _cell(html, "peak_viewers", "value") == "40"
    assert _cell(html, "interactions", "value") == "124"
    assert _cell(html, "leads", "value") == "2"
    assert _cell(html, "enrolments", "value") == "2"
    assert "Livestream C1" not in html
    assert "Livestream X" not in html
    assert 'data-figure="fig-after-livestream"' in html
    no_views = client.get(f"/events/{streams['E3'].id}").get_data(as_text=True)
    assert _cell(no_views, "views", "value") == "chưa có"
    live = client.get(f"/events/{streams['L'].id}").get_data(as_text=True)
    assert 'id="after-livestream"' not in live


def test_monthly_report_lists_the_finished_livestreams(client, make, streams) -> None:
    login(client, make.user("viewer", HOME).email)
    html = client.get(
        "/reports/monthly", query_string={"period": "2026-11", "org_unit": HOME}
    ).get_data(as_text=True)
    section = re.search(r'<table id="month-livestreams">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr data-event=\"(\d+)\">(.*?)</tr>", section, re.S)
    # The subtree's finished livestreams in order of start: the commune's too, not L, not X.
    order = ("E1", "E2", "E3", "C1", "E4", "E5")
    assert [int(i) for i, _ in rows] == [streams[k].id for k in order]
    e5 = re.findall(r"<td[^>]*>([^<]*)</td>", rows[-1][1])
    assert e5[0] == "20/11/2026"
    assert e5[3:9] == ["4.200", "40", "124", "4", "2", "2"]
    assert e5[9:] == ["4,2 lần", f"{124 / median([16, 10 + 2, 90 + 9 + 1, 40 + 5 + 3]):.1f}"
                      .replace(".", ",") + " lần", "4", ""]  # fmt: skip
    e3 = re.findall(r"<td[^>]*>([^<]*)</td>", rows[2][1])
    assert e3[3] == "chưa có"
    pdf = client.get("/reports/monthly.pdf", query_string={"period": "2026-11", "org_unit": HOME})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Các buổi livestream đã kết thúc trong tháng" in text
    for shown in ("4.200", "4,2 lần", "chưa có"):
        assert shown in text
    assert "77.777" not in text


def test_only_the_ten_latest_earlier_livestreams(app, report_path) -> None:
    from app.reports.livestreams import EARLIER, earlier_ids

    def ended(day: int) -> Event:
        start = vn(date(2026, 10, day))
        event = Event(title=f"Buổi {day}", channel=Channel.LIVESTREAM, org_unit=_unit(HOME),
                      actual_start=start, status=EventStatus.ENDED, cost_vnd=0)  # fmt: skip
        db.session.add(event)
        db.session.flush()
        return event

    older = [ended(day) for day in range(1, 13)]
    current = ended(20)
    assert EARLIER == 10
    assert earlier_ids(current.id) == [e.id for e in reversed(older[2:])]


def test_earlier_of_many_matches_each_one_alone(app, report_path) -> None:
    """The month's batch gives each livestream the same earlier ones as asking for it alone:
    two offices, starts shared by two livestreams (the id breaks the tie), livestreams not
    finished (still live, a target still live, a conference) that never count, a start after
    the latest asked for, and an event without a start. Expected lists are built here from the
    rows, not by the code."""
    from app.reports.livestreams import earlier_ids, earlier_of

    home, other = _unit(HOME), _unit(OTHER)
    made: list[tuple[Event, bool]] = []  # (event, counts as a finished livestream)

    def event(unit: OrgUnit, day: int | None, *, status=EventStatus.ENDED,
              channel=Channel.LIVESTREAM, live_target: bool = False) -> Event:  # fmt: skip
        start = vn(date(2026, 10, day)) if day else None
        row = Event(title=f"Buổi {day}", channel=channel, org_unit=unit, cost_vnd=0,
                    planned_start=start, actual_start=start, status=status)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        if live_target:
            add_target(row.id, "facebook_live", f"live-{row.id}").status = "live"
            db.session.flush()
        finished = (status == EventStatus.ENDED and channel == Channel.LIVESTREAM
                    and not live_target and day is not None)  # fmt: skip
        made.append((row, finished))
        return row

    for day in (1, 2, 2, 3, 5, 5, 5, 8, 9, 11, 12, 14, 14, 15, 20, 21, 22, 28):
        event(home, day)
        event(other, day + 1)
    event(home, 6, status=EventStatus.LIVE)
    event(home, 7, live_target=True)
    event(home, 10, channel=Channel.CONFERENCE)
    event(home, None)
    db.session.commit()

    def by_hand(asked: Event) -> list[int]:
        start = asked.actual_start
        before = [e for e, done in made if done and e.org_unit_id == asked.org_unit_id
                  and (e.actual_start, e.id) < (start, asked.id)]  # fmt: skip
        before.sort(key=lambda e: (e.actual_start, e.id), reverse=True)
        return [e.id for e in before[:4]]

    asked = [e for e, _ in made if e.actual_start and e.actual_start.day <= 15]
    batch = earlier_of([e.id for e in asked], limit=4)
    assert any(len(ids) == 4 for ids in batch.values())
    assert any(not ids for ids in batch.values())
    for e in asked:
        assert batch[e.id] == by_hand(e), e.title
        assert earlier_ids(e.id, limit=4) == by_hand(e)
    assert earlier_of([made[-1][0].id]) == {}  # no start: nothing to compare with


def test_monthly_workbook_has_the_livestream_sheet(app, streams) -> None:
    from openpyxl import load_workbook

    result = app.test_cli_runner().invoke(
        args=["reports", "build", "--period", "2026-11", "--org-unit", HOME]
    )
    assert result.exit_code == 0, result.output
    path = next(p for p in result.output.split() if p.endswith(".xlsx"))
    sheet = load_workbook(io.BytesIO(Path(path).read_bytes()))["Livestream đã kết thúc"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [r[1] for r in rows] == [f"Livestream {k}" for k in ("E1", "E2", "E3", "C1", "E4", "E5")]
    e5 = rows[-1]
    assert e5[0].date() == date(2026, 11, 20)
    assert e5[3:9] == (4200, 40, 124, 4, 2, 2)
    assert e5[9] == 4.2
    # E3: no views reported, not 0 and not text in a number column: the note says it.
    assert rows[2][3] is None
    assert rows[2][-1] == "Chưa có lượt xem"
    # Whole numbers "#,##0": "#,##0.##" shows 12 as "12," in Excel.
    figures = [c for r in sheet.iter_rows(min_row=4, min_col=4, max_col=9) for c in r]
    assert {c.number_format for c in figures if isinstance(c.value, int)} == {"#,##0"}
    html = Path(path.replace(".xlsx", ".html")).read_text(encoding="utf-8")
    assert 'id="month-livestreams"' in html


def test_one_earlier_day_reads_as_that_day(client, make, streams) -> None:
    """Compared with livestreams of one day, the page names that day once, not "d – d"."""
    from app.formatting import fmt_date
    from app.reports.livestreams import event_comparison

    login(client, make.user("viewer", HOME).email)
    day = fmt_date(event_comparison(streams["E2"]).earlier[0].day)
    one = client.get(f"/events/{streams['E2'].id}").get_data(as_text=True)
    assert f"(ngày {day})" in one
    assert f"({day} – {day})" not in one
    many = client.get(f"/events/{streams['E5'].id}").get_data(as_text=True)
    assert re.search(r"\(\d\d/\d\d/\d{4} – \d\d/\d\d/\d{4}\)", many)
