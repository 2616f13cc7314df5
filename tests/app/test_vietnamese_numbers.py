"""Numbers the Vietnamese way in the forms and on the pages: 2.500.000 typed as is, scores 0,70.

Money and counts are read by one parser (app/wholenumbers.py); a value it cannot read gets one
clear error. Pages write fractions with a decimal comma.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event
from app.wholenumbers import parse_whole, write_whole
from tests.app.followup.test_people_registry import _review_world
from tests.conftest import HOME, Factory, csrf_token, login


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2.500.000", 2_500_000), ("2500000", 2_500_000), ("2 500 000", 2_500_000),
     ("2\u00a0500\u00a0000", 2_500_000), ("2.500.000 đ", 2_500_000), ("300.000 VNĐ", 300_000),
     ("15", 15), ("0", 0), ("-1", -1)],
)  # fmt: skip
def test_whole_numbers_are_read_as_typed(typed: str, value: int) -> None:
    assert parse_whole(typed) == value


@pytest.mark.parametrize("typed", ["2,5", "2,500", "2.5", "2.50.000", "2.500,000", "abc", "1e6"])
def test_anything_else_is_refused_not_guessed(typed: str) -> None:
    with pytest.raises(ValueError, match=r"2\.500\.000"):
        parse_whole(typed)


def test_written_back_as_read() -> None:
    assert write_whole(2_500_000) == "2.500.000"
    assert parse_whole(write_whole(1_234_567)) == 1_234_567


def _event_form(client: FlaskClient, cost: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/events/new")
    return client.post(
        "/events/new",
        data={"csrf_token": token, "title": "Livestream tư vấn", "channel": "livestream",
              "status": "scheduled", "org_unit": HOME, "campaign_id": "", "cost_vnd": cost},
    )  # fmt: skip


def test_an_event_costs_what_was_typed(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    form = client.get("/events/new").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="cost_vnd"[^>]*>', form)
    assert box
    assert 'type="text"' in box.group(0)  # not a number box, which makes 2.500.000 into 2.5
    assert _event_form(client, "2.500.000").status_code == 302
    assert db.session.scalars(sa.select(Event.cost_vnd)).one() == 2_500_000


def test_a_cost_that_is_no_whole_number_gets_one_error(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    response = _event_form(client, "2,5")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.findall(r'<small class="error" role="alert">(.*?)</small>', html)
    assert errors == ["Hãy viết một số nguyên, ví dụ 2.500.000."], errors
    assert 'value="2,5"' in html  # what was typed stays in the box
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


@pytest.mark.parametrize("cost", ["99999999999999999999", "-5"])
def test_a_cost_out_of_range_is_refused_with_its_bounds_as_people_read_them(
    client: FlaskClient, logged_in, cost: str
) -> None:
    """Twenty nines once overflowed the database's integer and failed the request (500)."""
    logged_in("officer")
    response = _event_form(client, cost)
    assert response.status_code == 422
    errors = re.findall(
        r'<small class="error" role="alert">(.*?)</small>', response.get_data(as_text=True)
    )
    assert errors == ["Ghi một số từ 0 đến 1.000.000.000.000."], errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_review_scores_have_a_decimal_comma(client: FlaskClient, make: Factory) -> None:
    _review_world(make)
    login(client, make.user("officer", HOME).email)
    page = client.get("/follow-up/review").get_data(as_text=True)
    assert "0,70" in page
    # A standalone number: a signed token (CSRF, ids) may hold "…0.70…" inside its characters.
    assert not re.search(r"(?<![\w.-])0\.70(?![\w])", page)
