"""Counts read right in English: "1 event", "2 events" (ngettext), where the page once said
"1 events"; Vietnamese has one form and says "1 sự kiện", "2 sự kiện"."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import HOME, Factory, csrf_token, login


def test_the_events_count_takes_its_plural_in_english_only(
    client: FlaskClient, make: Factory
) -> None:
    make.event(HOME, title="Livestream tháng 11")
    login(client, make.user("viewer").email)
    assert '<p class="muted">1 sự kiện</p>' in client.get("/events").get_data(as_text=True)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/events")})
    assert '<p class="muted">1 event</p>' in client.get("/events").get_data(as_text=True)
    make.event(HOME, title="Hội nghị tháng 12")
    assert '<p class="muted">2 events</p>' in client.get("/events").get_data(as_text=True)
