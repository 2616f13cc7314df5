"""Conferences and small groups have no interactions: "—" as a leaflet's, never "0".

Reactions, comments and shares are read from the platforms. A tour found every report giving
"Tương tác 0" to the in-person conference and the small group, while the leaflets had "—": a
manager read 0 as nobody reacting. Both now say "—" (an empty cell in Excel, as the leaflets'),
on the page, in the CSV, the PDF, the Word file and the Excel sheets, from the source tables
and from the rollups alike. A later tour found the online conference still "Tương tác 0" (0 in
Excel): a meeting on Zoom or Teams has no reactions, comments or shares read either, so it says
"—" too, unless a relay stream of it had some (then those count, as a room meeting's).
"""

from __future__ import annotations

import csv
import io
import re

from docx import Document
from openpyxl import load_workbook

from tests.app.reports.conftest import OCTOBER
from tests.app.reports.test_report_documents import _flat, _pdf_text
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
QUERY = {**OCTOBER, "org_unit": HOME}


def _cell(page: str, channel: str) -> str:
    row = re.search(rf'<tr data-channel="{channel}">(.*?)</tr>', page, re.S)
    assert row is not None, channel
    cell = re.search(r'data-key="interactions">([^<]*)<', row.group(1))
    assert cell is not None, channel
    return cell.group(1)


def test_a_small_group_has_no_interactions_anywhere(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    page = client.get("/reports/channels", query_string=QUERY).get_data(as_text=True)
    assert _cell(page, "small_group") == "—"
    assert _cell(page, "conference") == "—"
    assert _cell(page, "leaflet") == "—"
    assert _cell(page, "online_conference") == "—"  # a meeting: none read, not 0

    book = load_workbook(io.BytesIO(client.get("/reports/channels.xlsx", query_string=QUERY).data))
    for name in ("Theo kênh", "Theo hoạt động"):
        rows = list(book[name].iter_rows(values_only=True))
        column = next(r for r in rows if "Tương tác" in r).index("Tương tác")
        for channel in ("Truyền thông nhóm nhỏ", "Hội nghị trực tuyến"):
            group = [r for r in rows if channel in r]
            assert group, (name, channel)
            assert [r[column] for r in group] == [None] * len(group), (name, channel)

    text = client.get("/reports/channels.csv", query_string=QUERY).get_data(as_text=True)
    lines = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    small = [r for r in lines if r["Kênh"] == "Truyền thông nhóm nhỏ"]
    assert small
    assert [r["Tương tác"] for r in small] == [""]  # as the leaflets'

    word = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=MONTH).data))
    by_channel = next(t for t in word.tables if t.rows[0].cells[0].text == "Kênh")
    heads = [c.text for c in by_channel.rows[0].cells]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in by_channel.rows[1:]}
    column = heads.index("Tương tác")
    assert rows["Truyền thông nhóm nhỏ"][column] == "—"
    assert rows["Tờ rơi"][column] == "—"

    text = _flat(_pdf_text(client.get("/reports/monthly.pdf", query_string=MONTH).data))
    assert re.search(r"Truyền thông nhóm nhỏ 1 3 Người có mặt — ", text), text[:1500]


def test_a_room_meeting_relayed_by_a_stream_keeps_what_was_read() -> None:
    """ "—" means none read, not "none allowed": a conference whose relay stream had reactions
    keeps them, alone and added to the others of its channel; two with none stay "—"."""
    from app.reports.facts import EventFact, empty_figures

    for channel in ("conference", "online_conference"):

        def conference(interactions: int, channel: str = channel) -> EventFact:
            return EventFact(1, "Hội nghị", channel, None, None, None, interactions=interactions)

        assert conference(0).interactions is None
        assert conference(12).interactions == 12
        both = empty_figures(channel)
        for fact in (conference(0), conference(12)):
            both.add(fact)
        assert both.interactions == 12
        none = empty_figures(channel)
        for fact in (conference(0), conference(0)):
            none.add(fact)
        assert none.interactions is None
