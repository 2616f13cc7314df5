"""A campaign's called leads: people of its events whose lead somebody reached, counted beside the
funnel (not a stage of it: people who joined need not have been called)."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.followup.lead_work import update_lead
from app.models import Campaign, utcnow
from app.reports.campaign import campaign_progress
from app.timeparse import VN
from dashboards.channels import funnel_figure
from tests.conftest import HOME, Factory


def test_called_leads_are_counted_beside_the_funnel(make: Factory, month) -> None:
    officer = make.user("officer", HOME)
    events, people = month.events, month.people
    people["p3"].set_identifiers(phone="0912345678")  # a number, which proves wrong below
    people["p6"].set_identifiers(phone="0912345671")  # only someone with a number is called
    people["p2"].set_identifiers(phone="0912345672")
    for event, person, status in [
        ("L1", "p6", "called"),
        ("C1", "p1", "enrolled"),
        ("C1", "p2", "called"),
        ("G1", "p2", "call_back"),  # the same person on two events: once
        ("C1", "p3", "wrong_number"),  # reached nobody
        ("G1", "p4", "new"),
    ]:
        changes = {"status": status}
        if status == "call_back":  # a call back names its day (today or later, in Vietnam)
            changes["next_call_on"] = (
                utcnow().astimezone(VN).date() + timedelta(days=7)
            ).isoformat()
        update_lead(events[event], people[person].id, officer, changes)
    db.session.commit()
    progress = campaign_progress(db.session.get(Campaign, month.campaign_id))
    assert progress.reach["called"] == 3
    assert list(progress.funnel) == ["identified", "enrolled"]
    bars = funnel_figure(progress.funnel)["data"][0]
    assert "called" not in bars["customdata"]
