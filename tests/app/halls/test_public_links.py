"""PUBLIC_BASE_URL in every check-in link and QR code that leaves the building (issue 15, 3).

Organisers open Lan Tỏa on 127.0.0.1 (the test client's "localhost"); the links they hand out —
the bridge-points page, the print sheet's text and QR codes, the API — must name the address
phones reach instead. Without the setting the page warns, in Vietnamese, that its links only work
on this computer: an administrator is told which setting to change, an officer only to tell the
administrator (the setting's name means nothing to them).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.app.halls.test_print import dark_modules, matrix_modules
from tests.conftest import PASSWORD, Factory

BASE = "https://lantoa.bhxhnghean.vn"
LINK = re.compile(r"https?://[^\s<\"']+/checkin/[A-Za-z0-9_-]+")


@pytest.fixture
def hall_tokens(app: Flask, make: Factory) -> list[str]:
    event = event_with_channel(make)
    points = services.set_bridge_points(event, commune_codes(n=3), {})
    db.session.commit()
    return [p.checkin_token for p in points]


def event_id() -> int:
    from app.models import Event

    return db.session.scalars(db.select(Event.id)).one()


def test_every_link_on_the_pages_and_the_api_is_under_the_base(
    app: Flask, client, make: Factory, organiser, hall_tokens: list[str]
) -> None:
    app.config["PUBLIC_BASE_URL"] = BASE
    pages = [client.get(f"/events/{event_id()}/bridge-points"),
             client.get(f"/events/{event_id()}/bridge-points/print")]  # fmt: skip
    headers = {"Authorization": f"Bearer {issue_token(make.user('officer'))}"}
    db.session.commit()
    api = client.get(f"/api/v1/events/{event_id()}/bridge-points", headers=headers)
    texts = [p.get_data(as_text=True) for p in pages] + [api.get_data(as_text=True)]
    for text in texts:
        found = set(LINK.findall(text))
        assert found == {f"{BASE}/checkin/{t}" for t in hall_tokens}
        assert "localhost/checkin" not in text
        assert 'id="local-only"' not in text


def test_every_qr_code_on_the_sheet_encodes_a_link_under_the_base(
    app: Flask, client, organiser, hall_tokens: list[str]
) -> None:
    app.config["PUBLIC_BASE_URL"] = BASE
    sheet = client.get(f"/events/{event_id()}/bridge-points/print").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", sheet, flags=re.S)
    assert len(svgs) == len(hall_tokens)
    encoded = set()
    for svg in svgs:
        modules = dark_modules(svg)
        match = next(f"{BASE}/checkin/{t}" for t in hall_tokens
                     if matrix_modules(f"{BASE}/checkin/{t}") == modules)  # fmt: skip
        encoded.add(match)
    assert encoded == {f"{BASE}/checkin/{t}" for t in hall_tokens}


def test_without_the_setting_the_page_warns_the_links_only_work_here(
    app: Flask, client, logged_in, hall_tokens: list[str]
) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    logged_in("admin")
    for path in ("bridge-points", "bridge-points/print"):
        page = client.get(f"/events/{event_id()}/{path}").get_data(as_text=True)
        warning = re.search(r'id="local-only">(.*?)</p>', page, re.S)[1]
        assert "chỉ mở được trên chính máy chủ" in warning  # the same plain words first
        assert "PUBLIC_BASE_URL" not in warning
        fold = re.search(r'<details class="technical[^"]*" id="local-only-setting">(.*?)</details>',
                         page, re.S)[1]  # fmt: skip
        assert "PUBLIC_BASE_URL" in fold  # the setting, only in the administrator's fold


def test_an_officer_is_told_in_plain_words_to_ask_the_administrator(
    app: Flask, client, organiser, hall_tokens: list[str]
) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    for path in ("bridge-points", "bridge-points/print"):
        page = client.get(f"/events/{event_id()}/{path}").get_data(as_text=True)
        warning = re.search(r'id="local-only">(.*?)</p>', page, re.S)[1]
        assert "Liên kết này chỉ mở được trên chính máy chủ (localhost)" in warning
        assert "điện thoại không mở được" in warning
        assert "hãy nhờ quản trị viên cấu hình địa chỉ công khai" in warning
        assert "PUBLIC_BASE_URL" not in page
        assert "README" not in page


def test_opened_at_a_lan_address_the_page_only_notes_it(
    app: Flask, make: Factory, hall_tokens: list[str]
) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    lan = app.test_client()
    where = {"base_url": "http://192.0.2.10:5000"}  # HOST=0.0.0.0, opened from the office LAN
    html = lan.get("/login", **where).get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)[1]
    form = {"email": make.user("admin").email, "password": PASSWORD, "csrf_token": token}
    assert lan.post("/login", data=form, **where).status_code == 302
    text = lan.get(f"/events/{event_id()}/bridge-points", **where).get_data(as_text=True)
    assert 'id="local-only"' not in text
    assert 'id="request-base"' in text  # for the administrator, who can set it
    assert f"http://192.0.2.10:5000/checkin/{hall_tokens[0]}" in text


def test_an_officer_reads_the_same_warning_after_a_save(
    app: Flask, client, organiser, hall_tokens: list[str]
) -> None:
    """First load, the page a save returns to, and the print sheet: one wording, no setting."""
    app.config["PUBLIC_BASE_URL"] = None
    path = f"/events/{event_id()}/bridge-points"

    def warning(html: str) -> str:
        return re.search(r'id="local-only">(.*?)</p>', html, re.S)[1]

    first = warning(client.get(path).get_data(as_text=True))
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)[1]
    saved = client.post(path, data={"csrf_token": token, "action": "save"}, follow_redirects=True)
    after = warning(saved.get_data(as_text=True))
    printed = warning(client.get(f"{path}/print").get_data(as_text=True))
    assert first == after == printed
    assert first.startswith("Liên kết này chỉ mở được trên chính máy chủ (localhost)")
    assert "README" not in first
    assert "PUBLIC_BASE_URL" not in first
