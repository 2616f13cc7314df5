"""A purpose text is named on screens as people know it ("Mẫu đồng ý ngày 01/01/2026"), never by
its version code, which stays where an auditor looks: a tooltip, the person's download."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from app.consent import CURRENT, purpose_name
from app.extensions import db
from app.halls import checkin
from app.halls.services import set_bridge_points
from tests.app.followup.test_calls import _world
from tests.app.followup.test_person_requests import make_person
from tests.app.halls.test_checkin_consent import START
from tests.app.vietnamese_text import visible_text
from tests.conftest import HOME, Factory, login

NAME = "Mẫu đồng ý ngày 01/01/2026"
CODE = f"Mã mẫu đồng ý, để đối chiếu: {CURRENT}"  # the tooltip


def _shown(html: str) -> str:
    text = visible_text(html)
    assert CURRENT not in text.replace(CODE, "")  # the code only in its tooltip, said to be one
    return text


def test_a_version_is_named_by_its_date(app: Flask) -> None:
    with app.test_request_context(), force_locale("vi"):
        assert purpose_name(CURRENT) == NAME
        assert purpose_name("MD-1999-01") == "mẫu đồng ý không có trong hồ sơ"
    with app.test_request_context(), force_locale("en"):
        assert purpose_name(CURRENT) == "Consent form of 01/01/2026"


def test_the_persons_page_names_the_form_with_its_code_in_a_tooltip(
    client: FlaskClient, make: Factory
) -> None:
    person = make_person(make)
    login(client, make.user("admin", HOME).email)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert f'<span class="consent-form" title="{CODE}">{NAME}</span>' in html
    _shown(html)


def test_the_call_list_names_the_form(client: FlaskClient, make: Factory) -> None:
    event_id = _world(make)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    assert f'<span title="{CODE}">Đồng ý ({NAME})</span>' in html
    _shown(html)


def test_the_import_pages_name_the_form(client: FlaskClient, make: Factory) -> None:
    event = make.event(HOME, title="Hội nghị", channel="online_conference")
    login(client, make.user("manager", HOME).email)
    attendees = client.get(f"/events/{event.id}/attendance/import").get_data(as_text=True)
    assert f'value="{CURRENT}" selected title="{CODE}">{NAME}</option>' in attendees
    assert f'<strong title="{CODE}">{NAME}</strong>' in attendees
    _shown(attendees)
    enrolments = client.get("/follow-up/enrolments/import").get_data(as_text=True)
    assert f"với nội dung đồng ý ({NAME})" in enrolments
    _shown(enrolments)


def test_the_check_in_page_names_the_form(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkin, "utcnow", lambda: START)  # the event's morning: the form shows
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    (point,) = set_bridge_points(event, "all", {})[:1]
    db.session.commit()
    html = client.get(f"/checkin/{point.checkin_token}").get_data(as_text=True)
    assert f'<span class="muted" title="{CODE}">({NAME})</span>' in html
    _shown(html)
