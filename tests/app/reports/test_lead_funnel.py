"""The campaign funnel's "called" stage: people of its events whose lead somebody reached."""

from __future__ import annotations

from app.extensions import db
from app.followup.lead_work import update_lead
from app.models import Campaign
from app.reports.campaign import campaign_progress
from dashboards.channels import funnel_figure
from tests.conftest import HOME, Factory


def test_called_leads_count_between_identified_and_enrolled(make: Factory, month) -> None:
    officer = make.user("officer", HOME)
    events, people = month.events, month.people
    people["p3"].set_identifiers(phone="0912345678")  # a number, which proves wrong below
    for event, person, status in [
        ("L1", "p6", "called"),
        ("C1", "p1", "enrolled"),
        ("C1", "p2", "called"),
        ("G1", "p2", "call_back"),  # the same person on two events: once
        ("C1", "p3", "wrong_number"),  # reached nobody
        ("G1", "p4", "new"),
    ]:
        update_lead(events[event], people[person].id, officer, {"status": status})
    db.session.commit()
    funnel = campaign_progress(db.session.get(Campaign, month.campaign_id)).funnel
    assert list(funnel) == ["reach", "engaged", "attended", "identified", "called", "enrolled"]
    assert funnel["called"] == 3
    bars = funnel_figure(funnel)["data"][0]
    assert bars["y"][4] == "Đã gọi"
    assert bars["x"][4] == 3
