"""Campaigns you can reach: the list links each campaign to its page, which lists its events.

On the month of tests/app/reports/conftest.py: the campaign "BHXH tự nguyện Q4" has six events
(P1 25/10, L2 20/10, G1 15/10, C1 10/10, L1 05/10, S0 20/09); another campaign's event and the
other province's never show; the progress figure read alone (for the home screen) is the page's.

A campaign's conversions are enrolments of its scheme: the month's campaign is BHXH tự nguyện,
so a G1 attendee who enrols in BHYT hộ gia đình is no new participant of it and is attributed to
none of its activities, while the channel comparison of every campaign still counts them. Its
weeks run from the campaign's first to the current week of Vietnam's calendar (or its last week
once it ended), the weeks without an enrolment included.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Attendance, Campaign, Enrolment, ImportBatch, Link, LinkStatus, Scheme
from app.reports import routes
from app.reports.campaign import campaign_progress, enrolled_so_far
from tests.app.reports.conftest import OCTOBER, Month, vn
from tests.conftest import HOME, login

NEWEST_FIRST = ["P1", "L2", "G1", "C1", "L1", "S0"]


def listed(html: str) -> list[int]:
    table = re.search(r'<table class="list[^"]*" id="campaign-events">(.*?)</table>', html, re.S)
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


def attended_and_enrolled(month: Month, *enrolments: tuple[Scheme, date]) -> None:
    """A new person of commune B at G1 (15/10), new in each scheme on each day given."""
    from app.models import Person

    person = Person(full_name="Người mới", commune_id=month.commune_b.id)
    batch = ImportBatch(kind="enrolments", filename="bhyt.xlsx", sha256=uuid.uuid4().hex,
                        created_at=vn(date(2026, 10, 29)))  # fmt: skip
    db.session.add_all([person, batch])
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=month.events["G1"].id, source="sheet",
                              touched_at=vn(date(2026, 10, 15))))  # fmt: skip
    for i, (scheme, paid_on) in enumerate(enrolments):
        row = Enrolment(import_batch_id=batch.id, source_row=i + 2, row_key=uuid.uuid4().hex,
                        scheme=scheme, is_new=True, paid_on=paid_on,
                        commune_id=month.commune_b.id)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="phone",
                            status=LinkStatus.LINKED, created_at=batch.created_at))  # fmt: skip
    db.session.commit()


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'<dd data-key="(\w+)">([^<]*)<', html))


def test_an_enrolment_in_another_scheme_is_no_conversion_of_the_campaign(
    client, make, month
) -> None:
    # Three G1 attendees enrol after it: two new in BHXH tự nguyện (p2, already in the month),
    # one new in BHYT hộ gia đình only.
    attended_and_enrolled(month, (Scheme.BHXH_TU_NGUYEN, date(2026, 10, 20)))
    attended_and_enrolled(month, (Scheme.BHYT_HO_GIA_DINH, date(2026, 10, 22)))
    login(client, make.user("viewer", HOME).email)
    html = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    # New participants: p1, p2, p6, p7 and the BHXH tự nguyện newcomer; attributed: the month's
    # 3 (p1 → C1, p2 → G1, p6 → L1) and the newcomer (→ G1), never the BHYT one.
    assert figures(html)["enrolled"] == "5"
    assert figures(html)["attributed"] == "4"
    progress = campaign_progress(db.session.get(Campaign, month.campaign_id))
    assert progress.funnel["enrolled"] == 4
    # The channel comparison of this campaign says the same; of every campaign it counts both.
    token = issue_token(make.user("manager", HOME))
    db.session.commit()

    def total(**params: object) -> float:
        response = client.get("/api/v1/reports/channels", query_string=params,
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        return sum(row["enrolments"] or 0 for row in response.get_json())

    assert total(campaign_id=month.campaign_id) == 4
    assert total(**OCTOBER) == 5


def test_a_person_new_to_the_campaigns_scheme_converts_after_another_schemes_enrolment(
    month,
) -> None:
    """In BHYT hộ gia đình before G1, new in BHXH tự nguyện after it: converted by G1, as the
    earlier enrolment was in another scheme."""
    attended_and_enrolled(
        month,
        (Scheme.BHYT_HO_GIA_DINH, date(2026, 10, 2)),
        (Scheme.BHXH_TU_NGUYEN, date(2026, 10, 24)),
    )
    progress = campaign_progress(db.session.get(Campaign, month.campaign_id))
    assert progress.enrolled == 5
    assert progress.funnel["enrolled"] == 4


def test_the_page_says_why_more_are_attributed_than_are_new(client, make, month) -> None:
    """Two G1 attendees pay in January, after the campaign's end but within its 90 days: its
    activities earned them, its goal (paid within its dates) does not count them."""
    login(client, make.user("viewer", HOME).email)
    url = f"/reports/campaigns/{month.campaign_id}"
    before = client.get(url).get_data(as_text=True)
    assert (figures(before)["enrolled"], figures(before)["attributed"]) == ("4", "3")
    assert 'id="attributed-note"' not in before
    attended_and_enrolled(month, (Scheme.BHXH_TU_NGUYEN, date(2027, 1, 5)))
    attended_and_enrolled(month, (Scheme.BHXH_TU_NGUYEN, date(2027, 1, 8)))
    after = client.get(url).get_data(as_text=True)
    assert (figures(after)["enrolled"], figures(after)["attributed"]) == ("4", "5")
    note = re.search(r'<p class="muted" id="attributed-note">([^<]*)</p>', after)
    assert note, "no word on why more are attributed than are new"
    assert "trong 90 ngày" in note.group(1)


MONDAYS_FROM_START = [date(2026, 9, 28) + timedelta(weeks=n) for n in range(14)]  # to 28/12


@pytest.mark.parametrize(
    ("now", "last_week"),
    [
        # Sunday 06/12 in Vietnam (the tester's today): the week of Monday 30/11.
        (datetime(2026, 12, 6, 3, 0, tzinfo=UTC), date(2026, 11, 30)),
        # Still Sunday 29/11 in UTC, already Monday 30/11 in Vietnam: the week of 30/11.
        (datetime(2026, 11, 29, 17, 30, tzinfo=UTC), date(2026, 11, 30)),
        # Sunday 29/11, 23:30 in Vietnam: the week of 23/11.
        (datetime(2026, 11, 29, 16, 30, tzinfo=UTC), date(2026, 11, 23)),
        # The campaign ended on 31/12: its last week is the one of 28/12, not the current one.
        (datetime(2027, 2, 10, 3, 0, tzinfo=UTC), date(2026, 12, 28)),
    ],
)
def test_the_weeks_run_to_the_current_week_with_the_empty_ones(
    client, make, month, monkeypatch: pytest.MonkeyPatch, now: datetime, last_week: date
) -> None:
    monkeypatch.setattr(routes, "utcnow", lambda: now)
    campaign = db.session.get(Campaign, month.campaign_id)
    weeks = campaign_progress(campaign, now=now).weeks
    expected = [w for w in MONDAYS_FROM_START if w <= last_week]
    assert [w for w, _ in weeks] == expected
    # p6 paid 06/10, p1 20/10, p7 21/10 and p2 on Sunday 25/10: nothing since.
    by_week = dict(weeks)
    assert by_week[date(2026, 10, 5)] == 1
    assert by_week[date(2026, 10, 19)] == 3
    assert sum(by_week.values()) == 4
    assert all(n == 0 for w, n in weeks if w > date(2026, 10, 19))
    login(client, make.user("viewer", HOME).email)
    html = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    table = re.search(r'<table class="list" id="by-week">(.*?)</table>', html, re.S).group(1)
    shown = re.findall(r"<tr><td>(\d\d/\d\d/\d{4})</td><td class=\"num\">(\d+)</td></tr>", table)
    assert shown[-1] == (last_week.strftime("%d/%m/%Y"), "0")
    assert len(shown) == len(expected)
    # The campaign starts on Thursday 01/10: its first week is shown from then, not Monday 28/09.
    assert shown[0][0] == campaign.starts_on.strftime("%d/%m/%Y") == "01/10/2026"


def test_a_campaign_not_started_has_no_weeks(make) -> None:
    campaign = make.campaign(HOME, name="Q1/2027", starts_on=date(2027, 1, 1),
                             ends_on=date(2027, 3, 31))  # fmt: skip
    assert campaign_progress(campaign, now=datetime(2026, 12, 6, 3, tzinfo=UTC)).weeks == []


def test_a_commune_opens_the_provinces_campaign_in_its_part(client, make, month) -> None:
    """Commune A's officer sees the province's campaign with A's figures alone.

    By hand: the campaign's new BHXH tự nguyện participants paid in A between 01/10 and 31/12
    are p1 (20/10), p6 (06/10) and p7 (21/10) — 3 of the whole's 4 (p2 is B's). Its events are
    A's own: P1, L2, S0 (newest first), none of the province's (L1, C1) nor B's (G1). Of those,
    only L2 touched anybody who enrolled (p7), whose link waits for review: none attributed.
    """
    a = month.commune_a
    login(client, make.user("officer", a.code).email)
    response = client.get(f"/reports/campaigns/{month.campaign_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    note = re.search(r'<p class="flash part-note" id="part-note">([^<]*)</p>', html)
    assert note, "no notice that only the commune's part is shown"
    in_sentence = a.name[:1].lower() + a.name[1:]  # "phường Thành Vinh"
    assert note.group(1).startswith(f"Chỉ hiển thị phần của {in_sentence}:")
    assert "Tỉnh Nghệ An" in note.group(1)
    shown = figures(html)
    assert shown["enrolled"] == "3"
    assert shown["attributed"] == "0"
    assert shown["goal"] == "10"  # the whole campaign's goal, said to be so
    assert "share" not in shown  # no share of the province's goal claimed for one commune
    assert listed(html) == [month.events[k].id for k in ("P1", "L2", "S0")]
    communes = re.search(r'<table class="list" id="by-commune">(.*?)</table>', html, re.S)
    assert re.findall(r"<tr><td>([^<]*)</td>", communes.group(1)) == [a.name]
    assert month.commune_b.name not in html
    assert f"/campaigns/{month.campaign_id}/edit" not in html
    assert f"org_unit={a.code}&amp;campaign_id={month.campaign_id}" in html  # its own comparison


def test_the_other_commune_reads_its_own_part(client, make, month) -> None:
    """Commune B: p2 (25/10) alone; p4 renewed, p5 paid after the campaign ended."""
    login(client, make.user("viewer", month.commune_b.code).email)
    html = client.get(f"/reports/campaigns/{month.campaign_id}").get_data(as_text=True)
    assert figures(html)["enrolled"] == "1"
    assert listed(html) == [month.events["G1"].id]
    progress = campaign_progress(db.session.get(Campaign, month.campaign_id), part=month.commune_b)
    assert (progress.enrolled, progress.share_of_goal) == (1, None)
