"""Charts speak the page's language: the catalogue's Vietnamese is the dashboards' own, and an
English page gets English titles, names and separators on its charts."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from app.chart_words import chart_words
from dashboards import live
from dashboards.theme import WORDS
from tests.app.test_labels import compiled_catalog  # noqa: F401  (the .po's words, compiled)
from tests.conftest import HOME, Factory, csrf_token

SAME_IN_BOTH = {"Livestream", "Haha", "Wow"}  # words Vietnamese offices use as they are


def test_vietnamese_chart_words_are_the_dashboards_own(app: Flask) -> None:
    """Every key the figures read, and in Vietnamese exactly the words they hold by default."""
    with app.test_request_context(), force_locale("vi"):
        assert chart_words() == WORDS


def test_english_chart_words_are_english(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        words = chart_words()
    assert words.keys() == WORDS.keys()
    assert words["separators"] == ".,"
    assert (words["viewers_title"], words["channel.post"]) == ("Live viewers", "Post")
    for key, english in words.items():
        if key != "separators" and english not in SAME_IN_BOTH:
            assert english != WORDS[key], f"{key}: still Vietnamese on an English page"
    for key in ("reach_title", "comparison_title"):  # the figures fill these in
        assert re.findall(r"\{\w+\}", words[key]) == re.findall(r"\{\w+\}", WORDS[key])


def test_chart_text_takes_the_languages_thousands_separator(app: Flask) -> None:
    from datetime import UTC, datetime

    from app.timeparse import VN

    points = [(datetime(2026, 11, 25, 13, 0, tzinfo=UTC), 1700)]
    with app.test_request_context(), force_locale("en"):
        peak = live.viewers_figure(points, tz=VN, words=chart_words())["data"][1]
    assert (peak["name"], peak["text"]) == ("Peak", ["Peak: 1,700"])
    assert live.viewers_figure(points, tz=VN)["data"][1]["text"] == ["Đỉnh: 1.700"]


@pytest.fixture
def english(client: FlaskClient, logged_in) -> FlaskClient:
    logged_in("viewer")
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/events")})
    return client


def _figures(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/json" data-figure="[^"]+">(.*?)</script>', html)
    return [json.loads(text) for text in found]


def test_an_english_live_page_draws_english_charts(english: FlaskClient, make: Factory) -> None:
    event = make.event(HOME, title="Livestream tư vấn")
    make.target(event, make.account(HOME), status="live")
    html = english.get(f"/events/{event.id}/live").get_data(as_text=True)
    config = json.loads(
        re.search(r'<script type="application/json" id="live-config">(.*?)</script>', html, re.S)[1]
    )
    figures = config["figures"]
    assert figures["viewers"]["layout"]["title"]["text"] == "Live viewers"
    assert figures["viewers"]["data"][1]["name"] == "Peak"  # the script labels each new peak so
    assert figures["reactions"]["data"][0]["x"][:2] == ["Like", "Love"]
    assert figures["comments"]["layout"]["annotations"][0]["text"] == "No data yet"
    assert ">Like</span>" in html  # the counters beside the chart use the same words


def test_an_english_campaign_page_draws_english_charts(english: FlaskClient, make: Factory) -> None:
    campaign = make.campaign(HOME, goal=1700)
    html = english.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    titles = {f["layout"]["title"]["text"] for f in _figures(html)}
    assert titles == {"Progress against the goal", "Campaign funnel"}
    assert "Phễu" not in html
    assert "Tiến độ" not in html
