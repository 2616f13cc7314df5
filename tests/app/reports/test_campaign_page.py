"""Campaigns you can reach: the list links each campaign to its page, which lists its events.

On the month of tests/app/reports/conftest.py: the campaign "BHXH tự nguyện Q4" has six events
(P1 25/10, L2 20/10, G1 15/10, C1 10/10, L1 05/10, S0 20/09); another campaign's event and the
other province's never show; the progress figure read alone (for the home screen) is the page's.
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Campaign
from app.reports import routes
from app.reports.campaign import campaign_progress, enrolled_so_far
from tests.conftest import HOME, login

NEWEST_FIRST = ["P1", "L2", "G1", "C1", "L1", "S0"]


def listed(html: str) -> list[int]:
    table = re.search(r'<table class="list" id="campaign-events">(.*?)</table>', html, re.S)
    assert table, "no table of the campaign's events"
    return [int(i) for i in re.findall(r'<tr data-event="(\d+)">', table.group(1))]


def test_the_campaign_list_links_each_campaign_to_its_page(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    html = client.get("/campaigns").get_data(as_text=True)
    assert f'<a href="/reports/campaigns/{month.campaign_id}">BHXH tự nguyện Q4</a>' in html


def test_the_campaign_page_lists_its_events(client, make, month) -> None:
    other = make.campaign(HOME, name="Chiến dịch khác")
    stray = make.event(HOME, title="Sự kiện của chiến dịch khác", campaign=other)
    login(client, make.user("viewer", HOME).email)
    html = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    assert listed(html) == [month.events[k].id for k in NEWEST_FIRST]
    assert stray.id not in listed(html)
    assert month.events["X"].id not in listed(html)
    assert "6 sự kiện" in html
    assert f'href="/events/{month.events["C1"].id}"' in html
    assert "10/10/2026 09:00" in html  # C1's start, Vietnam time
    assert "5.000.000" in html  # C1's cost


def test_the_events_come_a_page_at_a_time(
    client, make, month, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "EVENTS_PER_PAGE", 4)
    login(client, make.user("viewer", HOME).email)
    url = f"/reports/campaigns/{month.campaign_id}"
    first = client.get(url).get_data(as_text=True)
    assert listed(first) == [month.events[k].id for k in NEWEST_FIRST[:4]]
    assert f'href="{url}?page=2#events"' in first
    second = client.get(url, query_string={"page": 2}).get_data(as_text=True)
    assert listed(second) == [month.events[k].id for k in NEWEST_FIRST[4:]]


def test_the_progress_figure_alone_is_the_pages(app, month) -> None:
    campaign = db.session.get(Campaign, month.campaign_id)
    assert enrolled_so_far(campaign) == campaign_progress(campaign).enrolled == 4
