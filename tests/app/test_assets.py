"""The favicon browsers ask of every page: served, never a 404 in the log (issue 15, point 8)."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_the_favicon_is_served(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert response.cache_control.max_age == 7 * 24 * 3600
