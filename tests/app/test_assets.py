"""Static files: the favicon browsers ask of every page, and every link carrying its fingerprint."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient


def test_the_favicon_is_served(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert response.cache_control.max_age == 7 * 24 * 3600


def test_every_template_names_static_files_by_their_fingerprint() -> None:
    """A static file linked without its hash is revalidated on every page: on slow 3G that is a
    round trip of seconds for the stylesheet each page needs."""
    templates = Path(__file__).resolve().parents[2] / "app" / "templates"
    bare = [
        f"{path.relative_to(templates)}:{n}"
        for path in sorted(templates.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"url_for\(\s*['\"]static['\"]", line)
    ]
    assert bare == []


def test_the_login_page_stylesheet_is_cached_for_a_year(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert any("css/app.css?v=" in href for href in links), links
    for href in links:
        with client.get(href) as response:
            assert response.status_code == 200
            assert "immutable" in response.headers["Cache-Control"], href
