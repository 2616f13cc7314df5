"""The channel comparison on the hand-made month of conftest.py: every figure worked out by hand.

The same expected table is checked against the API, the page, the Excel workbook and the CSV;
reach is checked to count only its own kind (the conference's relay views are not people).
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.auth.tokens import issue_token
from app.extensions import db
from tests.app.reports.conftest import FORMULA_TITLE, OCTOBER
from tests.conftest import HOME, OTHER, login


def wilson(successes: float, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Written out again here, so a wrong interval in app.followup.stats is caught."""
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials**2)) / (1 + z * z / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))


L1_INTERACTIONS = 70 + 3 + 9  # latest reactions_total, comments not deleted, latest shares
L2_INTERACTIONS = (5 + 2) + 0 + 1  # no reactions_total: the types are added
EXPECTED = {
    "livestream": dict(events=2, reach=1500 + 200, reach_kind="views",
                       interactions=L1_INTERACTIONS + L2_INTERACTIONS, identified=2, enrolments=1,
                       conversion=1 / 2, cost_vnd=2_000_000 + 1_000_000,
                       cost_per_enrolment=3_000_000),
    "post": dict(events=1, reach=400, reach_kind="views", interactions=20 + 1 + 5, identified=0,
                 enrolments=0, conversion=None, cost_vnd=0, cost_per_enrolment=None),
    # Hall A's latest head count (40) + hall B's two identified attendees; never the 999 views.
    "online_conference": dict(events=1, reach=40 + 2, reach_kind="people", interactions=None,
                              identified=3, enrolments=1, conversion=1 / 3, cost_vnd=5_000_000,
                              cost_per_enrolment=5_000_000),
    # A meeting in a room has no reactions, comments or shares: none, as a leaflet, not 0.
    "conference": dict(events=0, reach=0, reach_kind="people", interactions=None, identified=0,
                       enrolments=0, conversion=None, cost_vnd=0, cost_per_enrolment=None),
    "small_group": dict(events=1, reach=3, reach_kind="people", interactions=None, identified=3,
                        enrolments=1, conversion=1 / 3, cost_vnd=300_000,
                        cost_per_enrolment=300_000),
    "leaflet": dict(events=1, reach=500, reach_kind="copies", interactions=None, identified=None,
                    enrolments=None, conversion=None, cost_vnd=400_000, cost_per_enrolment=None),
    "loudspeaker": dict(events=1, reach=12, reach_kind="broadcasts", interactions=None,
                        identified=None, enrolments=None, conversion=None, cost_vnd=120_000,
                        cost_per_enrolment=None),
    "poster": dict(events=0, reach=0, reach_kind="copies", interactions=None, identified=None,
                   enrolments=None, conversion=None, cost_vnd=0, cost_per_enrolment=None),
}  # fmt: skip
KEYS = ("events", "reach", "reach_kind", "interactions", "identified", "enrolments",
        "conversion", "cost_vnd", "cost_per_enrolment")  # fmt: skip
TOTAL_COST = 2_000_000 + 1_000_000 + 5_000_000 + 300_000 + 400_000 + 120_000


def _api(client, user, **params):
    token = issue_token(user)
    db.session.commit()
    return client.get(
        "/api/v1/reports/channels",
        query_string=params,
        headers={"Authorization": f"Bearer {token}"},
    )


def test_api_figures_agree_with_the_hand_computation(client, make, month) -> None:
    user = make.user("viewer", HOME)
    response = _api(client, user, **OCTOBER, org_unit=HOME)
    assert response.status_code == 200, response.get_json()
    rows = {row["channel"]: row for row in response.get_json()}
    assert list(rows) == list(EXPECTED)
    for channel, expected in EXPECTED.items():
        row = rows[channel]
        assert set(KEYS) <= set(row), channel
        for key in KEYS:
            if key == "conversion" and expected[key] is not None:
                assert row[key] == pytest.approx(expected[key], abs=1e-4), channel
            else:
                assert row[key] == expected[key], (channel, key)
    lo, hi = wilson(1, 2)
    assert rows["livestream"]["conversion_ci"] == [round(lo, 4), round(hi, 4)]


def test_reach_never_mixes_views_and_people(client, make, month) -> None:
    """The conference has a relay stream with 999 views: its reach stays 42 people, and the
    livestreams' views are not topped up with anybody's head count."""
    rows = {r["channel"]: r for r in _api(client, make.user(), **OCTOBER).get_json()}
    assert rows["online_conference"]["reach"] == 42
    assert rows["online_conference"]["reach"] != 42 + 999
    assert rows["livestream"]["reach"] == 1700
    kinds = {r["channel"]: r["reach_kind"] for r in rows.values()}
    assert kinds["livestream"] == kinds["post"] == "views"
    assert kinds["online_conference"] == kinds["conference"] == kinds["small_group"] == "people"

    from app.reports.facts import EventFact, empty_figures

    views = empty_figures("livestream")
    with pytest.raises(ValueError, match="people"):
        views.add(EventFact(1, "x", "small_group", None, None, None, reach=3))


def test_attribution_model_moves_the_credit(client, make, month) -> None:
    """Linear: p2 touched C1 and G1, so each earns half of p2's enrolment."""
    rows = {
        r["channel"]: r for r in _api(client, make.user(), **OCTOBER, model="linear").get_json()
    }
    assert rows["online_conference"]["enrolments"] == 1.5
    assert rows["small_group"]["enrolments"] == 0.5
    assert rows["online_conference"]["cost_per_enrolment"] == round(5_000_000 / 1.5)


def test_period_and_campaign_filters(client, make, month) -> None:
    user = make.user("viewer", HOME)
    everything = {r["channel"]: r for r in _api(client, user).get_json()}
    assert everything["livestream"]["reach"] == 1700 + 5000  # September's live comes in
    september = {
        r["channel"]: r
        for r in _api(client, user, **{"from": "2026-09-01", "to": "2026-09-30"}).get_json()
    }
    assert september["livestream"]["events"] == 1
    assert september["leaflet"]["events"] == 0
    other_campaign = make.campaign(HOME, name="Khác")
    none = _api(client, user, **OCTOBER, campaign_id=other_campaign.id).get_json()
    assert all(r["events"] == 0 for r in none)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"from": "31/02/2026"}, "from"),  # dd/mm/yyyy is read, but there is no such day
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2026-10-31", "to": "2026-10-01"}, "to"),
        ({"org_unit": "99999"}, "org_unit"),
        ({"org_unit": OTHER}, "org_unit"),
        ({"campaign_id": "abc"}, "campaign_id"),
        ({"model": "magic"}, "model"),
        ({"window": "45"}, "window"),
    ],
)
def test_bad_parameters_are_named(client, make, params, name) -> None:
    response = _api(client, make.user(), **params)
    assert response.status_code == 422
    assert response.get_json()["message"].startswith(f"{name}:")


def test_another_provinces_data_is_never_counted(client, make, month) -> None:
    user = make.user("manager", HOME)
    body = _api(client, user, **OCTOBER).get_data(as_text=True)
    assert "77777" not in body
    assert "9999999" not in body
    other_campaign = make.campaign(OTHER, name="Bí mật")
    assert _api(client, user, campaign_id=other_campaign.id).status_code == 422
    login(client, user.email)
    page = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    assert "77.777" not in page
    assert "Bí mật" not in page
    assert "Sự kiện tỉnh khác" not in page
    csv_body = client.get("/reports/channels.csv", query_string={**OCTOBER, "view": "event"})
    assert "Sự kiện tỉnh khác" not in csv_body.get_data(as_text=True)
    # A commune user sees only their commune: the province's livestream is not theirs.
    commune_user = make.user("viewer", month.commune_b.code)
    fresh = client.application.test_client()
    rows = {r["channel"]: r for r in _api(fresh, commune_user, **OCTOBER).get_json()}
    assert rows["livestream"]["events"] == 0
    assert rows["small_group"]["reach"] == 3
    assert rows["loudspeaker"]["reach"] == 12
    assert rows["leaflet"]["reach"] == 0


def _vn_number(value: int | float) -> str:
    """1700 → "1.700"; 0.5 → "0,5" (Vietnamese separators), written out by hand."""
    if isinstance(value, float) and not value.is_integer():
        whole, frac = f"{value:.1f}".split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


def test_page_shows_the_same_figures(client, make, month) -> None:
    user = make.user("viewer", HOME)
    login(client, user.email)
    response = client.get("/reports/channels", query_string={**OCTOBER, "org_unit": HOME})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for channel, expected in EXPECTED.items():
        row = re.search(rf'<tr data-channel="{channel}">(.*?)</tr>', html, re.S)
        assert row, channel
        cells = dict(re.findall(r'data-key="(\w+)"[^>]*>(.*?)</td>', row.group(1), re.S))
        for key in ("events", "reach", "interactions", "identified", "enrolments", "cost_vnd",
                    "cost_per_enrolment"):  # fmt: skip
            value = expected[key]
            shown = cells[key].strip()
            assert shown == ("—" if value is None else _vn_number(value)), (channel, key)
        assert f'data-value="{expected["reach_kind"]}"' in row.group(1)
        if expected["conversion"] is not None:
            assert cells["conversion"].startswith(
                _vn_number(round(expected["conversion"] * 100, 1))
            )
    # The bracketed range beside each rate is explained on the page, not only in the workbook.
    assert any(e["conversion"] is not None for e in EXPECTED.values())
    assert 'id="conversion-note"' in html
    assert "95" in html.split('id="conversion-note"')[1][:400]
    total = re.search(r'<tr data-channel="total">(.*?)</tr>', html, re.S).group(1)
    assert _vn_number(TOTAL_COST) in total
    assert "1.700" in html
    assert "42" in html
    # Drill-down: the province page lists communes, each linking to its own page.
    assert f"org_unit={month.commune_a.code}" in html
    commune = client.get(
        "/reports/channels", query_string={**OCTOBER, "org_unit": month.commune_a.code}
    )
    assert f"/events/{month.events['L2'].id}" in commune.get_data(as_text=True)
    assert client.get("/reports/channels", query_string={"from": "x"}).status_code == 422


def _sheet_rows(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]


def test_excel_has_numbers_dates_and_the_same_figures(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    response = client.get("/reports/channels.xlsx", query_string=OCTOBER)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Theo kênh", "Theo tháng", "Theo xã", "Theo hoạt động"]
    sheet = book["Theo kênh"]
    assert sheet.freeze_panes == "A4"
    assert sheet.cell(3, 1).value == "Kênh"
    rows = _sheet_rows(sheet)
    assert len(rows) == len(EXPECTED) + 1  # the channels, then the all-channels line
    assert rows[-1][0] == "Tất cả các kênh"
    by_label = {r[0]: r for r in rows}
    from dashboards.theme import WORDS

    for channel, expected in EXPECTED.items():
        row = by_label[WORDS[f"channel.{channel}"]]
        events, reach, kind, posts, interactions, identified, enrolments, conversion = row[1:9]
        assert (events, reach, interactions, identified) == (
            expected["events"], expected["reach"], expected["interactions"],
            expected["identified"],
        )  # fmt: skip
        assert kind == WORDS[f"reach.{expected['reach_kind']}"]
        assert posts is None  # no post's reach read in this month
        assert enrolments == expected["enrolments"]
        assert row[11] == expected["cost_vnd"]
        assert row[12] == expected["cost_per_enrolment"]
        assert isinstance(events, int)
        assert isinstance(reach, int)
        if expected["conversion"] is not None:
            assert conversion == pytest.approx(expected["conversion"], abs=1e-4)
    reach_cell = sheet.cell(4, 3)
    assert reach_cell.data_type == "n"
    assert reach_cell.number_format == "#,##0"
    assert sheet.cell(4, 9).number_format == "0.0%"
    months = _sheet_rows(book["Theo tháng"])
    assert {r[0] for r in months} == {datetime(2026, 10, 1)}  # noqa: DTZ001 (Excel has no zones)
    assert book["Theo tháng"].cell(4, 1).number_format == "mm/yyyy"
    events = book["Theo hoạt động"]
    titles = {r[2]: r for r in _sheet_rows(events)}  # date, channel, title: no internal id
    # Neutralised: a text cell shown as typed (no visible quote), never a formula that runs.
    assert "'" + FORMULA_TITLE not in titles
    assert isinstance(titles[FORMULA_TITLE][0], datetime)
    formula_cells = [c for row in events.iter_rows() for c in row if c.value == FORMULA_TITLE]
    assert formula_cells
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_cells)
    assert events.cell(4, 1).number_format == "dd/mm/yyyy"
    leaflet = next(r for r in _sheet_rows(events) if r[1] == WORDS["channel.leaflet"])
    assert leaflet[2] == "-phát tại chợ"  # a text cell keeps its words as typed: no quote shown


# The by-channel columns of the files, by their Vietnamese headers (the page's words).
HEADERS = {"events": "Hoạt động", "reach": "Tiếp cận", "reach_kind": "Tiếp cận tính theo",
           "post_reach": "Tổng lượt tiếp cận của các bài đăng", "interactions": "Tương tác",
           "identified": "Người được định danh",
           "enrolments": "Lượt tham gia BHXH và BHYT được ghi công",
           "conversion": "Tỷ lệ chuyển đổi", "low": "Cận dưới 95%", "high": "Cận trên 95%",
           "cost_vnd": "Chi phí (đồng)",
           "cost_per_enrolment": "Chi phí / người tham gia (đồng)"}  # fmt: skip
NOT_A_NUMBER = re.compile(r"\b(inf|infinity|nan|none)\b", re.I)
# October's all-channels line, by hand: p2 is at C1 and G1, so 7 people, not the rows' 8; the
# activities and interactions are the online channels' (offline ones have none of the latter).
ONLINE = [e for e in EXPECTED.values() if e["identified"] is not None]
TOTALS = {"events": 5, "interactions": L1_INTERACTIONS + L2_INTERACTIONS + 26, "identified": 7,
          "enrolments": 3, "cost_vnd": TOTAL_COST}  # fmt: skip


def _page_totals(client, query) -> dict[str, str]:
    """The page's all-channels line (its <tfoot>), cell by cell."""
    html = client.get("/reports/channels", query_string=query).get_data(as_text=True)
    total = re.search(r'<tr data-channel="total">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'data-key="(\w+)"[^>]*>(.*?)</td>', total, re.S)
    return {key: shown.strip() for key, shown in cells}


def _xlsx_by_channel(client, query) -> tuple[list[dict], dict]:
    """The workbook's sheet by channel: its channel rows and its last line, by header."""
    book = load_workbook(io.BytesIO(client.get("/reports/channels.xlsx", query_string=query).data))
    sheet = book["Theo kênh"]
    headers = [c.value for c in sheet[3]]
    lines = [
        dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=4, values_only=True)
    ]
    lines = [line for line in lines if line["Hoạt động"] is not None]  # not the planned note
    return lines[:-1], lines[-1]


def _csv_by_channel(client, query) -> tuple[list[dict], dict]:
    text = client.get("/reports/channels.csv", query_string=query).data.decode("utf-8-sig")
    header, *lines = csv.reader(io.StringIO(text), delimiter=";")
    assert not any("," in h for h in header), header  # a comma inside a header splits it
    lines = [dict(zip(header, r, strict=True)) for r in lines]
    return lines[:-1], lines[-1]


def test_the_files_end_with_the_pages_all_channels_line(client, make, month) -> None:
    """The Excel and CSV files end their table by channel with the page's totals: the sums of
    the rows (distinct people aside), ratios of the summed parts, the reach not added up."""
    login(client, make.user("viewer", HOME).email)
    query = {**OCTOBER, "org_unit": HOME}
    page = _page_totals(client, query)
    rows, total = _xlsx_by_channel(client, query)
    h = HEADERS
    assert len(rows) == len(EXPECTED)
    assert total["Kênh"] == "Tất cả các kênh"
    assert total[h["reach_kind"]] == "Không cộng: khác đơn vị tính"
    assert total[h["reach"]] is None  # views and people are not added up
    assert page["reach"] == "—"
    assert total[h["post_reach"]] is None  # never in the totals
    assert (total[h["low"]], total[h["high"]]) == (None, None)
    for key, expected in TOTALS.items():
        assert total[h[key]] == expected, key
        assert page[key] == _vn_number(expected), key
    assert total[h["cost_vnd"]] == sum(r[h["cost_vnd"]] for r in rows)
    assert total[h["enrolments"]] == sum(r[h["enrolments"]] or 0 for r in rows)
    assert total[h["interactions"]] == sum(r[h["interactions"]] or 0 for r in rows)
    online = [r for r in rows if r[h["identified"]] is not None]
    assert (
        total[h["events"]]
        == sum(r[h["events"]] for r in online)
        == sum(e["events"] for e in ONLINE)
    )
    assert total[h["identified"]] < sum(r[h["identified"]] for r in online)  # p2 counted once
    # Ratios of the summed parts, never an average of the channels' ratios.
    assert total[h["conversion"]] == round(3 / 7, 4)
    ratios = [r[h["conversion"]] for r in online if r[h["conversion"]] is not None]
    mean = sum(ratios) / len(ratios)
    assert abs(total[h["conversion"]] - mean) > 0.01
    assert page["conversion"] == "42,9 %"
    assert total[h["cost_per_enrolment"]] == round(TOTAL_COST / 3)
    assert page["cost_per_enrolment"] == _vn_number(round(TOTAL_COST / 3))

    rows_csv, total_csv = _csv_by_channel(client, query)
    assert [r["Kênh"] for r in rows_csv] == [r["Kênh"] for r in rows]
    for header, value in total.items():
        assert total_csv[header] == ("" if value is None else str(value).replace(".", ",")), header
    assert total_csv[h["conversion"]] == "0,4286"


def test_no_ratio_without_its_denominator_in_the_all_channels_line(client, make, month) -> None:
    """September: a livestream paid for (700.000) but nobody identified and no enrolment — the
    ratios are a dash on the page and empty in the files, never Infinity or nan."""
    login(client, make.user("viewer", HOME).email)
    query = {"from": "2026-09-01", "to": "2026-09-30", "org_unit": HOME}
    page = _page_totals(client, query)
    _, total = _xlsx_by_channel(client, query)
    _, total_csv = _csv_by_channel(client, query)
    h = HEADERS
    assert (total[h["cost_vnd"]], total[h["enrolments"]], total[h["identified"]]) == (700_000, 0, 0)
    assert total[h["conversion"]] is None
    assert total[h["cost_per_enrolment"]] is None
    assert (page["conversion"], page["cost_per_enrolment"]) == ("—", "—")
    assert (total_csv[h["conversion"]], total_csv[h["cost_per_enrolment"]]) == ("", "")
    assert total_csv[h["cost_vnd"]] == "700000"
    text = client.get("/reports/channels.csv", query_string=query).get_data(as_text=True)
    assert not NOT_A_NUMBER.search(text), NOT_A_NUMBER.findall(text)
    pdf = client.get("/reports/monthly.pdf", query_string={"period": "2026-09", "org_unit": HOME})
    line = next(ln for ln in _pdf_lines(pdf.data) if ln.startswith("Tất cả các kênh"))
    assert "700.000" in line
    assert not NOT_A_NUMBER.search(line), line
    assert line.split()[-1] == "—"  # the cost per enrolment


def test_csv_has_the_same_figures_and_is_formula_safe(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    response = client.get("/reports/channels.csv", query_string=OCTOBER)
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Excel set to Vietnamese
    from dashboards.theme import WORDS

    body = {r[0]: r for r in rows[1:]}
    for channel, expected in EXPECTED.items():
        row = body[WORDS[f"channel.{channel}"]]
        assert row[1] == str(expected["events"])
        assert row[2] == str(expected["reach"])
        assert row[3] == WORDS[f"reach.{expected['reach_kind']}"]
        assert row[4] == ""  # the posts' reach: none read in this month
        assert row[11] == str(expected["cost_vnd"])
        assert row[12] == ("" if expected["cost_per_enrolment"] is None
                           else str(expected["cost_per_enrolment"]))  # fmt: skip
    events = client.get("/reports/channels.csv", query_string={**OCTOBER, "view": "event"})
    text = events.get_data(as_text=True)
    assert "'" + FORMULA_TITLE.replace('"', '""') in text
    assert ";=HYPERLINK" not in text
    assert ';"=HYPERLINK' not in text
    assert "'-phát tại chợ" in text
    assert "25/10/2026" in text  # days as the workbook and the pages show them
    bad = client.get("/reports/channels.csv", query_string={"view": "nope"})
    assert bad.status_code == 422


def test_campaign_page_progress_and_funnel(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    response = client.get(f"/reports/campaigns/{month.campaign_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # New BHXH tự nguyện enrolments in 40 from 01/10 to 31/12: p1, p2, p6, p7 (p4 renews, p5
    # pays in 2027, p8 lives nowhere in 40). Goal 10 → 40 %.
    assert re.search(r'data-key="enrolled">4<', html)
    assert re.search(r'data-key="share">40,0 %<', html)  # one decimal, as everywhere
    assert re.search(r'data-key="attributed">3<', html)
    from app.models import Campaign
    from app.reports.campaign import campaign_progress

    progress = campaign_progress(db.session.get(Campaign, month.campaign_id))
    assert progress.funnel == {"identified": 7, "enrolled": 3}  # people, the second among the first
    assert progress.reach == {"views": 1700 + 400 + 5000, "interactions": 90 + 26,
                              "present": 42 + 3, "called": 0}  # fmt: skip
    reach = html[html.index('id="reach"') :]
    assert re.search(r'data-key="views">7\.100 lượt xem<', reach)
    assert re.search(r'data-key="interactions">116 lượt tương tác<', reach)
    assert re.search(r'data-key="present">45 người<', reach)
    assert sum(n for _, _, n in progress.by_commune) == 4
    assert sum(n for _, n in progress.weeks) == 4
    assert all(w.weekday() == 0 for w, _ in progress.weeks)


def test_monthly_report_and_build_command(app, client, make, month, tmp_path) -> None:
    user = make.user("manager", HOME)
    login(client, user.email)
    printed = client.get("/reports/monthly", query_string={"period": "2026-10", "org_unit": HOME})
    assert printed.status_code == 200
    html = printed.get_data(as_text=True)
    assert "@media print" in html
    # The letterhead's title line comes first; the period and model line after it.
    heading = re.findall(r'<p class="muted">(.*?)</p>', html, re.S)[1]
    assert "Tháng 10/2026" in heading
    assert "2026-10" not in heading
    assert "Lần tiếp xúc cuối" in heading
    assert "last_touch" not in heading
    row = re.search(r'<tr data-channel="livestream">(.*?)</tr>', html, re.S).group(1)
    assert "1.700" in row
    assert "3.000.000" in row
    assert client.get("/reports/monthly", query_string={"period": "2026-13"}).status_code == 422

    result = app.test_cli_runner().invoke(
        args=["reports", "build", "--period", "2026-10", "--org-unit", HOME]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.rsplit("/", 1)[-1] for p in result.output.split())
    assert names == [f"bao-cao-nghe-an-2026-10.{ext}" for ext in ("csv", "html", "pdf", "xlsx")]
    listing = client.get("/reports/files").get_data(as_text=True)
    assert 'title="bao-cao-nghe-an-2026-10.xlsx">Tải về (Excel)</a>' in listing
    assert "<td>Tháng 10/2026</td>" in listing  # the period in words beside the file
    assert re.search(r'<td class="num">\d+(,\d)? KB</td>', listing)  # not "12.345" bytes
    assert "flask reports build" not in listing
    download = client.get(
        "/reports/files", query_string={"name": f"{HOME}/bao-cao-nghe-an-2026-10.xlsx"}
    )
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.data))["Theo kênh"]
    assert _sheet_rows(sheet)[0][2] == 1700
    for bad in ("../secret", f"{HOME}/../../x", f"{OTHER}/x.xlsx"):
        assert client.get("/reports/files", query_string={"name": bad}).status_code == 404
    bad = app.test_cli_runner().invoke(args=["reports", "build", "--period", "10/2026",
                                             "--org-unit", HOME])  # fmt: skip
    assert bad.exit_code != 0
    assert "period" in bad.output


def _pdf_lines(data: bytes) -> list[str]:
    pages = PdfReader(io.BytesIO(data)).pages
    return [line for page in pages for line in page.extract_text().splitlines()]


def test_monthly_pdf_has_the_hand_computed_figures(client, make, month) -> None:
    user = make.user("viewer", HOME)
    login(client, user.email)
    response = client.get(
        "/reports/monthly.pdf", query_string={"period": "2026-10", "org_unit": HOME}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "bao-cao-nghe-an-2026-10.pdf" in response.headers["Content-Disposition"]
    text = "\n".join(_pdf_lines(response.data))
    assert "Báo cáo so sánh kênh truyền thông" in text  # Vietnamese survives the font
    assert "Tháng 10/2026" in text
    assert "2026-10" not in text
    assert "Lần tiếp xúc cuối" in text
    assert "last_touch" not in text
    live = EXPECTED["livestream"]
    row = next(line for line in _pdf_lines(response.data) if line.startswith("Livestream"))
    assert row.split()[1:5] == ["2", "1.700", "Lượt", "xem"]
    assert f"{live['cost_vnd']:,}".replace(",", ".") in row  # 3.000.000
    assert "50,0 %" in row
    total = next(line for line in _pdf_lines(response.data) if line.startswith("Tất cả các kênh"))
    assert f"{TOTAL_COST:,}".replace(",", ".") in total
    # The conference counts people: 42 people, never its 999 relay views.
    conference = next(line for line in _pdf_lines(response.data) if "trực tuyến" in line)
    assert "42" in conference.split()
    assert "999" not in conference
    bad = client.get("/reports/monthly.pdf", query_string={"period": "2026-13"})
    assert bad.status_code == 422
    assert "period" in bad.get_data(as_text=True)
