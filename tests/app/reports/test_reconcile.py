"""The campaign's page and an event's follow-up reconcile their credit with the reports'.

The province manager's tour of the demo: "BHXH tự nguyện Q4/2026" credited 15 to its activities,
the channel and monthly reports 22 (11 + 11) to the same three; the online conference's follow-up
listed 7 enrolled after, the reports 11. Each page now shows the lines from one to the other,
each figure as the page that shows it computes it: they must add up, and each end must be the
other page's figure, so a figure that moves alone breaks the test.
"""

from __future__ import annotations

import io
import re
from html import unescape

import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app import demo
from app.extensions import db
from app.followup.enrolled_after import enrolled_after
from app.models import Campaign, Channel, Event, Scheme
from app.reports.facts import ReportFilter
from app.reports.reconcile import reconcile
from app.reports.report import build_report
from tests.conftest import HOME, login

ROW = re.compile(
    r'<tr data-key="([^"]+)"[^>]*>\s*<td class="sign">([^<]*)</td><td>([^<]*)</td>'
    r'<td class="num">([^<]+)</td>'
)


def _figure(text: str) -> float:
    """A figure as the Vietnamese page writes it: "1.700", "7,5"."""
    return float(unescape(text).strip().replace(".", "").replace(",", "."))


def _lines(html: str, table: str) -> list[tuple[str, str, str, float]]:
    start = html.index(f'id="{table}"')
    body = html[start : html.index("</table>", start)]
    return [(k, s, unescape(w), _figure(n)) for k, s, w, n in ROW.findall(body)]


def _adds_up(lines: list[tuple[str, str, str, float]]) -> None:
    total = lines[0][3]
    for _key, sign, _words, figure in lines[1:]:
        if sign == "=":
            assert abs(total - figure) < 0.01, lines
            total = figure
        else:
            total += figure if sign == "+" else -figure
    assert lines[-1][1] == "=", lines


def _reports_credit(campaign: Campaign) -> dict[int, float]:
    """Each of the campaign's events' credit in the unit's channel report (no campaign chosen),
    as that page computes it."""
    report = build_report(
        ReportFilter(unit=campaign.org_unit, start=campaign.starts_on, end=campaign.ends_on)
    )
    ids = set(db.session.scalars(sa.select(Event.id).where(Event.campaign_id == campaign.id)))
    return {f.event_id: f.enrolments for f in report.facts if f.event_id in ids}


def _campaign() -> Campaign:
    stmt = sa.select(Campaign).where(Campaign.scheme == Scheme.BHXH_TU_NGUYEN)
    return db.session.scalars(stmt).one()


def test_the_campaign_page_goes_from_the_reports_figure_to_its_own(
    client: FlaskClient, make
) -> None:
    demo.load(db.session, HOME)
    db.session.commit()
    campaign = _campaign()
    login(client, make.user("manager", HOME).email)
    html = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    lines = _lines(html, "credit-reconcile")
    keys = [k for k, *_ in lines]
    assert keys == ["reports", "other-bhyt_ho_gia_dinh", "campaign"]
    _adds_up(lines)
    credit = _reports_credit(campaign)
    assert lines[0][3] == sum(credit.values()) == 22
    assert sorted(credit.values()) == [0, 11, 11]
    assert lines[1][1:] == ("−", "Lượt tham gia loại hình khác: BHYT hộ gia đình", 7)
    attributed = re.search(r'<dd data-key="attributed">([^<]+)</dd>', html)
    assert attributed is not None
    assert lines[-1][3] == _figure(attributed.group(1)) == 15


def test_the_follow_up_goes_from_its_people_to_the_reports_figure(
    client: FlaskClient, make
) -> None:
    demo.load(db.session, HOME)
    db.session.commit()
    campaign = _campaign()
    credit = _reports_credit(campaign)
    event_id = db.session.scalars(
        sa.select(Event.id).where(
            Event.campaign_id == campaign.id, Event.channel == Channel.ONLINE_CONFERENCE
        )
    ).one()
    login(client, make.user("manager", HOME).email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    lines = _lines(html, "enrolled-reconcile")
    _adds_up(lines)
    listed = html[html.index('id="enrolled-table"') :]
    people = listed[: listed.index("</table>")].count("<tr>") - 1  # less the heading's row
    assert lines[0][0] == "people"
    assert lines[0][3] == people == 7
    # The credit the note above the list gives the event is the table's, before other schemes.
    credited = dict((k, n) for k, _s, _w, n in lines).get("credited", people)
    assert enrolled_after(db.session.get(Event, event_id)).credited == credited
    assert lines[1][:2] == ("other-bhyt_ho_gia_dinh", "+")
    assert lines[1][3] == 4
    assert lines[-1][0] == "reports"
    assert lines[-1][3] == credit[event_id] == 11


def test_people_in_several_schemes_and_a_shorter_window_are_lines_of_their_own(app) -> None:
    """Each figure read under its own scheme and window; what the reports credit once per person
    and the schemes once each, and what the campaign's shorter window leaves out, are lines."""
    campaign = Campaign(name="Q4", scheme=Scheme.BHXH_TU_NGUYEN, attribution_window_days=30)
    read = {
        ("", 90): 10.0,  # every scheme: a person who joined both schemes counts once
        ("bhxh_tu_nguyen", 90): 8.0,
        ("bhyt_ho_gia_dinh", 90): 4.0,
        ("other", 90): 0.0,
        (None, 30): 5.0,  # the campaign's own filter: its scheme, its window
    }
    f = ReportFilter(unit=None, campaign=campaign, window_days=30)  # type: ignore[arg-type]
    r = reconcile(f, lambda gs: [read[(g.counted_scheme, g.window_days)] for g in gs])
    assert (r.reports, r.others, r.own, r.campaign) == (10, (("bhyt_ho_gia_dinh", 4),), 8, 5)
    assert (r.several, r.late) == (2, 3)
    assert r.adds_up()


def _sheet_lines(rows: list[tuple], caption: str, words: int, figure: int) -> list[tuple]:
    """The lines under ``caption`` in a sheet's rows (values only): (sign, words, figure) each,
    the sign split off the words as the page shows it apart, up to the first blank row. Every
    figure must be a number: text "15" would fail here."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == caption)
    lines = []
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        sign, _, rest = str(row[words]).partition(" ")
        if sign not in ("−", "+", "="):
            sign, rest = "", str(row[words])
        assert type(row[figure]) in (int, float), row
        lines.append((sign, rest, row[figure]))
    return lines


def _formats(sheet, caption: str, column: int) -> set[str]:
    """The number formats of the figures under ``caption``."""
    rows = list(sheet.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == caption)
    found = set()
    for row in rows[start + 1 :]:
        if row[0].value is None:
            break
        found.add(row[column].number_format)
    return found


def test_the_campaign_workbook_carries_the_page_s_lines(client: FlaskClient, make) -> None:
    """The campaign's Excel file, forwarded without the page, says the page's lines under its
    figures: the same words in Vietnamese, the same figures as numbers formatted as counts."""
    demo.load(db.session, HOME)
    db.session.commit()
    campaign = _campaign()
    login(client, make.user("manager", HOME).email)
    html = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    page = [(s, w, n) for _k, s, w, n in _lines(html, "credit-reconcile")]
    book = load_workbook(io.BytesIO(client.get(f"/reports/campaigns/{campaign.id}.xlsx").data))
    sheet = book["Tổng quan"]
    caption = (
        "Từ số của báo cáo so sánh kênh và báo cáo tháng đến số ghi nhận ở đây, cho cùng các "
        "hoạt động"
    )
    rows = list(sheet.iter_rows(values_only=True))
    assert any(r[0] == caption for r in rows), "the reconciliation is missing from the workbook"
    lines = _sheet_lines(rows, caption, 0, 1)
    assert lines == page
    assert [n for *_, n in lines] == [22, 7, 15]
    assert _formats(sheet, caption, 1) == {"#,##0"}
    assert all(
        sheet.cell(r, 1).alignment.wrap_text for r in range(sheet.max_row - 2, sheet.max_row + 1)
    )
    # Its last line is the figure the sheet gives as attributed, above it.
    attributed = next(r[1] for r in rows if r[0] == "Ghi nhận cho các hoạt động của chiến dịch")
    assert lines[-1][2] == attributed


def test_the_follow_up_workbook_carries_the_page_s_lines(client: FlaskClient, make) -> None:
    """The follow-up's sheet of who enrolled says, above its list as the page does, the lines
    from the list to the reports' figure; the list's headers and rows follow them."""
    demo.load(db.session, HOME)
    db.session.commit()
    campaign = _campaign()
    event_id = db.session.scalars(
        sa.select(Event.id).where(
            Event.campaign_id == campaign.id, Event.channel == Channel.ONLINE_CONFERENCE
        )
    ).one()
    login(client, make.user("manager", HOME).email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    page = [(s, w, n) for _k, s, w, n in _lines(html, "enrolled-reconcile")]
    data = client.get(f"/events/{event_id}/follow-up.xlsx").data
    sheet = load_workbook(io.BytesIO(data))["Đã đăng ký sau sự kiện"]
    caption = "Từ danh sách này đến số của báo cáo so sánh kênh và báo cáo tháng cho sự kiện này"
    rows = list(sheet.iter_rows(values_only=True))
    assert any(r[0] == caption for r in rows), "the reconciliation is missing from the workbook"
    lines = _sheet_lines(rows, caption, 0, 5)
    assert lines == page
    assert (lines[0][2], lines[-1][2]) == (7, 11)
    assert _formats(sheet, caption, 5) == {"#,##0"}
    header = next(i for i, r in enumerate(rows, start=1) if r[0] == "Họ và tên")
    assert sheet.freeze_panes == f"A{header + 1}"
    people = [r for r in rows[header:] if r[0]]
    assert len(people) == lines[0][2]  # "mỗi người một dòng ở dưới": the rows under it
