""" "My calls" counts no further than its cap and pages without a total: exactly the cap is a
number and the pages are known; one more, and the page says "hơn …" and goes on by "Sau" alone,
page after page to the last, whose next link is gone, and past it a way back to the first."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.followup import calls_page
from app.followup import my_calls as calls_module
from app.followup.my_calls import my_calls
from tests.app.followup.calls_world import LATE, attendee, calls_world, person_id
from tests.conftest import Factory, login

pytestmark = pytest.mark.postgres

CAP, PAGE = 6, 3


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cap of 6 and pages of 3: the same queries as at 1.000 and 50, on a world of a few."""
    for module in (calls_module, calls_page):
        monkeypatch.setattr(module, "CAP", CAP)
    monkeypatch.setattr(calls_module, "PAGE_SIZE", PAGE)


def _fresh(w, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        attendee(w.world, f"Người Mới {i:02d}", f"09660000{i:02d}")
    db.session.commit()


def _free(html: str) -> str:
    return html[html.index('<section id="free">') :]


def _names(html: str) -> list[str]:
    return re.findall(r'<strong class="person-name">([^<]+)</strong>', _free(html))


def test_exactly_the_cap_is_counted_and_paged_by_number(
    make: Factory, client: FlaskClient, small: None
) -> None:
    w = calls_world(make)
    _fresh(w, CAP - 1)  # and Ngô Thị Dậu, worked with no date: the cap exactly
    calls = my_calls(w.me, LATE)
    assert calls.free.counts["unscheduled"] == CAP
    assert (calls.free.over, calls.free.pages, calls.free.has_next) == (frozenset(), 3, True)
    login(client, w.me.email)
    html = client.get("/follow-up/calls").get_data(as_text=True)
    assert "Chưa hẹn (6)" in _free(html)
    assert "Trang 1 / 3" in _free(html)
    assert "hơn" not in _free(html)


def test_one_more_than_the_cap_reads_more_than_and_pages_to_the_end(
    make: Factory, client: FlaskClient, small: None
) -> None:
    w = calls_world(make)
    _fresh(w, CAP)  # with Ngô Thị Dậu: the cap and one more
    calls = my_calls(w.me, LATE)
    assert calls.free.counts["unscheduled"] == CAP + 1
    assert (calls.free.over, calls.free.pages) == (frozenset({"unscheduled"}), None)
    login(client, w.me.email)
    seen: list[str] = []
    pages = {}
    for page in (1, 2, 3, 4):
        html = client.get(f"/follow-up/calls?free_page={page}").get_data(as_text=True)
        pages[page] = _free(html)
        seen += _names(html)
        assert "Chưa hẹn: hơn 6" in pages[page]
        assert "/ " not in re.sub(r"<[^>]+>", "", pages[page].split('class="pager"')[-1])
    first, middle, last, past = pages[1], pages[2], pages[3], pages[4]
    assert "Chưa hẹn (hơn 6)" in first  # the group's heading above its rows
    # First: no "Trang trước", a "Trang sau"; middle: both; last (2 rows): "Trang trước" alone.
    links = {
        page: ("« Trang trước" in html, "Trang sau »" in html, f"<span>Trang {page}</span>" in html)
        for page, html in ((1, first), (2, middle), (3, last), (4, past))
    }
    assert links == {1: (False, True, True), 2: (True, True, True), 3: (True, False, True),
                     4: (True, False, True)}  # fmt: skip
    assert 'href="/follow-up/calls?free_page=2"' in first
    # Past the end: nothing to show, and the way back to the first page.
    assert "Trang này đã quá cuối danh sách." in past
    assert 'href="/follow-up/calls?free_page=1">Về trang đầu</a>' in past
    assert _names(past) == []
    # Every row once: Phan Văn Cường (coming up), Ngô Thị Dậu, then the new ones by id.
    assert seen == ["Phan Văn Cường", "Ngô Thị Dậu", *[f"Người Mới {i:02d}" for i in range(CAP)]]
    assert len(set(seen)) == CAP + 2
    assert person_id("Ngô Thị Dậu") in {r.person_id for r in my_calls(w.me, LATE).free.rows}


def test_the_held_leads_past_the_cap_are_counted_no_further(make: Factory, small: None) -> None:
    from datetime import date

    from app.models import LeadStatus, LeadWork

    w = calls_world(make)
    for i in range(CAP + 1):
        who = attendee(w.world, f"Người Giữ {i:02d}", f"09550000{i:02d}")
        db.session.add(LeadWork(event_id=w.world.event_id, person_id=who, assignee_id=w.me.id,
                                status=LeadStatus.CALL_BACK,
                                next_call_on=date(2026, 12, 30)))  # fmt: skip
    db.session.commit()
    held = my_calls(w.me, LATE).held
    # Coming up: the cap and one more (counted no further); the other groups exact.
    assert held.counts == {"overdue": 1, "today": 1, "upcoming": CAP + 1, "unscheduled": 0}
    assert (held.over, held.pages, held.has_next, len(held.rows)) == (
        frozenset({"upcoming"}), None, True, PAGE)  # fmt: skip
    last = my_calls(w.me, LATE, page=3).held
    assert (len(last.rows), last.has_next, last.page) == (3, False, 3)
    assert my_calls(w.me, LATE, page=4).held.rows == []
