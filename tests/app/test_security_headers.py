"""Security headers on every response, and pages that run under the Content-Security-Policy.

The policy forbids inline scripts and foreign sources; a page that still needed one would break
silently for users, so Chromium opens the pages people use and the test fails on any violation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.security_headers import CONTENT_SECURITY_POLICY
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory


def test_pages_carry_the_headers_and_are_not_cached(client: FlaskClient, logged_in) -> None:
    logged_in("viewer")
    page = client.get("/events")
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Cache-Control"] == "no-store"


def test_errors_and_api_answers_carry_them_too(client: FlaskClient) -> None:
    for response in (client.get("/no-such-page"), client.get("/api/v1/events")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_a_views_own_header_is_kept_and_none_is_written_twice(app: Flask) -> None:
    from app.security_headers import HEADERS, init_app

    @app.route("/framed-by-itself")
    def framed() -> tuple[str, int, dict[str, str]]:
        return "ok", 200, {"X-Frame-Options": "SAMEORIGIN", "cache-control": "private"}

    init_app(app)  # registered again after the route: the hook runs twice, as a second app's
    with app.test_client() as client:
        response = client.get("/framed-by-itself")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Cache-Control") == ["private"]
    for name, value in HEADERS.items():
        if name != "X-Frame-Options":
            assert response.headers.getlist(name) == [value]


def test_fingerprinted_static_files_stay_cacheable(client: FlaskClient) -> None:
    from app.assets import asset_url

    with client.application.test_request_context():
        url = asset_url("js/live.js")
    with client.get(url) as response:
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.mark.committing
def test_the_pages_people_use_run_under_the_policy(
    app: Flask, live_server: str, browser, make: Factory
) -> None:
    admin = make.user("admin", HOME)
    start = datetime.now(UTC) - timedelta(hours=1)  # the hall link must still work
    end = start + timedelta(hours=3)
    conference = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                            planned_start=start, planned_end=end)  # fmt: skip
    (point,) = services.set_bridge_points(conference, "all", {})[:1]
    db.session.commit()
    livestream = make.event(HOME, title="Livestream")
    paths = [
        "/events",
        f"/events/{conference.id}",
        f"/events/{livestream.id}/live",
        "/reports/channels",
        f"/reports/monthly?org_unit={HOME}&period=2026-11",
        f"/checkin/{point.checkin_token}",
    ]
    page = browser.new_page()
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    log_in(page, live_server, admin.email)
    for path in paths:
        response = page.goto(live_server + path)
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
    refused = [text for text in console if "Content Security Policy" in text]
    assert refused == []
