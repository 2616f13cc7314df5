"""On a phone, a report's rows become cards, each cell labelled (data-label). A province-year
page has hundreds of rows: the labels are translated once per page (``{% set cell = … %}``),
as the channels' names are (``report_labels``), not once per cell. Written per cell, the
year page spent about 2,800 translation look-ups per view (cProfile on bench/reports.py's
province-year at scale 0.1), tens of milliseconds of a page that should take under 100."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import HOME, login

TEMPLATES = Path(__file__).resolve().parents[3] / "app" / "templates" / "reports"
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def test_report_rows_take_their_card_labels_from_one_translation_per_page() -> None:
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text()
        assert not re.search(r"data-label=\"\{\{\s*_\(", text), template.name


def _labels(html: str, table: str) -> list[str]:
    body = re.search(rf'<table[^>]*id="{table}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r'data-label="([^"]*)"', body)


def test_the_cards_are_labelled_in_vietnamese(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    province = client.get("/reports/channels", query_string={**OCTOBER, "org_unit": HOME})
    html = province.get_data(as_text=True)
    channels, communes = _labels(html, "channels"), _labels(html, "communes")
    assert channels[:4] == ["Hoạt động", "Tiếp cận", "Tiếp cận tính theo", "Tương tác"]
    assert communes[:3] == ["Kênh", "Hoạt động", "Tiếp cận"]
    commune = client.get("/reports/channels",
                         query_string={**OCTOBER, "org_unit": month.commune_a.code})  # fmt: skip
    events = _labels(commune.get_data(as_text=True), "events")
    assert events[:2] == ["Ngày", "Kênh"]
    campaign = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    cards = re.findall(r'data-label="([^"]*)"', campaign)
    assert "Kênh" in cards
    assert all(label.strip() for label in channels + communes + events + cards)
