"""New participants at none of the campaign's activities, counted one by one (home and page).

On the month of tests/app/reports/conftest.py the campaign counts 4 new participants (p1, p2,
p6, p7) and attributes 3: p7 was at L2, but the link of their enrolment waits for review, so
no person seen at the campaign is theirs. Added here: a newcomer of commune A who paid in
November and was never seen (no link), and one seen only at another campaign's event. So 3 are
at none of its activities, while "new minus attributed" would say 3 only by chance of the
month (and 4 - 3 = 1 before these two): the count is its own query.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from app.extensions import db
from app.models import (
    Attendance,
    Campaign,
    Enrolment,
    ImportBatch,
    Link,
    LinkStatus,
    Person,
    Scheme,
)
from app.reports.campaign import campaign_progress, not_at_any
from tests.app.reports.conftest import Month, vn
from tests.conftest import HOME, Factory, login

VI = {"Accept-Language": "vi"}


def newcomer(month: Month, key: str, linked_event_id: int | None) -> None:
    batch = ImportBatch(kind="enrolments", filename="thu-11.xlsx", sha256=uuid.uuid4().hex,
                        created_at=vn(date(2026, 11, 20)))  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    row = Enrolment(import_batch_id=batch.id, source_row=2, row_key=uuid.uuid4().hex,
                    scheme=Scheme.BHXH_TU_NGUYEN, is_new=True, paid_on=date(2026, 11, 12),
                    commune_id=month.commune_a.id)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    if linked_event_id is not None:
        person = Person(full_name=f"Người {key}", commune_id=month.commune_a.id)
        db.session.add(person)
        db.session.flush()
        db.session.add(Attendance(person_id=person.id, event_id=linked_event_id, source="sheet",
                                  touched_at=vn(date(2026, 11, 5))))  # fmt: skip
        db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="phone",
                            status=LinkStatus.CONFIRMED, created_at=batch.created_at))  # fmt: skip
    db.session.commit()


def test_the_month_has_one_new_participant_not_at_its_activities(app, month) -> None:
    campaign = db.session.get(Campaign, month.campaign_id)
    assert not_at_any(campaign) == 1  # p7, whose link is under review


def test_the_page_and_the_home_card_say_how_many_were_at_none(client, make: Factory, month) -> None:
    other = make.campaign(HOME, name="Chiến dịch BHYT")
    elsewhere = make.event(HOME, title="Hội nghị của chiến dịch khác", campaign=other)
    newcomer(month, "không ai thấy", None)
    newcomer(month, "ở chiến dịch khác", elsewhere.id)
    campaign = db.session.get(Campaign, month.campaign_id)
    progress = campaign_progress(campaign)
    assert (progress.enrolled, progress.funnel["enrolled"]) == (6, 3)
    assert progress.not_at_activities == 3
    login(client, make.user("viewer", HOME).email)
    page = client.get(f"/reports/campaigns/{campaign.id}", headers=VI).get_data(as_text=True)
    note = re.search(r'<p class="muted" id="not-at-note">([^<]*)</p>', page)
    assert note
    assert note.group(1).startswith(
        "3 trong số 6 người tham gia mới không có mặt ở hoạt động nào của chiến dịch"
    )
    home = client.get("/", headers=VI).get_data(as_text=True)
    card = home[home.index(f'data-campaign="{campaign.id}"') :]
    card = card[: card.index("</div>")]
    assert f'<a href="/reports/campaigns/{campaign.id}" data-figure><strong>6</strong>' in card
    assert "3 người trong số đó không có mặt ở hoạt động nào của chiến dịch." in card


def test_no_line_when_everyone_was_at_an_activity(client, make: Factory, month) -> None:
    db.session.get(Link, _p7_link(month)).status = LinkStatus.CONFIRMED
    db.session.commit()
    campaign = db.session.get(Campaign, month.campaign_id)
    assert not_at_any(campaign) == 0
    login(client, make.user("viewer", HOME).email)
    assert "not-at-note" not in client.get(f"/reports/campaigns/{campaign.id}").get_data(
        as_text=True
    )
    assert "data-not-at" not in client.get("/").get_data(as_text=True)


def _p7_link(month: Month) -> int:
    from sqlalchemy import select

    return db.session.scalar(select(Link.id).where(Link.person_id == month.people["p7"].id))
