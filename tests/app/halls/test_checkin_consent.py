"""The hall's check-in page asks each attendee, and records their answer to the text it shows.

- the page prints the purpose text with its version, and per person an answer left unset
  (Có / Không / not asked): never pre-ticked;
- JSON and the plain form record each answer with the page's version, dated when the officer
  sent the report; a row without an answer records none; an answer alone is not a row;
- answers sent without a known version are refused, the field named, nothing stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.consent import CURRENT, PURPOSES
from app.extensions import db
from app.halls import checkin
from app.halls.services import set_bridge_points
from app.models import AttendanceReport, Person
from tests.conftest import HOME, Factory

# Never "now" as the event's time: the page's clock is set to the event's morning (``link``), when
# the hall may report (app.halls.window).
START = datetime(2099, 3, 10, 1, 0, tzinfo=UTC)


@pytest.fixture
def link(app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(checkin, "utcnow", lambda: START + timedelta(minutes=45))
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    (point,) = set_bridge_points(event, "all", {})[:1]
    db.session.commit()
    return f"/checkin/{point.checkin_token}"


def people() -> dict[str, Person]:
    db.session.expire_all()
    return {p.full_name: p for p in db.session.scalars(sa.select(Person))}


def test_the_page_shows_the_purpose_text_and_asks_each_person(
    client: FlaskClient, link: str
) -> None:
    html = client.get(link).get_data(as_text=True)
    assert PURPOSES[CURRENT].text in html
    assert f'name="consent_version" value="{CURRENT}"' in html
    for text in ('name="consent-0"', 'name="consent-4"', "Chưa hỏi", "Có, đồng ý", "Không đồng ý"):
        assert text in html
    assert "selected" not in html.split('name="consent-0"')[1].split("</select>")[0]


def test_json_answers_are_recorded_with_the_version_and_the_press(
    client: FlaskClient, link: str
) -> None:
    body = {"idempotency_key": "consent-0001", "consent_version": CURRENT,
            "sent_at": "2099-03-10T08:40:00+07:00", "clock": "2099-03-10T08:40:05+07:00",
            "attendees": [{"name": "Hoà", "birth": "1975", "consent": "yes"},
                          {"name": "Nam", "birth": "1980", "consent": "no"},
                          {"name": "Mai", "birth": "1990"}]}  # fmt: skip
    response = client.post(link, json=body)
    assert response.status_code == 201, response.get_json()
    found = people()
    report = db.session.scalars(sa.select(AttendanceReport)).one()
    assert (found["Hoà"].consent_agreed, found["Hoà"].consent_version) == (True, CURRENT)
    assert found["Hoà"].consent_at == report.reported_at
    assert (found["Nam"].consent_agreed, found["Nam"].consent_version) == (False, CURRENT)
    assert (found["Mai"].consent_agreed, found["Mai"].consent_at) == (None, None)


def test_answers_without_a_known_version_are_refused(client: FlaskClient, link: str) -> None:
    for version in (None, "MD-1999-01"):
        body = {"idempotency_key": f"consent-{version}", "consent_version": version,
                "attendees": [{"name": "Hoà", "birth": "1975", "consent": "yes"}]}  # fmt: skip
        response = client.post(link, json=body, headers={"Accept-Language": "vi"})
        assert response.status_code == 422
        assert response.get_json()["field"] == "consent_version"
        assert "Nội dung đồng ý" in response.get_json()["message"]
    assert people() == {}


def test_an_unclear_answer_names_the_person_and_the_field(client: FlaskClient, link: str) -> None:
    body = {"idempotency_key": "consent-0002", "consent_version": CURRENT,
            "attendees": [{"name": "Hoà", "birth": "1975", "consent": "maybe"}]}  # fmt: skip
    response = client.post(link, json=body)
    assert response.status_code == 422
    assert response.get_json()["field"] == "attendees[1].consent"


def test_the_plain_form_records_the_answers(client: FlaskClient, link: str) -> None:
    form = {"idempotency_key": "form-consent-01", "consent_version": CURRENT, "rows": "5",
            "name-0": "Hoà", "birth-0": "1975", "consent-0": "yes",
            "name-1": "Nam", "birth-1": "1980", "consent-1": "no",
            "consent-2": "yes"}  # an answer alone, on an empty row: not a person  # fmt: skip
    response = client.post(link, data=form)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    found = people()
    assert set(found) == {"Hoà", "Nam"}
    assert (found["Hoà"].consent_agreed, found["Nam"].consent_agreed) == (True, False)
    assert found["Hoà"].consent_version == CURRENT
